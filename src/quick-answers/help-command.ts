import { modeTexts } from '../commands/texts';
import type { ReplyChoice } from '../core/reply-choice';
import { LANGUAGES } from '../i18n/languages';
import { catalogueWords, translatorFor, type Translator } from '../i18n/translator';
import { notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { currentMode, type CommandAnswer, type ModeDeps } from './command-answer';

export type HelpDeps = ModeDeps & Pick<TurnDependencies, 'limiter'>;

/** "all" in every shipped language: `/help all`, `/ayuda todo`. */
const ALL_WORDS = new Set(LANGUAGES.flatMap((language) => catalogueWords(translatorFor(language)('word.all'))));

/** Whether `argument` asks for everything (`all`, `todo`, `alle`, ...). */
export const asksForAll = (argument: string | undefined): boolean =>
  argument !== undefined && ALL_WORDS.has(argument.trim().toLowerCase());

/** The short help's buttons: what most people want next, and the way to the rest. */
function shortHelpChoices(t: Translator, shopOpen: boolean): ReplyChoice[] {
  return [
    { id: '/think', title: t('choice.think') },
    shopOpen ? { id: '/shop', title: t('choice.shop') } : { id: '/memory', title: t('choice.memory') },
    { id: '/help all', title: t('choice.allCommands') },
  ];
}

/**
 * `/help`: a few lines on what most people want (ask, think harder, shop or memory, privacy),
 * with buttons for them (three: WhatsApp shows no more); `/help all`: every mode with its limit
 * and every other command.
 */
export async function runHelp(argument: string | undefined, turn: TurnContext, deps: HelpDeps): Promise<CommandAnswer> {
  const { t } = turn;
  const mode = await currentMode(turn, deps);
  const shopOpen = deps.catalog !== null;
  if (!asksForAll(argument)) {
    return {
      outcome: notice(modeTexts.help(t, shopOpen), 'command:help'),
      mode,
      choices: shortHelpChoices(t, shopOpen),
    };
  }
  const { limiter } = deps;
  const specs = {
    fast: limiter.spec('fast'),
    thinking: limiter.spec('thinking'),
    contemplating: limiter.spec('contemplating'),
    ...(shopOpen ? { shopping: limiter.spec('shopping') } : {}),
  };
  return { outcome: notice(modeTexts.helpAll(t, mode, specs), 'command:help-all'), mode };
}
