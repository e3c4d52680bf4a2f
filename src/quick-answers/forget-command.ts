import { modeTexts } from '../commands/texts';
import { modeOwner, notice, type TurnContext } from '../turn-state/turn-context';
import { forgetAll } from './forget-all';
import { forgetFact } from './forget-fact';
import type { CommandAnswer, MemoryDeps } from './command-answer';

/**
 * `/forget` in its forms: `/forget all` erases everything kept about the person (after they
 * confirm), `/forget 3` deletes the third remembered fact, and `/forget` alone says which is which.
 */
export async function runForget(
  argument: string | undefined,
  turn: TurnContext,
  deps: MemoryDeps,
): Promise<CommandAnswer> {
  const word = argument?.trim().toLowerCase();
  if (word === 'all' || word === 'everything') return forgetAll(turn, deps);
  if (word && /^\d{1,3}$/.test(word)) return forgetFact(Number(word), turn, deps);
  return {
    outcome: notice(modeTexts.forgetUsage(turn.t), 'command:forget-usage'),
    mode: await deps.modeStore.get(modeOwner(turn)),
  };
}
