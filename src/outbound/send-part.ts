import { questionAskedBy } from '../commands/yes-no';
import { lastTextIndex, type ReplyPart } from '../core/reply-part';
import type { PlatformAdapter, SentMessage } from '../platforms/adapter';
import type { OutboundJob } from '../queues/jobs';
import type { OutboundDependencies } from './outbound-dependencies';
import { settleFailedSend, type FailedSend, type SendAttempt } from './send-failure';

/** What sending one part needs of a reply: where it goes, all its parts, the choices under the last text. */
export type ReplyDraft = Pick<OutboundJob, 'channelId' | 'userId' | 'parts' | 'choices' | 'tag'>;

/**
 * One part into the thread: a text, or a product card message the adapter built. Choices (quick
 * replies, reply buttons) ride the last text part where they fit; a tagged reply's texts go
 * under its tag. A card this adapter cannot send
 * (a reply saved before a channel changed) is passed over: the text carries the answer.
 */
export async function sendPart(
  adapter: PlatformAdapter,
  reply: ReplyDraft,
  index: number,
  part: ReplyPart,
): Promise<SentMessage | undefined> {
  const to = { channelId: reply.channelId, userId: reply.userId };
  if (typeof part !== 'string') return adapter.sendProductMessage?.(to, part.card);
  // Quick replies go as a RESPONSE: a tagged text carries none.
  const isLast = index === lastTextIndex(reply.parts) && !reply.tag;
  const withChoices =
    isLast && reply.choices?.length && adapter.sendChoices ? await adapter.sendChoices(to, part, reply.choices) : null;
  return withChoices ?? adapter.sendText(to, part, undefined, reply.tag);
}

/**
 * Every Send API call of the layer: the part is sent and counted, or its failure settled by the
 * one policy (send-failure.ts). What Graph accepted (and the id it gave the message, where its
 * answer carries one) is left to the caller to record.
 */
export async function attemptPart(
  reply: ReplyDraft,
  index: number,
  attempt: SendAttempt,
  deps: Pick<OutboundDependencies, 'metrics' | 'logger' | 'window'>,
): Promise<{ kind: 'sent'; messageId?: string } | FailedSend> {
  let sent: SentMessage | undefined;
  try {
    sent = await sendPart(attempt.adapter, reply, index, reply.parts[index]!);
  } catch (error) {
    return settleFailedSend(error, attempt, deps);
  }
  deps.metrics.sends.inc({ platform: attempt.platform, error_class: 'none' });
  return sent?.messageId ? { kind: 'sent', messageId: sent.messageId } : { kind: 'sent' };
}

/** The part carrying a question's Yes/No buttons is out: from now on a typed answer counts. */
export async function markAsked(
  conversation: string,
  reply: Pick<ReplyDraft, 'parts' | 'choices'>,
  index: number,
  deps: Pick<OutboundDependencies, 'pendingQuestions'>,
): Promise<void> {
  const question = index === lastTextIndex(reply.parts) ? questionAskedBy(reply.choices) : undefined;
  if (question) await deps.pendingQuestions.markSent(conversation, question, Date.now());
}
