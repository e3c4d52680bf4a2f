import type { SentTurn } from '../conversation/conversation-turn';
import type { ReplyPart } from '../core/reply-part';
import { sendNow, type SendNowDependencies } from '../outbound';
import { wakeMessageBehind } from '../queues/wake';
import type { AnsweredTurn } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { answerStamp, historyEntries, logDecided } from './record';

/** What sending (the outbound layer) and recording the answer in one script reaches. */
export type OwnSendDeps = SendNowDependencies &
  Pick<TurnDependencies, 'conversationTurns' | 'inbound' | 'jobIds' | 'history' | 'firstContact' | 'logContent'>;

/**
 * Send own answer: most turns end in one text to a user with nothing else on its way to them, and
 * such a turn sends it itself instead of through the send queue (a second job, and most of a
 * turn's Redis work). Then one script records it all: answered, the history (with what the
 * answer was made from, for /why), the id Graph gave the answer (a reaction finds it by that),
 * the first-contact mark, the lock given back.
 *
 * Everything else goes through record and hand over, whose ledger states let a retry resume a
 * reply of several parts or cards part by part, keep it behind an earlier answer that waits for
 * a retry (the outbox), or stay silent toward a closed window (and reopen it for a newer
 * message). So does this answer when its send fails for a reason worth retrying: the send job
 * retries it with Graph's backoff rules. The send, what a failure does and the question's mark
 * are the outbound layer's (src/outbound, `sendNow`); a send Meta refused for good is recorded
 * as answered and not tried again.
 *
 * What exactly-once rests on here is the same as for the send job: the answer is recorded right
 * after Graph accepted it; a process dying in between (milliseconds) would answer again.
 */
export async function sendOwnAnswer(
  turn: AnsweredTurn,
  parts: ReplyPart[],
  deps: OwnSendDeps,
  at: number,
): Promise<OwnSend> {
  const text = parts.length === 1 ? parts[0] : undefined;
  if (typeof text !== 'string' || !canSendNow(turn)) return { sent: false };
  // Everything the record needs is made before the send, so once Graph has it only the script runs.
  const record = sentTurn(turn, deps, at);
  const answerAt = answerStamp(turn, at);
  const { message } = turn;
  const reply = { text, answeringAt: message.timestamp, choices: turn.choices, jobId: turn.job.id };
  const result = await sendNow(message, reply, deps, async (messageId) => {
    const head = await deps.conversationTurns.finishSent(turn.conversation, {
      ...record,
      surelyHeld: turn.held.surelyHeld(),
      ...(messageId && answerAt !== undefined ? { sent: { messageId, answerAt } } : {}),
    });
    turn.held.released();
    return head;
  });
  if (result.kind === 'retry') return { sent: false, retryInMs: result.retryInMs };
  logDecided(turn, parts, deps);
  await wakeMessageBehind(turn, result.answered, deps);
  return { sent: true };
}

/** Sent (and recorded), or left to the send queue, after `retryInMs` when a send failed. */
export type OwnSend = { sent: true } | { sent: false; retryInMs?: number };

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
  at: number,
): Omit<SentTurn, 'surelyHeld'> {
  const { conversation } = turn;
  return {
    token: turn.held.token,
    message: turn.messageKey,
    history: deps.history.seal(conversation, historyEntries(turn, at)),
    told: keepTold(turn, deps),
    merged: turn.absorbed,
  };
}
