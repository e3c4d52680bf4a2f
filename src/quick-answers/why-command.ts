import { whyTexts } from '../commands/memory-texts';
import { lastAnswerMaking } from '../conversation/history';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { noticeAnswer } from './fixed-notice';
import type { CommandAnswer } from './command-answer';

/** `/why`: how the conversation's last answer was made (mode, model, remembered facts, searches). */
export function runWhy(turn: TurnContext, deps: TurnDependencies): Promise<CommandAnswer> {
  // The history as the claim read it: this conversation before this turn.
  const making = lastAnswerMaking(deps.history.open(turn.conversation, turn.found?.history ?? []));
  const reasoned = making?.reasoningTokens ? `\n${whyTexts.reasoned(turn.t, making.reasoningTokens)}` : '';
  const reacted = making?.reaction ? `\n${whyTexts.reacted(turn.t, making.reaction)}` : '';
  const text = making ? whyTexts.explain(turn.t, making) + reasoned + reacted : whyTexts.nothingYet(turn.t);
  return noticeAnswer(text, 'command:why', turn, deps);
}
