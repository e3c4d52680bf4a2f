import { memoryTexts } from '../commands/memory-texts';
import type { RememberedFact } from '../core/remembered-fact';
import { isSpecialCategory } from '../memory/fact-category';
import { aboutSomeoneElse } from '../memory/fact-subject';
import type { TurnContext } from '../turn-state/turn-context';
import { askYesNo } from './ask-yes-no';
import { noticeAnswer } from './fixed-notice';
import type { CommandAnswer, MemoryDeps } from './command-answer';

/**
 * Keeps a fact the person said yes to (typed with /remember, or proposed and confirmed). A fact in
 * a special category (health, religion, ...) is kept only after a second yes to a question that
 * says why it is asked; `specialConfirmed` is that yes. A fact about someone else is never kept:
 * that person did not consent.
 */
export async function keepFact(
  fact: RememberedFact,
  turn: TurnContext,
  deps: MemoryDeps,
  specialConfirmed = false,
): Promise<CommandAnswer> {
  const person = turn.person;
  if (!(await deps.memory.isOn(person)))
    return noticeAnswer(memoryTexts.offForRemember(turn.t), 'memory:off', turn, deps);
  if (aboutSomeoneElse(fact.text))
    return noticeAnswer(memoryTexts.aboutOthers(turn.t), 'memory:about-others', turn, deps);
  if (isSpecialCategory(fact.category) && !specialConfirmed) {
    const choices = await askYesNo({ kind: 'memory:special', data: factData(fact) }, turn, deps);
    const text = memoryTexts.special(turn.t, fact.text, fact.category);
    return noticeAnswer(text, 'memory:special-question', turn, deps, choices);
  }
  const kept = await deps.memory.add(person, fact, turn.message.platform);
  if ('added' in kept) return noticeAnswer(memoryTexts.saved(turn.t, kept.added.text), 'memory:saved', turn, deps);
  if ('duplicate' in kept)
    return noticeAnswer(memoryTexts.duplicate(turn.t, kept.duplicate.text), 'memory:duplicate', turn, deps);
  if (kept.refused === 'full') return noticeAnswer(memoryTexts.full(turn.t), 'memory:full', turn, deps);
  if (kept.refused === 'too-long') return noticeAnswer(memoryTexts.tooLong(turn.t), 'memory:too-long', turn, deps);
  return noticeAnswer(memoryTexts.rememberUsage(turn.t), 'memory:empty', turn, deps);
}

/** A fact as a pending question carries it. */
export const factData = (fact: RememberedFact): Record<string, string> => ({
  text: fact.text,
  category: fact.category,
});
