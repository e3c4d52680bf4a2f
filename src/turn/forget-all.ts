import { notice, type TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import type { CommandAnswer } from './run-command';

/** `/forget all`: asks the person to confirm, then erases everything kept about them. */
export async function forgetAll(turn: TurnContext, deps: TurnDependencies): Promise<CommandAnswer> {
  return {
    outcome: notice('Erasing everything is not available yet. /reset forgets this conversation.', 'command:forget-all'),
    mode: await deps.modeStore.get(turn.conversation),
  };
}
