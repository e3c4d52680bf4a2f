import type { ReplyChoice } from '../core/reply-choice';
import { modeOwner, notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import type { CommandAnswer } from './command-answer';

/** A fixed text as a quick answer, in the conversation's current mode. */
export async function noticeAnswer(
  text: string,
  reason: string,
  turn: TurnContext,
  deps: Pick<TurnDependencies, 'modeStore'>,
  choices?: ReplyChoice[],
): Promise<CommandAnswer> {
  const mode = await deps.modeStore.get(modeOwner(turn));
  return choices ? { outcome: notice(text, reason), mode, choices } : { outcome: notice(text, reason), mode };
}
