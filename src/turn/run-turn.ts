import { DelayedError, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { conversationKey, messageKey, type InboundMessage } from '../core/inbound';
import { translatorFor } from '../i18n/translator';
import { inboundJobSchema } from '../queues/jobs';
import { wakeMessageBehind } from '../queues/wake';
import { answer } from './answer';
import { claim } from './claim';
import { countTurn, countedOutcome } from './count-turn';
import type { AnsweredTurn, ClaimedTurn, PlannedTurn, TurnStart } from '../turn-state/turn-context';
import { decide } from './decide';
import { discloseOnFirstContact } from './disclose';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { gather } from './gather';
import { handOver } from './hand-over';
import { offerToRemember } from './offer-to-remember';
import { readMedia } from './read-media';
import { recall } from './recall';
import { beginSignsOfLife, recognise } from './recognise';
import { answerStamp, record, replyParts } from './record';
import { sendOwnAnswer } from './send-own-answer';
import { settleControl } from './settle-control';
import { takeReaction } from './take-reaction';
import { settleAside, stayAside } from './stay-aside';
import { handOffAfterFailures } from './hand-off';

/**
 * The turn: one inbound message in, one answer handed to the sender. This file is the whole
 * story; each step is a short function in its own file that takes the phase of the turn it
 * needs and returns what it decided (src/turn-state/turn-context.ts names the phases):
 *
 *   claim → (already answered? stop) → (reply saved by an earlier attempt? skip to hand over)
 *   → (a person has the conversation? forwarded to them, silence: recorded, handed over)
 *   → recognise → decide → (answered at once, or: gather → read media → recall → answer)
 *   → offer to remember → disclose
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
    const turn: TurnStart = {
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
      log: deps.logger.child({ jobId: job.id }),
      tally: { counted: false },
    };
    const claimed = await claim(turn, deps);
    if (claimed.kind === 'duplicate') {
      turn.log.info('duplicate delivery; already answered');
      return 'duplicate';
    }
    try {
      if (claimed.kind === 'resume') await handOver(turn, claimed.parts, deps);
      // Who answers the conversation changed: never answered (settle-control.ts).
      else if (message.control) return await settleControl(turn, message.control, deps);
      // Feedback on an answer, never answered (take-reaction.ts).
      else if (message.reaction) return await takeReaction(turn, message.reaction, deps);
      else await runClaimedTurn({ ...turn, held: claimed.held, found: claimed.found }, deps);
      return 'answered';
    } catch (error) {
      // Held by the burst limit (hold-turn.ts): the job waits delayed for its window, not failed.
      if (error instanceof DelayedError) throw error;
      if (!turn.signal.aborted) {
        if (!turn.canRetry || error instanceof UnrecoverableError) countTurn(turn, deps, 'failed');
        throw error;
      }
      turn.log.info('shutting down; turn handed back');
      await job.moveToWait(token);
      throw new WaitingError();
    } finally {
      await wakeMessageBehind(turn, await claimed.held.release(), deps);
    }
  };
}

async function runClaimedTurn(fresh: ClaimedTurn, deps: TurnDependencies): Promise<void> {
  // While a person from the team has the conversation: no receipt, no typing, no answer.
  const aside = await stayAside(fresh, deps);
  if (aside.kind === 'aside') return settleAside(fresh, aside.text, deps);
  const claimed = aside.turn;
  const activity = beginSignsOfLife(claimed, deps);
  let answered: AnsweredTurn;
  try {
    const turn = await recognise(claimed, activity, deps);
    const decision = await decide(turn, deps);
    claimed.tally.decision = decision;
    answered =
      decision.kind === 'answered'
        ? { ...turn, ...decision, absorbed: [] }
        : await think({ ...turn, ...decision }, deps);
  } finally {
    await activity.end();
  }
  const helped = await handOffAfterFailures(answered, deps);
  const reply = discloseOnFirstContact(await offerToRemember(helped, deps), deps);
  const parts = replyParts(reply);
  // One stamp names the answer: its history entry, and the ids of the messages that carry it.
  const at = Date.now();
  const own = await sendOwnAnswer(reply, parts, deps, at);
  if (!own.sent) await record(reply, parts, deps, at);
  countTurn(reply, deps, countedOutcome(reply.outcome));
  if (!own.sent) await handOver(reply, parts, deps, { sendInMs: own.retryInMs, answerAt: answerStamp(reply, at) });
}

/** Gather, read media, recall, answer. Turns carrying media hold their bytes meanwhile: they take a slot of their own pool. */
async function think(turn: PlannedTurn, deps: TurnDependencies): Promise<AnsweredTurn> {
  const steps = async (): Promise<AnsweredTurn> => {
    const gathered = await gather(turn, deps);
    const media = await readMedia(gathered, deps);
    if (media.kind === 'unreadable') return { ...gathered, outcome: media.outcome };
    const recalled = await recall(gathered, deps);
    return { ...gathered, ...(await answer({ ...gathered, ...recalled, input: media.input }, deps)) };
  };
  if (turn.message.attachments.length === 0) return steps();
  return deps.media.turnSlots.run(steps, turn.signal);
}
