import { memoryTexts } from '../commands/memory-texts';
import { MAX_FACTS } from '../memory/memory-store';
import { sameFact } from '../memory/stored-fact';
import type { AnsweredTurn } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { factData } from '../quick-answers/keep-fact';
import { askYesNo } from '../quick-answers/ask-yes-no';

/**
 * Offer to remember: a fact the model proposed becomes a Yes/No question under its answer
 * ("Shall I remember this about you: ...?"). Nothing is kept until the person says yes (and a
 * second yes for a special category). A fact already kept, or a full memory, asks nothing.
 */
export async function offerToRemember(
  turn: AnsweredTurn,
  deps: Pick<TurnDependencies, 'pendingQuestions'>,
): Promise<AnsweredTurn> {
  const { made, outcome } = turn;
  const fact = made?.proposedFact;
  if (!fact || !made.memoryOn || outcome.kind !== 'answer') return turn;
  const kept = made.factsUsed;
  if (kept.length >= MAX_FACTS || kept.some((known) => sameFact(known.text, fact.text))) return turn;
  const choices = await askYesNo({ kind: 'memory:propose', data: factData(fact) }, turn, deps);
  const question = memoryTexts.proposal(turn.t, fact.text);
  const text = outcome.text === '' ? question : `${outcome.text}\n\n${question}`;
  return { ...turn, choices, outcome: { ...outcome, text } };
}
