import { DelayedError, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import type { HeadState } from '../conversation/turn-order';
import type { PlatformAdapter } from '../platforms/adapter';
import type { RedisClient } from '../redis/connection';
import type { SendFailure } from '../platforms/graph-errors';
import { isPendingJobState, outboundJobSchema, stripFinishedJob, type OutboundJob } from '../queues/jobs';
import type { OutboundDependencies } from './outbound-dependencies';
import type { FailedSend, SendAttempt } from './send-failure';
import { attemptPart, markAsked } from './send-part';

/** The send job's processor, and what the worker calls once BullMQ has finished a job. */
export interface Sender {
  (job: Job<OutboundJob>, token?: string, signal?: AbortSignal): Promise<string>;
  /** after BullMQ wrote a job's last events line ("completed", "failed") */
  finished(job: Job | undefined): Promise<void>;
}

type Multi = ReturnType<RedisClient['multi']>;

/** How long an answer waits behind an earlier one to the same user: grows with each wait, up to 2 s. */
function waitBehindMs(job: Job): number {
  const waits = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
  return Math.min(2000, 200 * (1 + waits)) + Math.floor(Math.random() * 100);
}

/**
 * The send job (BullMQ "outbound"). A settled send (sent, or refused for good) is stripped of its
 * content. A reply that confirms an erasure then also erases what is left of that last exchange
 * (ledger marks, the jobs of the message and its answer), so nothing about the person outlives
 * the confirmation; the events line BullMQ writes as that job finishes goes once it is written
 * (`finished`).
 */
export function createSendJob(deps: OutboundDependencies): Sender {
  const erasedBy = new Set<string>();
  const finished = async (job: Job | undefined) => {
    if (!job?.id || !erasedBy.delete(job.id)) return;
    await deps.erasure.forgetEventsAbout(job.id).catch(() => undefined);
  };
  const sendReply = async (job: Job<OutboundJob>, token?: string, signal?: AbortSignal): Promise<string> => {
    let settled = false;
    try {
      const result = await deliver(job, token, signal, deps);
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

/**
 * One answer, its parts in order, each at most once: a part already sent (in the ledger) is
 * skipped when the job is retried. The job first takes its turn in the recipient's outbox; an
 * earlier answer to the same person still on its way (perhaps held by 131056) keeps it waiting.
 */
async function deliver(
  job: Job<OutboundJob>,
  token: string | undefined,
  signal: AbortSignal | undefined,
  deps: OutboundDependencies,
): Promise<string> {
  const parsed = outboundJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid outbound job: ${parsed.error.message}`);
  const reply = parsed.data;
  const adapter = deps.adapters.get(reply.platform);
  if (!adapter) throw new UnrecoverableError(`${reply.platform} is not configured`);

  const headState = (head: string) => sendJobState(head, reply.userId, deps);
  const turn = await deps.outbox.tryBegin(reply.conversation, reply.answeringMessageKey, headState);
  if (!turn) {
    await job.moveToDelayed(Date.now() + waitBehindMs(job), token);
    throw new DelayedError();
  }
  const finish = async () => deps.outbox.finish(reply.conversation, reply.answeringMessageKey);
  const log = { jobId: job.id, platform: reply.platform };
  try {
    // A tagged reply goes under its own window (HUMAN_AGENT: 7 days): the 24-hour mark does not hold it back.
    if (!reply.tag && (await deps.window.isClosedFor(reply.conversation, reply.answeringAt))) {
      deps.logger.warn(log, 'messaging window closed; answer not sent until the user writes again');
      await finish();
      return 'window-closed';
    }
    const attempt = sendAttempt(adapter, reply, log);
    const refused = await sendParts(reply, attempt, deps, async () => {
      // Shutting down: hand the rest back; another worker resumes at this part.
      if (!signal?.aborted) return;
      await job.moveToWait(token);
      throw new WaitingError();
    });
    await finish();
    if (refused) await tellRefused(reply, refused.failure, log, deps);
    if (refused?.failure.kind === 'window-closed') return 'window-closed';
    if (refused) throw new UnrecoverableError(`send refused (${refused.failure.kind})`);
  } finally {
    await turn.release();
  }
  deps.logger.info({ ...log, parts: reply.parts.length }, 'reply sent');
  return 'sent';
}

function sendAttempt(adapter: PlatformAdapter, reply: OutboundJob, log: SendAttempt['log']): SendAttempt {
  const { platform, conversation } = reply;
  const answeringAt = reply.answeringAt ?? Date.now();
  const tagged = reply.tag !== undefined;
  return { adapter, platform, conversation, answeringAt, log, retryLine: 'send failed; retrying', tagged };
}

/** Whoever waits on a reply refused for good hears of it (an agent's, through the handoff desk); never fatal to the job. */
async function tellRefused(
  reply: OutboundJob,
  failure: SendFailure,
  log: SendAttempt['log'],
  deps: OutboundDependencies,
): Promise<void> {
  await deps.onRefused?.(reply, failure).catch((err: unknown) => {
    deps.logger.warn({ ...log, err }, 'the refusal of a reply could not be passed on');
  });
}

/**
 * The parts not sent yet, one by one; each is marked sent the moment Graph accepted it. A failure
 * worth retrying throws for the queue's backoff (this answer keeps its place in the outbox); a
 * refusal for good ends the answer and is returned.
 */
async function sendParts(
  reply: OutboundJob,
  attempt: SendAttempt,
  deps: OutboundDependencies,
  beforeEachPart: () => Promise<void>,
): Promise<Extract<FailedSend, { kind: 'refused' }> | undefined> {
  const { conversation, answeringMessageKey } = reply;
  for (const index of reply.parts.keys()) {
    if (await deps.ledger.isPartSent(conversation, answeringMessageKey, index)) continue;
    await beforeEachPart();
    const result = await attemptPart(reply, index, { ...attempt, log: { ...attempt.log, part: index } }, deps);
    if (result.kind === 'retry') throw result.error;
    if (result.kind === 'refused') return result;
    const { answerAt } = reply;
    const { messageId } = result;
    // An answer's part keeps its id with the sent mark, so a reaction to it finds the answer.
    const keepId =
      answerAt !== undefined && messageId
        ? (multi: Multi) => deps.sentAnswers.keepIn(multi, conversation, { messageId, answerAt })
        : undefined;
    await deps.ledger.markPartSent(conversation, answeringMessageKey, index, keepId);
    await markAsked(conversation, reply, index, deps);
  }
  return undefined;
}

/** Whether the send job answering that message to that user may still run: an earlier answer the next one waits for. */
async function sendJobState(answering: string, userId: string, deps: OutboundDependencies): Promise<HeadState> {
  const state = await deps.outbound.getJobState(deps.jobIds.outbound(answering, userId));
  return isPendingJobState(state) ? 'pending' : 'gone';
}
