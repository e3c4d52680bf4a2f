import { memoryTexts } from '../commands/memory-texts';
import type { PendingQuestion } from '../conversation/pending-question';
import type { RememberedFact } from '../core/remembered-fact';
import { categoryOf } from '../memory/fact-category';
import type { PendingAnswerHandler } from './open-question-reply';
import { keepFact } from './keep-fact';
import { noticeAnswer } from './fixed-notice';

/**
 * The answers to memory's yes/no questions: turning memory on, keeping a proposed fact, the second
 * yes for a special-category fact, and deleting what is kept when memory is turned off.
 */

/** The fact a question carries; its category is read again, so a tampered one cannot skip the second yes. */
function factIn(question: PendingQuestion): RememberedFact | null {
  const text = question.data?.text;
  return text ? { text, category: categoryOf(text, question.data?.category) } : null;
}

const consent: PendingAnswerHandler = async (_question, answer, turn, deps) => {
  if (answer === 'no') return noticeAnswer(memoryTexts.stayedOff(turn.t), 'memory:consent-no', turn, deps);
  await deps.memory.turnOn(turn.person);
  return noticeAnswer(memoryTexts.turnedOn(turn.t), 'memory:on', turn, deps);
};

const keepAnswered =
  (specialConfirmed: boolean): PendingAnswerHandler =>
  async (question, answer, turn, deps) => {
    const fact = factIn(question);
    if (answer === 'no' || !fact) return noticeAnswer(memoryTexts.notSaved(turn.t), 'memory:declined', turn, deps);
    return keepFact(fact, turn, deps, specialConfirmed);
  };

const deleteWhenOff: PendingAnswerHandler = async (_question, answer, turn, deps) => {
  if (answer === 'no')
    return noticeAnswer(memoryTexts.keptWhileOff(turn.t, deps.memory.ttlDays), 'memory:kept', turn, deps);
  const person = turn.person;
  const facts = await deps.memory.facts(person);
  await deps.memory.remove(
    person,
    facts.map((fact) => fact.id),
  );
  return noticeAnswer(memoryTexts.deletedAll(turn.t, facts.length), 'memory:deleted-all', turn, deps);
};

export const MEMORY_ANSWER_HANDLERS: Record<string, PendingAnswerHandler> = {
  'memory:consent': consent,
  'memory:propose': keepAnswered(false),
  'memory:special': keepAnswered(true),
  'memory:off-delete': deleteWhenOff,
};
