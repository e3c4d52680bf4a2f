import { parseCommand } from '../commands/commands';
import { modeOwner, type ModeQuestion, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * `/think <question>` (and `/fast`, `/contemplate`, `/shop` with words after them): the mode is
 * switched, as the bare command does, and the words are the turn's question, answered in that
 * mode at once, so nobody has to send the question twice. `/shop` without a catalog is left to
 * the command, which says there is none.
 */
export async function takeModeQuestion(
  turn: TurnContext,
  deps: Pick<TurnDependencies, 'catalog' | 'modeStore'>,
): Promise<ModeQuestion | null> {
  const command = parseCommand(turn.message);
  if (command?.kind !== 'mode' || command.mode === 'auto' || !command.argument) return null;
  if (command.mode === 'shopping' && !deps.catalog) return null;
  const owner = modeOwner(turn);
  const switched = (await deps.modeStore.get(owner)) !== command.mode;
  if (switched) await deps.modeStore.set(owner, command.mode);
  return { mode: command.mode, message: { ...turn.message, text: command.argument }, switched };
}
