import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { conversationKey, messageKey, type InboundMessage } from '../core/inbound';
import { inboundJobSchema, stripFinishedJob } from '../queues/jobs';
import { answer } from './answer';
import { claim } from './claim';
import { countTurn, countedOutcome } from './count-turn';
import type { TurnContext } from './context';
import { decide } from './decide';
import { discloseOnFirstContact } from './disclose';
import type { TurnDependencies } from './dependencies';
import { gather } from './gather';
import { handOver } from './hand-over';
import { offerToRemember } from './offer-to-remember';
import { readMedia } from './read-media';
import { recall } from './recall';
import { record } from './record';

/**
 * The turn: one inbound message in, one answer handed to the sender. This file is the whole
 * story; each step is a short function over the turn's context in its own file:
 *
 *   claim → (already answered? stop) → (reply saved by an earlier attempt? skip to hand over)
 *   → decide → gather → read media → recall → answer → offer to remember → disclose → record
 *   → (count) → hand over
 *
 * Decide comes before gather and read media so a command or a refused turn never waits for a
 * photo's question or downloads anything. Exactly-once comes from the answer ledger: the reply
 * is recorded (with the history) before it is handed over, and the message is marked answered
 * after, so a retry at any point resumes instead of answering twice. A worker shutting down
 * aborts `signal`; the job is then handed back to the queue and resumed from the ledger.
 */
export function createTurnProcessor(deps: TurnDependencies) {
  return async function processTurn(job: Job<InboundMessage>, token?: string, signal?: AbortSignal): Promise<string> {
    const parsed = inboundJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid inbound job: ${parsed.error.message}`);
    const message = parsed.data;
    const adapter = deps.adapters.get(message.platform);
    if (!adapter) {
      deps.logger.warn({ platform: message.platform, jobId: job.id }, 'channel is off; message not answered');
      await stripFinishedJob(job);
      return 'channel-off';
    }
    const turn: TurnContext = {
      job,
      token,
      signal: signal ?? new AbortController().signal,
      message,
      messageKey: messageKey(message),
      conversation: conversationKey(message),
      adapter,
      startedAt: Date.now(),
      canRetry: (job.opts.attempts ?? 1) - job.attemptsMade - 1 > 0,
      absorbed: [],
    };
    const held = await claim(turn, deps);
    try {
      const result = await runClaimedTurn(turn, deps);
      // Answered: the ledger is the record from here on, so the finished job keeps no content.
      await stripFinishedJob(job);
      return result;
    } catch (error) {
      if (!turn.signal.aborted) {
        if (!turn.canRetry || error instanceof UnrecoverableError) countTurn(turn, deps, 'failed');
        throw error;
      }
      deps.logger.info({ jobId: job.id }, 'shutting down; turn handed back');
      await job.moveToWait(token);
      throw new WaitingError();
    } finally {
      await held.release();
    }
  };
}

async function runClaimedTurn(turn: TurnContext, deps: TurnDependencies): Promise<string> {
  if (await deps.ledger.isAnswered(turn.conversation, turn.messageKey)) {
    const multi = deps.stateRedis.multi();
    deps.turnOrder.finishIn(multi, turn.conversation, turn.messageKey);
    await multi.exec();
    deps.logger.info({ jobId: turn.job.id }, 'duplicate delivery; already answered');
    return 'duplicate';
  }
  turn.parts = (await deps.ledger.pendingReply(turn.conversation, turn.messageKey)) ?? undefined;
  if (!turn.parts) {
    try {
      await decide(turn, deps);
      if (!turn.outcome) await gather(turn, deps);
      if (!turn.outcome) await readMedia(turn, deps);
      if (!turn.outcome) await recall(turn, deps);
      if (!turn.outcome) await answer(turn, deps);
    } finally {
      await turn.activity?.end();
    }
    await offerToRemember(turn, deps);
    await discloseOnFirstContact(turn, deps);
    await record(turn, deps);
    countTurn(turn, deps, countedOutcome(turn.outcome));
  }
  await handOver(turn, deps);
  return 'answered';
}
