import { modeTexts } from '../commands/texts';
import type { YesNo } from '../commands/yes-no';
import type { PendingQuestion } from '../conversation/pending-question';
import { modeOwner, notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { MEMORY_ANSWER_HANDLERS } from './memory-replies';
import { answerForgetAll, FORGET_ALL_QUESTION, type ForgetAllDeps } from './forget-all';
import type { CommandAnswer, MemoryDeps } from './command-answer';

/** What the answers to the bot's questions reach. */
export type PendingAnswerDeps = MemoryDeps & ForgetAllDeps;

/**
 * What happens when the person answers a yes/no question the bot asked. Each kind of question
 * has one handler here, named by PendingQuestion.kind; whoever asks a question adds its handler.
 */
export type PendingAnswerHandler = (
  question: PendingQuestion,
  answer: YesNo,
  turn: TurnContext,
  deps: PendingAnswerDeps,
) => Promise<CommandAnswer>;

export const PENDING_ANSWER_HANDLERS: Record<string, PendingAnswerHandler> = {
  ...MEMORY_ANSWER_HANDLERS,
  [FORGET_ALL_QUESTION]: (_question, answer, turn, deps) => answerForgetAll(answer, turn, deps),
};

export async function answerPendingQuestion(
  question: PendingQuestion,
  answer: YesNo,
  turn: TurnContext,
  deps: PendingAnswerDeps,
): Promise<CommandAnswer> {
  const handler = PENDING_ANSWER_HANDLERS[question.kind];
  if (handler) return handler(question, answer, turn, deps);
  // A question a newer version no longer asks: say so rather than guess what yes meant.
  turn.log.warn({ kind: question.kind }, 'answer to a question no handler knows');
  return questionExpired(turn, deps);
}

/** A tapped Yes/No whose question is gone (answered already, expired, or dropped by a later message). */
export async function questionExpired(
  turn: TurnContext,
  deps: Pick<TurnDependencies, 'modeStore'>,
): Promise<CommandAnswer> {
  return {
    outcome: notice(modeTexts.questionExpired(turn.t), 'pending:expired'),
    mode: await deps.modeStore.get(modeOwner(turn)),
  };
}
