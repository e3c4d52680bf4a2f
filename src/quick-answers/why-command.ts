import { handoffTexts } from '../commands/handoff-texts';
import { whyTexts } from '../commands/memory-texts';
import { lastAnswerMaking } from '../conversation/history';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { noticeAnswer } from './fixed-notice';
import type { CommandAnswer } from './command-answer';

/**
 * `/why`: how the conversation's last answer was made (mode, model, remembered facts, searches),
 * and whether a person from the team had the conversation for a while (the "handed off" marker).
 */
export async function runWhy(
  turn: TurnContext,
  deps: Pick<TurnDependencies, 'history' | 'modeStore' | 'handoff'>,
): Promise<CommandAnswer> {
  // The history as the claim read it: this conversation before this turn.
  const making = lastAnswerMaking(deps.history.open(turn.conversation, turn.found.history));
  const reasoned = making?.reasoningTokens ? `\n${whyTexts.reasoned(turn.t, making.reasoningTokens)}` : '';
  const reacted = making?.reaction ? `\n${whyTexts.reacted(turn.t, making.reaction)}` : '';
  const text = making ? whyTexts.explain(turn.t, making) + reasoned + reacted : whyTexts.nothingYet(turn.t);
  return noticeAnswer(text + (await handedOffMarker(turn, deps)), 'command:why', turn, deps);
}

async function handedOffMarker(turn: TurnContext, deps: Pick<TurnDependencies, 'handoff'>): Promise<string> {
  const ended = await deps.handoff.lastEnded(turn.conversation);
  if (!ended) return '';
  const when = new Intl.DateTimeFormat(turn.t.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: deps.handoff.hours?.timeZone ?? 'UTC',
  });
  return `\n${handoffTexts.handedOff(turn.t, when.format(ended.since), when.format(ended.returnedAt))}`;
}
