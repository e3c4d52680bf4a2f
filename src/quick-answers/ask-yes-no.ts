import { yesNoChoices } from '../commands/yes-no';
import type { PendingQuestion } from '../conversation/pending-question';
import type { ReplyChoice } from '../core/reply-choice';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * Asks a yes/no question in the turn's conversation: resolves with its Yes/No buttons, which carry
 * the question's id. Whoever sends the reply carrying them marks the question sent
 * (src/outbound/send-part.ts, for every send); only from then on does a typed yes count.
 */
export async function askYesNo(
  question: PendingQuestion,
  turn: Pick<TurnContext, 'conversation' | 't'>,
  deps: Pick<TurnDependencies, 'pendingQuestions'>,
): Promise<ReplyChoice[]> {
  return yesNoChoices(turn.t, await deps.pendingQuestions.ask(turn.conversation, question));
}
