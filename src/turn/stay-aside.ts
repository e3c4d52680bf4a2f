import { DelayedError } from 'bullmq';
import { parseCommand } from '../commands/commands';
import { DrainBusyError } from '../handoff/forward-log';
import { tappedYesNo, typedYesNo } from '../commands/yes-no';
import type { InboundMessage } from '../core/inbound';
import type { ClaimedTurn } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { countTurn } from './count-turn';
import { handOver, type HandOverDeps } from './hand-over';

/** Commands that still answer while a person has the chat: the person's rights over their data. */
const RIGHTS = new Set(['privacy', 'export', 'forget']);

/** What the agent reads for a message: its words, or what it carried when it had none. */
export function agentTextOf(message: InboundMessage): string {
  const parts = [message.text?.trim() ?? ''];
  for (const attachment of message.attachments) parts.push(attachment.kind === 'audio' ? '[voice note]' : '[photo]');
  if (message.unsupported) parts.push(`[${message.unsupported}]`);
  if (message.order) parts.push(`[order of ${message.order.items.length} items]`);
  return parts.filter(Boolean).join(' ') || '[empty message]';
}

/** A /privacy, /export or /forget, or the yes or no to the question one of them asked (/forget all). */
function exercisesRights(turn: ClaimedTurn): boolean {
  const command = parseCommand(turn.message);
  if (command && RIGHTS.has(command.kind)) return true;
  const { text, payload } = turn.message;
  return Boolean(turn.found.question) && (typedYesNo(text) !== null || tappedYesNo(payload) !== null);
}

/**
 * Stay aside: while a person from the team has the conversation (src/handoff), the message goes
 * to their inbox (once, in order) and the assistant says nothing: no read receipt, no typing, no
 * answer, no fair-use charge. The message is still recorded in the history, so the assistant
 * knows what was said when it has the conversation back. The message that asked for the person
 * is not one of these (its retried turn answers it), nor a /privacy, /export or /forget (and the
 * yes or no that confirms it): the person's rights over their data do not wait for an agent.
 *
 * True when the turn is settled this way. A pause that ran idle is given back here (the person
 * told first, so the answer to this message waits behind that notice in the outbox).
 */
export async function stayAside(
  turn: ClaimedTurn,
  deps: Pick<TurnDependencies, 'handoff'>,
): Promise<{ kind: 'aside'; text: string } | { kind: 'answer'; turn: ClaimedTurn }> {
  // The claim read the record with the rest of the conversation's state, in the same step.
  const { state, returned } = await deps.handoff.status(turn.conversation, turn.found.handoff);
  const answering = returned ? { ...turn, found: { ...turn.found, queueFirst: true } } : turn;
  if (!state || state.askedBy === turn.messageKey) return { kind: 'answer', turn: answering };
  if (exercisesRights(turn)) return { kind: 'answer', turn: answering };
  const text = agentTextOf(turn.message);
  const at = new Date(turn.message.timestamp || Date.now()).toISOString();
  try {
    await deps.handoff.forward(state, turn.messageKey, { from: 'person', text, at });
  } catch (error) {
    // Another worker is delivering this conversation's log (or died doing so, and its lock runs
    // out within seconds): wait for it without spending an attempt.
    if (error instanceof DrainBusyError) {
      await turn.job.moveToDelayed(Date.now() + 1000, turn.token);
      throw new DelayedError();
    }
    // Kept in the forward log: the turn's retry (or the next message) delivers it first.
    if (turn.canRetry) throw error;
    turn.log.warn({ err: error }, 'message kept for the agent inbox; delivered with the next');
  }
  return { kind: 'aside', text };
}

/** What settling a message kept aside reaches: the ledger, the history, the hand-over, the metrics. */
export type SettleAsideDeps = HandOverDeps & Pick<TurnDependencies, 'history' | 'metrics'>;

/**
 * A message a person from the team has: saved as answered with no reply (a retry resumes to the
 * hand-over and sends nothing), its words kept in the history so the assistant knows what was
 * said when the conversation comes back, counted as handed off.
 */
export async function settleAside(turn: ClaimedTurn, text: string, deps: SettleAsideDeps): Promise<void> {
  const multi = deps.stateRedis.multi();
  deps.ledger.savePendingIn(multi, turn.conversation, turn.messageKey, []);
  deps.history.appendIn(multi, turn.conversation, [{ role: 'user', content: text, at: Date.now() }]);
  await multi.exec();
  turn.log.info({ platform: turn.message.platform, outcome: 'handed-off', parts: 0 }, 'turn decided');
  countTurn(turn, deps, 'handed-off');
  await handOver(turn, [], deps);
}
