import { DelayedError, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { questionAskedBy } from '../commands/yes-no';
import type { AnswerLedger } from '../conversation/answer-ledger';
import type { MessagingWindow } from '../conversation/messaging-window';
import type { PendingQuestions } from '../conversation/pending-question';
import type { RecipientOutbox } from '../conversation/recipient-outbox';
import type { HeadState } from '../conversation/turn-order';
import type { SendFailure } from '../platforms/graph-errors';
import type { PlatformAdapter } from '../platforms/adapter';
import type { PlatformRegistry } from '../platforms/registry';
import { outboundJobSchema, stripFinishedJob, type OutboundJob } from '../queues/jobs';
import type { Logger } from '../logging';
import { lastTextIndex, type ReplyPart } from '../core/reply-part';
import type { Metrics } from '../metrics/metrics';
import type { AccountErasure } from '../privacy/account-erasure';

/**
 * Delivers one answer: its parts in order, each at most once. A part already sent (recorded in
 * the ledger) is skipped when the job is retried. Failures are classified by Graph error code:
 * transient ones are retried with backoff (Retry-After honoured), the rest stop the job.
 */
export interface SenderDependencies {
  adapters: PlatformRegistry;
  ledger: AnswerLedger;
  logger: Logger;
  /** per-recipient order: a later answer waits for an earlier one that is being retried */
  ordering: {
    outbox: RecipientOutbox;
    /** whether the send job answering that message to that user may still run */
    headState: (answeringMessageKey: string, userId: string) => Promise<HeadState>;
  };
  /** closed 24-hour windows: not tried again until the user writes */
  window: MessagingWindow;
  /** every Send API call, by platform and Graph error class (`none`: accepted) */
  sends: Metrics['sends'];
  /** erases the last traces of a person after the confirmation of their erasure is out */
  erasure: AccountErasure;
  /** the yes/no questions the answers ask: marked sent once the part carrying them is accepted */
  questions: Pick<PendingQuestions, 'markSent'>;
}

/** How long an answer waits behind an earlier one to the same user: grows with each wait, up to 2 s. */
function waitBehindMs(job: Job): number {
  const waits = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
  return Math.min(2000, 200 * (1 + waits)) + Math.floor(Math.random() * 100);
}

/** A send failure the sender's backoff strategy understands. */
export class SendRetryError extends Error {
  constructor(
    readonly failure: SendFailure,
    options: { cause: unknown },
  ) {
    super(`send failed, will retry (${failure.kind})`, options);
    this.name = 'SendRetryError';
  }
}

/** What sending one part needs of a reply: where it goes, all its parts, the choices under the last text. */
export type ReplyDraft = Pick<OutboundJob, 'channelId' | 'userId' | 'parts' | 'choices'>;

/** BullMQ backoff strategy for `backoff: { type: 'graph' }`. */
export function graphBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  const failure = error instanceof SendRetryError ? error.failure : undefined;
  const retryAfter = failure && 'retryAfterSeconds' in failure ? failure.retryAfterSeconds : undefined;
  if (retryAfter !== undefined) return Math.ceil(retryAfter * 1000);
  // Pair rate limit: Meta allows about one message per 6 s to the same user.
  if (failure?.kind === 'retry-recipient') return 6000 * attemptsMade;
  const base = Math.min(60_000, 500 * 2 ** (attemptsMade - 1));
  return base + Math.floor(Math.random() * base * 0.2);
}

/**
 * One part into the thread: a text, or a product card message the adapter built. Choices (quick
 * replies, reply buttons) ride the last text part where they fit. A card this adapter cannot send
 * (a reply saved before a channel changed) is passed over: the text carries the answer.
 */
export async function sendPart(
  adapter: PlatformAdapter,
  reply: ReplyDraft,
  index: number,
  part: ReplyPart,
): Promise<void> {
  const to = { channelId: reply.channelId, userId: reply.userId };
  if (typeof part !== 'string') {
    await adapter.sendProductMessage?.(to, part.card);
    return;
  }
  const isLast = index === lastTextIndex(reply.parts);
  const withChoices =
    isLast && reply.choices?.length && adapter.sendChoices ? await adapter.sendChoices(to, part, reply.choices) : null;
  if (!withChoices) await adapter.sendText(to, part);
}

/** The part carrying a question's Yes/No buttons is out: from now on a typed answer counts. */
async function markAsked(reply: OutboundJob, index: number, deps: SenderDependencies): Promise<void> {
  const question = index === lastTextIndex(reply.parts) ? questionAskedBy(reply.choices) : undefined;
  if (question) await deps.questions.markSent(reply.conversation, question, Date.now());
}

