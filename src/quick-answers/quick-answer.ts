import { parseCommand } from '../commands/commands';
import { replyTo, writtenAfter } from '../commands/yes-no';
import type { InboundMessage } from '../core/inbound';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { answerPendingQuestion, questionExpired, type PendingAnswerDeps } from './open-question-reply';
import { answerOrder } from './order-next-step';
import { answerPostback } from './button-tap';
import { isMoreLikeThisTap } from './product-focus';
import type { CommandAnswer } from './command-answer';
import { runCommand, type CommandDeps } from './run-command';

/** An answer the bot gives without the model; `run` only after the turn is allowed. */
export interface QuickAnswer {
  run: () => Promise<CommandAnswer>;
  /**
   * The person answers the bot: a yes/no to its open question, or a tapped button. Never refused
   * by the burst limit, so an answer the bot asked for is never lost to a flood of other messages.
   */
  answersBot: boolean;
}

/** What the answers without the model reach: the commands', the open questions', orders' and taps'. */
export type QuickAnswerDeps = CommandDeps &
  PendingAnswerDeps &
  Pick<TurnDependencies, 'pendingQuestions' | 'checkoutUrl' | 'firstContact'>;

/** A tapped quick reply, reply button or postback (typed text carries no payload). */
export const isTap = (message: Pick<InboundMessage, 'payload'>): boolean => message.payload !== undefined;

/**
 * Whether this message is answered without the model, and how: an answer to the open yes/no
 * question, a tap on a Yes/No button of a question no longer open, a command, a WhatsApp order, or
 * a tap on a button that carries no command (except "More like this", which is a shopping turn). A
 * mode command with a question (`/think why…`) is not: it is answered by the model in that mode
 * (mode-question.ts). The claim took the open question as it read it, which closes it, so a
 * message written after it reached the person and not answering it leaves nothing for a later
 * "yes" to confirm. A message written before that (sent with the one that led to the question, or
 * while it was being answered) cannot be moving on from it: the question is put back, still open
 * to its buttons and a later yes.
 */
export async function quickAnswerFor(turn: TurnContext, deps: QuickAnswerDeps): Promise<QuickAnswer | null> {
  const { message } = turn;
  const stored = turn.found.question ?? null;
  const question = stored ? deps.pendingQuestions.open(turn.conversation, stored) : null;
  const reply = replyTo(question, message);
  const quick = (run: () => Promise<CommandAnswer>, answersBot = isTap(message)) => ({ run, answersBot });
  if (question && reply.kind === 'answer') {
    return quick(() => answerPendingQuestion(question, reply.answer, turn, deps), true);
  }
  if (question && !writtenAfter(question, message)) await deps.pendingQuestions.restore(turn.conversation, question);
  if (reply.kind === 'stale-tap') return quick(() => questionExpired(turn, deps));
  const command = parseCommand(message);
  if (command?.kind === 'mode' && command.argument && (command.mode !== 'shopping' || deps.catalog)) return null;
  if (command) return quick(() => runCommand(command, turn, deps));
  const { order } = message;
  if (order) return quick(() => answerOrder(order, turn, deps));
  if (isMoreLikeThisTap(message, deps)) return null;
  if (message.postback) return quick(() => answerPostback(turn, deps));
  return null;
}
