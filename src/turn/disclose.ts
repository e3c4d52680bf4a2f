import type { AnsweredTurn } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * Disclose: the first reply a person gets in a conversation starts with the first-contact notice (an
 * AI assistant, run by whom, how long the conversation is kept, /privacy and /forget), whatever
 * that reply is: an answer, a command's text, a welcome, a refusal. Record marks them told with
 * the reply, so a retry of this turn tells them again rather than never. A deliberate silence
 * (a repeated refusal) carries nothing.
 */
export function discloseOnFirstContact(turn: AnsweredTurn, deps: Pick<TurnDependencies, 'firstContact'>): AnsweredTurn {
  const { firstContact } = deps;
  const { outcome } = turn;
  if (!firstContact || outcome.text === '') return turn;
  const told = firstContact.notice(turn.t);
  if (outcome.text.startsWith(told) || turn.found.told) return turn;
  return { ...turn, outcome: { ...outcome, text: `${told}\n\n${outcome.text}` } };
}