/** A send Meta refused for good: remember a closed window, or stop the job for an operator to see. */
async function settleRefusal(
  failure: SendFailure,
  reply: OutboundJob,
  deps: SenderDependencies,
  context: Record<string, unknown>,
): Promise<string> {
  if (failure.kind === 'window-closed') {
    // One attempt, no retry: Meta refuses until the user writes; remember that.
    await deps.window.markClosed(reply.conversation, reply.answeringAt ?? Date.now());
    deps.logger.warn(context, 'send refused: messaging window closed; not retrying');
    return 'window-closed';
  }
  if (failure.kind === 'auth') deps.logger.fatal(context, 'send refused: access token invalid or expired');
  else deps.logger.error(context, 'send refused; not retrying');
  throw new UnrecoverableError(`send refused (${failure.kind})`);
}

/** The send job's processor, and what the worker calls once BullMQ has finished a job. */
export interface Sender {
  (job: Job<OutboundJob>, token?: string, signal?: AbortSignal): Promise<string>;
  /** after BullMQ wrote a job's last events line ("completed", "failed") */
  finished(job: Job | undefined): Promise<void>;
}

/**
 * The sender. A settled send (sent, or refused for good) is stripped of its content. A reply
 * that confirms an erasure then also erases what is left of that last exchange (ledger marks,
 * the jobs of the message and its answer), so nothing about the person outlives the confirmation;
 * the events line BullMQ writes as that job finishes goes once it is written (`finished`).
 */
export function createSender(deps: SenderDependencies): Sender {
  const deliver = createDelivery(deps);
  const erasedBy = new Set<string>();
  const finished = async (job: Job | undefined) => {
    if (!job?.id || !erasedBy.delete(job.id)) return;
    await deps.erasure.forgetEventsAbout(job.id).catch(() => undefined);
  };
  const sendReply = async (job: Job<OutboundJob>, token?: string, signal?: AbortSignal): Promise<string> => {
    let settled = false;
    try {
      const result = await deliver(job, token, signal);
      settled = true;
      return result;
    } catch (error) {
      settled = error instanceof UnrecoverableError;
      throw error;
    } finally {
      if (settled) {
        const accounts = outboundJobSchema.safeParse(job.data).data?.eraseAfterSend;
        await stripFinishedJob(job);
        if (accounts) await deps.erasure.eraseAccounts(accounts);
        if (accounts && job.id) erasedBy.add(job.id);
      }
    }
  };
  return Object.assign(sendReply, { finished });
}

function createDelivery(deps: SenderDependencies) {
  return async function deliver(job: Job<OutboundJob>, token?: string, signal?: AbortSignal): Promise<string> {
    const parsed = outboundJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid outbound job: ${parsed.error.message}`);
    const reply = parsed.data;
    const adapter = deps.adapters.get(reply.platform);
    if (!adapter) throw new UnrecoverableError(`${reply.platform} is not configured`);

    const { ordering } = deps;
    const headState = (head: string) => ordering.headState(head, reply.userId);
    const turn = await ordering.outbox.tryBegin(reply.conversation, reply.answeringMessageKey, headState);
    if (!turn) {
      // An earlier answer to this user is still on its way (perhaps held by 131056): wait behind it.
      await job.moveToDelayed(Date.now() + waitBehindMs(job), token);
      throw new DelayedError();
    }
    const finish = async () => ordering.outbox.finish(reply.conversation, reply.answeringMessageKey);
    const log = { jobId: job.id, platform: reply.platform };
    try {
      if (await deps.window.isClosedFor(reply.conversation, reply.answeringAt)) {
        deps.logger.warn(log, 'messaging window closed; answer not sent until the user writes again');
        await finish();
        return 'window-closed';
      }
      for (const [index, part] of reply.parts.entries()) {
        if (await deps.ledger.isPartSent(reply.conversation, reply.answeringMessageKey, index)) continue;
        if (signal?.aborted) {
          // Shutting down: hand the rest back; another worker resumes at this part.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        try {
          await sendPart(adapter, reply, index, part);
        } catch (error) {
          const failure = adapter.classifySendFailure(error);
          deps.sends.inc({ platform: reply.platform, error_class: failure.kind });
          const context = { ...log, part: index, failure: failure.kind, err: error };
          if (failure.kind === 'retry' || failure.kind === 'retry-recipient') {
            deps.logger.warn(context, 'send failed; retrying');
            throw new SendRetryError(failure, { cause: error });
          }
          await finish();
          return await settleRefusal(failure, reply, deps, context);
        }
        deps.sends.inc({ platform: reply.platform, error_class: 'none' });
        await deps.ledger.markPartSent(reply.conversation, reply.answeringMessageKey, index);
        await markAsked(reply, index, deps);
      }
      await finish();
    } finally {
      await turn.release();
    }
    deps.logger.info({ ...log, parts: reply.parts.length }, 'reply sent');
    return 'sent';
  };
}
