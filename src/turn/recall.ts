import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * Recall: while the person has memory on, the facts they asked to be remembered go to the answer
 * (and to anything that personalises it, such as shopping searches). Giving a fact to the model
 * counts as using it, so facts in use do not expire. Sets `memoryOn` and `factsUsed`; with memory
 * off it sets nothing and reads no fact.
 */
export async function recall(turn: TurnContext, deps: Pick<TurnDependencies, 'memory'>): Promise<void> {
  const { person } = turn;
  if (!person || !turn.plan?.complete) return;
  const facts = await deps.memory.factsInUse(person);
  if (!facts) return;
  turn.memoryOn = true;
  turn.factsUsed = facts;
  await deps.memory.markUsed(person, facts);
}
