import type { Command } from '../commands/commands';
import { modeTexts } from '../commands/texts';
import { isMode, type ModeChoice } from '../core/modes';
import type { LimitedUser } from '../limits/fair-use-limiter';
import { privacyTexts } from '../commands/privacy-texts';
import { modeOwner, notice, type TurnContext } from '../turn-state/turn-context';
import { runForget } from './forget-command';
import { runMemory, runRemember } from './memory-command';
import { runWhy } from './why-command';
import { runExport, type ExportDeps } from './export-command';
import { runLink, runUnlink, type LinkDeps } from './link-command';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { runHelp, type HelpDeps } from './help-command';
import { runLanguage, type LanguageDeps } from './language-command';
import { runReminders, type RemindersDeps } from './reminders-command';
import { handToPerson, type HandToPersonDeps } from './hand-to-person';
import { choicesBesides, currentMode, type CommandAnswer, type ModeDeps, type MemoryDeps } from './command-answer';

/**
 * What the commands reach: each command declares its own (`Pick<TurnDependencies, ...>` or a
 * named type beside it) and is listed here.
 */
export type CommandDeps = Pick<TurnDependencies, 'history' | 'sentAnswers' | 'limiter' | 'retention'> &
  ModeDeps &
  MemoryDeps &
  LinkDeps &
  ExportDeps &
  HelpDeps &
  LanguageDeps &
  RemindersDeps &
  HandToPersonDeps;

/** Runs one command (src/commands/commands.ts lists them); none of them reaches the model. */
export async function runCommand(command: Command, turn: TurnContext, deps: CommandDeps): Promise<CommandAnswer> {
  switch (command.kind) {
    case 'mode':
      return switchMode(command.mode, turn, deps);
    case 'help':
      return runHelp(command.argument, turn, deps);
    case 'language':
      return runLanguage(command.argument, turn, deps);
    case 'reset':
      // What the last answer was made from is kept in the history: /reset forgets it too, and
      // the ids of the answers' messages, which point into it.
      await deps.history.clear(turn.conversation);
      await deps.sentAnswers.clear(turn.conversation);
      return { outcome: notice(modeTexts.reset(turn.t), 'command:reset'), mode: await currentMode(turn, deps) };
    case 'limits':
      return runLimits(turn, deps);
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
        outcome: notice(privacyTexts.privacy(turn.t, deps.retention), 'command:privacy'),
        mode: await currentMode(turn, deps),
      };
    case 'link':
      return runLink(command.argument, turn, deps);
    case 'unlink':
      return runUnlink(turn, deps);
    case 'export':
      return runExport(turn, deps);
    case 'reminders':
      return runReminders(command.argument, turn, deps);
    case 'human': {
      const asked = await handToPerson(turn, deps, 'asked', { asking: turn.message.text, detail: command.argument });
      return {
        outcome: notice(asked.text, asked.handedOff ? 'handoff:asked' : 'handoff:unavailable'),
        mode: await currentMode(turn, deps),
      };
    }
    case 'unknown':
      return {
        outcome: notice(modeTexts.unknownCommand(turn.t, command.text), 'command:unknown'),
        mode: await currentMode(turn, deps),
      };
  }
}

async function switchMode(
  mode: ModeChoice,
  turn: TurnContext,
  deps: ModeDeps & Pick<TurnDependencies, 'limiter'>,
): Promise<CommandAnswer> {
  if (mode === 'shopping' && !deps.catalog) {
    return {
      outcome: notice(modeTexts.noCatalog(turn.t), 'command:shopping-no-catalog'),
      mode: await currentMode(turn, deps),
    };
  }
  await deps.modeStore.set(modeOwner(turn), mode);
  return {
    outcome: notice(
      modeTexts.switched(turn.t, mode, isMode(mode) ? deps.limiter.spec(mode) : null, deps.modeStore.defaultChoice),
      `command:${mode}`,
    ),
    mode,
    choices: choicesBesides(mode, deps, turn.t),
  };
}

async function runLimits(
  turn: TurnContext,
  deps: ModeDeps & Pick<TurnDependencies, 'limiter'>,
): Promise<CommandAnswer> {
  const { message } = turn;
  // Linked accounts share their limits: the person's counters are the ones to show.
  const user: LimitedUser = { platform: message.platform, userId: message.userId, person: turn.person };
  const mode = await currentMode(turn, deps);
  const statuses = (await deps.limiter.status(user)).filter((s) => deps.catalog || s.limit !== 'shopping');
  return {
    outcome: notice(modeTexts.limits(turn.t, mode, statuses, deps.limiter.isExempt(user)), 'command:limits'),
    mode,
  };
}
