import { memoryTexts } from '../commands/memory-texts';
import type { TurnContext } from '../turn-state/turn-context';
import { noticeAnswer } from './fixed-notice';
import type { CommandAnswer, MemoryDeps } from './command-answer';

/** `/forget 3`: deletes the third fact of the numbered list `/memory` shows. */
export async function forgetFact(number: number, turn: TurnContext, deps: MemoryDeps): Promise<CommandAnswer> {
  const person = turn.person;
  const facts = await deps.memory.facts(person);
  const fact = facts[number - 1];
  if (!fact || number < 1) {
    return noticeAnswer(
      memoryTexts.noSuchFact(turn.t, number, facts.length),
      'command:forget-fact-missing',
      turn,
      deps,
    );
  }
  await deps.memory.remove(person, [fact.id]);
  return noticeAnswer(memoryTexts.forgotten(turn.t, fact.text), 'command:forget-fact', turn, deps);
}
