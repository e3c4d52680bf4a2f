import { notice, type TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import type { CommandAnswer } from './run-command';

/** `/forget 3`: deletes the third fact of the numbered list `/memory` shows. */
export async function forgetFact(_number: number, turn: TurnContext, deps: TurnDependencies): Promise<CommandAnswer> {
  return {
    outcome: notice('I keep no remembered facts yet, so there is nothing to delete.', 'command:forget-fact'),
    mode: await deps.modeStore.get(turn.conversation),
  };
}
