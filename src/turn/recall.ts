import type { AnswerMade, PlannedTurn } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * Recall: while the person has memory on, the facts they asked to be remembered go to the answer
 * (and to anything that personalises it, such as shopping searches). Giving a fact to the model
 * counts as using it, so facts in use do not expire. With memory off (or no model to give them
 * to) it reads no fact.
 */
export async function recall(turn: PlannedTurn, deps: Pick<TurnDependencies, 'memory'>): Promise<Recalled> {
  const { person } = turn;
  const off: Recalled = { memoryOn: false, factsUsed: [] };
  if (!turn.plan.complete) return off;
  const facts = await deps.memory.factsInUse(person);
  if (!facts) return off;
  await deps.memory.markUsed(person, facts);
  return { memoryOn: true, factsUsed: facts };
}

/** Whether the person has memory on, and the facts the answer is given. */
export type Recalled = Pick<AnswerMade, 'memoryOn' | 'factsUsed'>;
