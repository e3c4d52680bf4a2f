import { parseCommand } from '../commands/commands';
import { yesNoIn } from '../commands/yes-no';
import type { TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import { answerPendingQuestion, questionExpired } from './answer-pending';
import { answerOrder } from './answer-order';
import { answerPostback } from './answer-postback';
import { isMoreLikeThisTap } from './product-focus';
import { runCommand, type CommandAnswer } from './run-command';

/** An answer the bot gives without the model; run only after the turn is allowed. */
export type QuickAnswer = () => Promise<CommandAnswer>;

/**
 * Whether this message is answered without the model, and how: an answer to the open yes/no
 * question, a command, a WhatsApp order, or a tap on a button that carries no command (except
 * "More like this", which is a shopping turn). The claim took the open question as it read it,
 * which closes it, so any message other than its answer leaves nothing for a later "yes" to confirm.
 */
export function quickAnswerFor(turn: TurnContext, deps: TurnDependencies): QuickAnswer | null {
  const { message } = turn;
  const stored = turn.found?.question;
  const question = stored ? deps.pendingQuestions.open(turn.conversation, stored) : null;
  const yesNo = yesNoIn(message);
  if (question && yesNo) return () => answerPendingQuestion(question, yesNo, turn, deps);
  if (yesNo && message.payload) return () => questionExpired(turn, deps);
  const command = parseCommand(message);
  if (command) return () => runCommand(command, turn, deps);
  if (message.order) return () => answerOrder(message.order!, turn, deps);
  if (isMoreLikeThisTap(message, deps)) return null;
  if (message.postback) return () => answerPostback(turn, deps);
  return null;
}
