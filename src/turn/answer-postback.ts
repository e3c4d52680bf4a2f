import { MODE_CHOICES } from '../commands/commands';
import { firstContactWelcome } from '../commands/memory-texts';
import { modeTexts } from '../commands/texts';
import { modeOwner, notice, type TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import type { CommandAnswer } from './run-command';

/**
 * A tapped button whose payload is not a command: Messenger's Get Started with a payload of the
 * Page's own, a persistent menu or ice breaker set up by another tool, or a button of an old
 * message. It is answered with a welcome and the choices, never with silence. A tap like that is
 * how many conversations start, so with AI_DISCLOSURE on the welcome is the first-contact notice.
 */
export async function answerPostback(turn: TurnContext, deps: TurnDependencies): Promise<CommandAnswer> {
  return {
    outcome: notice(
      deps.firstContact ? `${deps.firstContact.notice}\n\n${firstContactWelcome}` : modeTexts.welcome,
      'postback:welcome',
    ),
    mode: await deps.modeStore.get(modeOwner(turn)),
    choices: MODE_CHOICES,
  };
}
