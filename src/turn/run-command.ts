import { MODE_CHOICES, modeCommand, type Command } from '../commands/commands';
import { modeTexts } from '../commands/texts';
import type { Mode } from '../core/modes';
import type { ReplyChoice } from '../core/reply-choice';
import type { LimitedUser } from '../limits/fair-use-limiter';
import { privacyTexts } from '../commands/privacy-texts';
import { modeOwner, notice, type TurnContext } from './context';
import { runForget } from './run-forget';
import { runMemory, runRemember } from './memory-command';
import { runWhy } from './why-command';
import { runExport } from './run-export';
import { runLink, runUnlink } from './run-link';
import type { TurnDependencies } from './dependencies';

/** What a command answers, and the mode the conversation is in afterwards. */
export type CommandAnswer = Required<Pick<TurnContext, 'outcome' | 'mode'>> & { choices?: ReplyChoice[] };

/** The modes other than `mode`, as choices. */
export const choicesBesides = (mode: Mode): ReplyChoice[] =>
  MODE_CHOICES.filter((choice) => choice.id !== modeCommand(mode));

/** Runs one command (src/commands/commands.ts lists them); none of them reaches the model. */
export async function runCommand(command: Command, turn: TurnContext, deps: TurnDependencies): Promise<CommandAnswer> {
  const { modeStore, limiter, history } = deps;
  const { message, conversation } = turn;
  const owner = modeOwner(turn);
  switch (command.kind) {
    case 'mode':
      await modeStore.set(owner, command.mode);
      return {
        outcome: notice(modeTexts.switched(command.mode, limiter.spec(command.mode)), `command:${command.mode}`),
        mode: command.mode,
        choices: choicesBesides(command.mode),
      };
    case 'help': {
      const mode = await modeStore.get(owner);
      const specs = {
        fast: limiter.spec('fast'),
        thinking: limiter.spec('thinking'),
        contemplating: limiter.spec('contemplating'),
      };
      return { outcome: notice(modeTexts.help(mode, specs), 'command:help'), mode, choices: MODE_CHOICES };
    }
    case 'reset':
      // What the last answer was made from belongs to the conversation /reset forgets.
      await Promise.all([history.clear(conversation), deps.lastAnswers.clear(conversation)]);
      return { outcome: notice(modeTexts.reset, 'command:reset'), mode: await modeStore.get(owner) };
    case 'limits': {
      const user: LimitedUser = { platform: message.platform, userId: message.userId, person: turn.person };
      const mode = await modeStore.get(owner);
      const text = modeTexts.limits(mode, await limiter.status(user), limiter.isExempt(user));
      return { outcome: notice(text, 'command:limits'), mode };
    }
    case 'forget':
      return runForget(command.argument, turn, deps);
    case 'memory':
      return runMemory(command.argument, turn, deps);
    case 'remember':
      return runRemember(command.argument, turn, deps);
    case 'why':
      return runWhy(turn, deps);
    case 'privacy':
      return {
        outcome: notice(privacyTexts.privacy(deps.retention), 'command:privacy'),
        mode: await modeStore.get(owner),
      };
    case 'link':
      return runLink(command.argument, turn, deps);
    case 'unlink':
      return runUnlink(turn, deps);
    case 'export':
      return runExport(turn, deps);
    case 'unknown':
      return {
        outcome: notice(modeTexts.unknownCommand(command.text), 'command:unknown'),
        mode: await modeStore.get(owner),
      };
  }
}
