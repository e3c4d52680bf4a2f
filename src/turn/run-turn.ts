import { DelayedError, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { conversationKey, messageKey, type InboundMessage } from '../core/inbound';
import { translatorFor } from '../i18n/translator';
import { inboundJobSchema } from '../queues/jobs';
import { wakeDelayedJob } from '../queues/wake';
import { answer } from './answer';
import { claim, type Claimed } from './claim';
import { countTurn, countedOutcome } from './count-turn';
import type { TurnContext } from '../turn-state/turn-context';
import { decide } from './decide';
import { discloseOnFirstContact } from './disclose';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { gather } from './gather';
import { handOver } from './hand-over';
import { offerToRemember } from './offer-to-remember';
import { readMedia } from './read-media';
import { recall } from './recall';
import { record, replyParts } from './record';
import { sendOwnAnswer } from './send-own-answer';
import { stayAside } from './stay-aside';
import { handOffAfterFailures } from './hand-off';

/**
 * The turn: one inbound message in, one answer handed to the sender. This file is the whole
 * story; each step is a short function over the turn's context in its own file:
 *
 *   claim → (already answered? stop) → (reply saved by an earlier attempt? skip to hand over)
 *   → (a person has the conversation? forward it, stay silent: record, hand over) → decide → gather → read media → recall → answer → offer to remember → disclose
 *   → send own answer (one text, nothing queued ahead: sent and recorded, done)
 *   → record → (count) → hand over
 *
 * Decide comes before gather and read media so a command or a refused turn never waits for a
 * photo's question or downloads anything. Exactly-once comes from the answer ledger: a reply
 * for the send queue is recorded (with the history) before it is handed over, and the message is
 * marked answered after, so a retry at any point resumes instead of answering twice; an answer
 * the turn sent itself is recorded as answered the moment Graph accepted it. A worker shutting down
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
      t: translatorFor(deps.defaultLanguage),
      absorbed: [],
    };
    const claimed = await claim(turn, deps);
    if (claimed.kind === 'duplicate') {
      deps.logger.info({ jobId: job.id }, 'duplicate delivery; already answered');
      return 'duplicate';
    }
    turn.held = claimed.held;
    try {
      return await runClaimedTurn(turn, claimed, deps);
    } catch (error) {
      // Held by the burst limit (hold-turn.ts): the job waits delayed for its window, not failed.
      if (error instanceof DelayedError) throw error;
      if (!turn.signal.aborted) {
        if (!turn.canRetry || error instanceof UnrecoverableError) countTurn(turn, deps, 'failed');
        throw error;
      }
      deps.logger.info({ jobId: job.id }, 'shutting down; turn handed back');
      await job.moveToWait(token);
      throw new WaitingError();
    } finally {
      // The message waiting behind this one (if any) was delayed when it found us busy: wake it.
      const head = await claimed.held.release();
      if (head && head !== turn.messageKey)
        await wakeDelayedJob(deps.inbound, deps.jobIds.inbound(head, message.userId));
    }
  };
}

async function runClaimedTurn(
  turn: TurnContext,
  claimed: Exclude<Claimed, { kind: 'duplicate' }>,
  deps: TurnDependencies,
) {
  if (claimed.kind === 'resume') {
    turn.parts = claimed.parts;
    await handOver(turn, deps);
    return 'answered';
  }
  turn.found = claimed.found;
  if (await stayAside(turn, deps)) {
    await record(turn, [], deps);
    countTurn(turn, deps, 'handed-off');
    await handOver(turn, deps);
    return 'handed-off';
  }
  try {
    await decide(turn, deps);
    if (!turn.outcome) await think(turn, deps);
  } finally {
    await turn.activity?.end();
  }
  await handOffAfterFailures(turn, deps);
  await offerToRemember(turn, deps);
  discloseOnFirstContact(turn, deps);
  const parts = replyParts(turn);
  const own = await sendOwnAnswer(turn, parts, deps);
  if (!own.sent) await record(turn, parts, deps);
  countTurn(turn, deps, countedOutcome(turn.outcome));
  if (!own.sent) await handOver(turn, deps, own.retryInMs);
  return 'answered';
}

/** Gather, read media, recall, answer. Turns carrying media hold their bytes meanwhile: they take a slot of their own pool. */
async function think(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const steps = async () => {
    await gather(turn, deps);
    if (!turn.outcome) await readMedia(turn, deps);
    if (!turn.outcome) await recall(turn, deps);
    if (!turn.outcome) await answer(turn, deps);
  };
  if (turn.message.attachments.length === 0) await steps();
  else await deps.media.turnSlots.run(steps, turn.signal);
}
