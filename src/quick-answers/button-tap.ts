import { firstContactWelcome } from '../commands/memory-texts';
import { modeTexts } from '../commands/texts';
import { notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { choicesBesides, currentMode, type CommandAnswer, type ModeDeps } from './command-answer';

/**
 * A tapped button whose payload is not a command: Messenger's Get Started with a payload of the
 * Page's own, a persistent menu or ice breaker set up by another tool, or a button of an old
 * message. It is answered with a welcome and the choices, never with silence. A tap like that is
 * how many conversations start, so with AI_DISCLOSURE on the welcome is the first-contact notice.
 */
export async function answerPostback(
  turn: TurnContext,
  deps: ModeDeps & Pick<TurnDependencies, 'firstContact'>,
): Promise<CommandAnswer> {
  const mode = await currentMode(turn, deps);
  const { t } = turn;
  const welcome = deps.firstContact
    ? `${deps.firstContact.notice(t)}\n\n${firstContactWelcome(t)}`
    : modeTexts.welcome(t);
  // Only Messenger and Instagram have postbacks, and their quick replies take every mode.
  return { outcome: notice(welcome, 'postback:welcome'), mode, choices: choicesBesides(undefined, deps, t) };
}
