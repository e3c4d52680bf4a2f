import { conversationKey } from '../core/inbound';
import type { ReplyChoice } from '../core/reply-choice';
import type { LinkedConversation } from '../people/person-directory';
import type { SendNowDependencies } from './outbound-dependencies';
import { firstRetryInMs } from './retry-policy';
import { attemptPart, markAsked } from './send-part';

/** One text sent from the caller's own process. */
export interface ReplyToSendNow {
  text: string;
  /** when the answered message was written: a closed window is remembered from then */
  answeringAt: number;
  /** offered under the text, where the platform can */
  choices?: ReplyChoice[];
  /** the job the send runs in, for the log lines */
  jobId?: string;
}

/**
 * Sent and recorded, refused for good and recorded (not to be tried again), or not sent: then
 * the caller enqueues it, to be tried after `retryInMs` (the wait the queue's backoff begins with).
 */
export type SentNow<Answered> =
  { kind: 'sent'; answered: Answered } | { kind: 'refused'; answered: Answered } | { kind: 'retry'; retryInMs: number };

/**
 * Sends one text now, without a send job, for a caller that knows nothing is queued ahead of it
 * to this person and no closed window is on record (the turn reads both as it claims the
 * conversation); anything else is enqueued. `markAnswered` records the answer: it runs right
 * after Graph accepted the text (given the id Graph gave it, where its answer carries one) or
 * refused it for good, so a retry of the caller's job finds it answered. A question under the text is marked asked before that record: the record may give
 * the conversation back, and the next message may be its answer.
 */
export async function sendNow<Answered>(
  to: LinkedConversation,
  reply: ReplyToSendNow,
  deps: SendNowDependencies,
  markAnswered: (sentId?: string) => Promise<Answered>,
): Promise<SentNow<Answered>> {
  const adapter = deps.adapters.get(to.platform);
  if (!adapter) throw new Error(`${to.platform} is not configured`);
  const conversation = conversationKey(to);
  const draft = { channelId: to.channelId, userId: to.userId, parts: [reply.text], choices: reply.choices };
  const log = { jobId: reply.jobId, platform: to.platform };
  const retryLine = 'send failed; retrying (through the send queue)';
  const attempt = { adapter, platform: to.platform, conversation, answeringAt: reply.answeringAt, log, retryLine };
  const result = await attemptPart(draft, 0, attempt, deps);
  if (result.kind === 'retry') return { kind: 'retry', retryInMs: firstRetryInMs(result.error) };
  if (result.kind === 'sent') await markAsked(conversation, draft, 0, deps);
  const answered = await markAnswered(result.kind === 'sent' ? result.messageId : undefined);
  if (result.kind === 'sent') deps.logger.info({ ...log, parts: 1 }, 'reply sent');
  return { kind: result.kind, answered };
}
