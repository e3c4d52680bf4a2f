import { graphBackoff, SendRetryError, sendPart } from '../delivery/send-reply';
import { questionAskedBy } from '../commands/yes-no';
import type { SentTurn } from '../conversation/conversation-turn';
import type { ReplyPart } from '../core/reply-part';
import { wakeDelayedJob } from '../queues/wake';
import type { AnsweredTurn } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { historyEntries, logDecided } from './record';

/** What sending and recording the answer in one script reaches. */
export type OwnSendDeps = Pick<
  TurnDependencies,
  | 'conversationTurns'
  | 'metrics'
  | 'inbound'
  | 'jobIds'
  | 'pendingQuestions'
  | 'window'
  | 'history'
  | 'firstContact'
  | 'logContent'
>;

/**
 * Send own answer: most turns end in one text to a user with nothing else on its way to them, and
 * such a turn sends it itself instead of through the send queue (a second job, and most of a
 * turn's Redis work). Then one script records it all: answered, the history (with what the
 * answer was made from, for /why), the first-contact mark, the lock given back.
 *
 * Everything else goes through record and hand over, whose ledger states let a retry resume a
 * reply of several parts or cards part by part, keep it behind an earlier answer that waits for
 * a retry (the outbox), or stay silent toward a closed window (and reopen it for a newer
 * message). So does this answer when its send fails for a reason worth retrying: the sender
 * retries it with Graph's backoff rules. A send Meta refused for good is not tried again; it is
 * recorded, and a closed window is remembered.
 *
 * What exactly-once rests on here is the same as for the sender: the answer is recorded right
 * after Graph accepted it; a process dying in between (milliseconds) would answer again.
 */
export async function sendOwnAnswer(turn: AnsweredTurn, parts: ReplyPart[], deps: OwnSendDeps): Promise<OwnSend> {
  const text = parts.length === 1 ? parts[0] : undefined;
  if (typeof text !== 'string' || !canSendNow(turn)) return { sent: false };
  // Everything the record needs is made before the send, so once Graph has it only the script runs.
  const record = sentTurn(turn, deps);
  const result = await send(turn, parts, text, deps);
  if (typeof result === 'number') return { sent: false, retryInMs: result };
  if (result === 'sent') await markAsked(turn, deps);
  const head = await deps.conversationTurns.finishSent(turn.conversation, {
    ...record,
    surelyHeld: turn.held.surelyHeld(),
  });
  turn.held.released();
  if (result === 'sent') {
    deps.metrics.sends.inc({ platform: turn.message.platform, error_class: 'none' });
    turn.log.info({ platform: turn.message.platform, parts: 1 }, 'reply sent');
  }
  logDecided(turn, parts, deps);
  // The message waiting behind this one (if any) was delayed when it found us busy: wake it.
  if (head && head !== turn.messageKey)
    await wakeDelayedJob(deps.inbound, deps.jobIds.inbound(head, turn.message.userId));
  return { sent: true };
}

/** A question this answer asks is open to a typed answer from now on (src/conversation/pending-question.ts). */
async function markAsked(turn: AnsweredTurn, deps: Pick<TurnDependencies, 'pendingQuestions'>): Promise<void> {
  const question = questionAskedBy(turn.choices);
  if (question) await deps.pendingQuestions.markSent(turn.conversation, question, Date.now());
}

/** Sent (and recorded), or left to the send queue, after `retryInMs` when a send failed. */
export type OwnSend = { sent: true } | { sent: false; retryInMs?: number };

/**
 * Sends the text. A refusal for good is settled here; a failure worth retrying is left to the
 * sender, after the wait its backoff would have begun with (ms, returned).
 */
async function send(
  turn: AnsweredTurn,
  parts: ReplyPart[],
  text: string,
  deps: Pick<TurnDependencies, 'metrics' | 'window'>,
): Promise<'sent' | 'refused' | number> {
  const { message } = turn;
  const draft = { channelId: message.channelId, userId: message.userId, parts, choices: turn.choices };
  try {
    await sendPart(turn.adapter, draft, 0, text);
    return 'sent';
  } catch (error) {
    const failure = turn.adapter.classifySendFailure(error);
    deps.metrics.sends.inc({ platform: message.platform, error_class: failure.kind });
    const context = { platform: message.platform, failure: failure.kind, err: error };
    if (failure.kind === 'retry' || failure.kind === 'retry-recipient') {
      turn.log.warn(context, 'send failed; retrying (through the send queue)');
      return graphBackoff(1, 'graph', new SendRetryError(failure, { cause: error }));
    }
    if (failure.kind === 'window-closed') {
      await deps.window.markClosed(turn.conversation, message.timestamp);
      turn.log.warn(context, 'send refused: messaging window closed; not retrying');
    } else if (failure.kind === 'auth') turn.log.fatal(context, 'send refused: access token invalid or expired');
    else turn.log.error(context, 'send refused; not retrying');
    return 'refused';
  }
}

/**
 * The first-contact mark lives as long as the history the notice speaks of. Refreshing it with
 * every reply would cost a write per turn; refreshing it once its lifetime has fallen a day short
 * of the history's keeps it within a day of that (the person is told again a little early, never
 * late).
 */
function keepTold(turn: AnsweredTurn, deps: Pick<TurnDependencies, 'firstContact'>): boolean {
  if (!deps.firstContact) return false;
  const historyMs = deps.firstContact.marks.ttlSeconds * 1000;
  return !turn.found.told || turn.found.toldForMs < historyMs - Math.min(DAY_MS, historyMs / 10);
}

const DAY_MS = 86_400_000;

/** Nothing earlier queued for this user, no closed window on record, nothing to erase after it. */
function canSendNow(turn: AnsweredTurn): boolean {
  return !turn.found.queueFirst && !turn.eraseAfterSend;
}

function sentTurn(
  turn: AnsweredTurn,
  deps: Pick<TurnDependencies, 'history' | 'firstContact'>,
): Omit<SentTurn, 'surelyHeld'> {
  const { conversation } = turn;
  return {
    token: turn.held.token,
    message: turn.messageKey,
    history: deps.history.seal(conversation, historyEntries(turn, Date.now())),
    told: keepTold(turn, deps),
    merged: turn.absorbed,
  };
}
