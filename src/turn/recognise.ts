import type { TurnActivity } from '../signs/signs-of-life';
import type { ClaimedTurn, TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { settleLanguage, type SettleLanguageDeps } from './settle-language';

/**
 * Signs of life begin the moment the turn is claimed: the read receipt at once. Decide starts
 * typing (and for reasoning modes the "still thinking" note) once the turn is allowed; the story
 * ends them however the turn ends.
 */
export function beginSignsOfLife(turn: ClaimedTurn, deps: Pick<TurnDependencies, 'signsOfLife'>): TurnActivity {
  const activity = deps.signsOfLife.begin(turn.adapter, turn.message, turn.messageKey);
  activity.seen();
  return activity;
}

/**
 * Recognise: the person the message is from (src/people: memory, mode, limits and links are
 * kept under them, shared by the accounts they linked), and the language every fixed text of
 * the turn is written in (settle-language.ts).
 */
export async function recognise(
  turn: ClaimedTurn,
  activity: TurnActivity,
  deps: SettleLanguageDeps & Pick<TurnDependencies, 'people'>,
): Promise<TurnContext> {
  const person = await deps.people.personOf(turn.message);
  const known: TurnContext = { ...turn, person, activity };
  await settleLanguage(known, deps, person);
  return known;
}
