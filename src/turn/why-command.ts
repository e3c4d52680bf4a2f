import { whyTexts } from '../commands/memory-texts';
import type { TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import { noticeAnswer } from './notice-answer';
import type { CommandAnswer } from './run-command';

/** `/why`: how the conversation's last answer was made (mode, model, remembered facts, searches). */
export async function runWhy(turn: TurnContext, deps: TurnDependencies): Promise<CommandAnswer> {
  const making = await deps.lastAnswers.get(turn.conversation);
  const text = making ? whyTexts.explain(making) : whyTexts.nothingYet;
  return noticeAnswer(text, 'command:why', turn, deps);
}
