import { parseCommand } from '../commands/commands';
import { yesNoIn } from '../commands/yes-no';
import type { InboundMessage } from '../core/inbound';
import type { TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import { answerPendingQuestion, questionExpired } from './answer-pending';
import { answerOrder } from './answer-order';
import { answerPostback } from './answer-postback';
import { isMoreLikeThisTap } from './product-focus';
import { runCommand, type CommandAnswer } from './run-command';

/** An answer the bot gives without the model; `run` only after the turn is allowed. */
export interface QuickAnswer {
  run: () => Promise<CommandAnswer>;
  /**
   * The person answers the bot: a yes/no to its open question, or a tapped button. Never refused
   * by the burst limit, so an answer the bot asked for is never lost to a flood of other messages.
   */
  answersBot: boolean;
}

/** A tapped quick reply, reply button or postback (typed text carries no payload). */
export const isTap = (message: Pick<InboundMessage, 'payload'>): boolean => message.payload !== undefined;

/**
 * Whether this message is answered without the model, and how: an answer to the open yes/no
 * question, a command, a WhatsApp order, or a tap on a button that carries no command (except
 * "More like this", which is a shopping turn). A mode command with a question (`/think why…`) is
 * not: it is answered by the model in that mode (mode-question.ts). The claim took the open
 * question as it read it, which closes it, so any message other than its answer leaves nothing
 * for a later "yes" to confirm.
 */
export function quickAnswerFor(turn: TurnContext, deps: TurnDependencies): QuickAnswer | null {
  const { message } = turn;
  const stored = turn.found?.question;
  const question = stored ? deps.pendingQuestions.open(turn.conversation, stored) : null;
  const yesNo = yesNoIn(message);
  const quick = (run: () => Promise<CommandAnswer>, answersBot = isTap(message)) => ({ run, answersBot });
  if (question && yesNo) return quick(() => answerPendingQuestion(question, yesNo, turn, deps), true);
  if (yesNo && message.payload) return quick(() => questionExpired(turn, deps));
  const command = parseCommand(message);
  if (command?.kind === 'mode' && command.argument && (command.mode !== 'shopping' || deps.catalog)) return null;
  if (command) return quick(() => runCommand(command, turn, deps));
  if (message.order) return quick(() => answerOrder(message.order!, turn, deps));
  if (isMoreLikeThisTap(message, deps)) return null;
  if (message.postback) return quick(() => answerPostback(turn, deps));
  return null;
}
