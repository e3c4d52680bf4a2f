import IntlMessageFormat from 'intl-messageformat';
import { CATALOGUES, type MessageKey } from './catalogues';
import { isRightToLeft, type Language } from './languages';

/**
 * A language's messages as a function: `t('memory.saved', { fact })`. Each message is parsed once
 * per process (intl-messageformat, plurals through Intl.PluralRules) and formatted per call.
 */
export type MessageValues = Readonly<Record<string, string | number>>;

export interface Translator {
  readonly language: Language;
  (key: MessageKey, values?: MessageValues): string;
}

const LEFT_TO_RIGHT_ISOLATE = '\u2066';
const POP_DIRECTIONAL_ISOLATE = '\u2069';
/** `/forget all`, `/link 123456`: a command with the Latin words or digits that follow it. */
const COMMAND = /\/[A-Za-z]+(?: [A-Za-z0-9]+)*/g;

/**
 * In right-to-left text a command's slash is a neutral character and would be drawn at the
 * wrong end of the word ("privacy/"), and `/forget all` would read "all /forget": each command,
 * with its argument, is wrapped in a left-to-right isolate.
 * Command parsing drops these marks again (commands.ts), so a copied command still works.
 */
function isolateCommands(text: string): string {
  return text.replace(COMMAND, (command) => `${LEFT_TO_RIGHT_ISOLATE}${command}${POP_DIRECTIONAL_ISOLATE}`);
}

function compile(language: Language, key: MessageKey): IntlMessageFormat {
  // `ignoreTag`: a `<` in a message ("/remember <fact>") is text, not rich-text markup.
  return new IntlMessageFormat(CATALOGUES[language][key], language, undefined, { ignoreTag: true });
}

function createTranslator(language: Language): Translator {
  const compiled = new Map<MessageKey, IntlMessageFormat>();
  const rightToLeft = isRightToLeft(language);
  const translate = (key: MessageKey, values?: MessageValues): string => {
    let message = compiled.get(key);
    if (!message) {
      message = compile(language, key);
      compiled.set(key, message);
    }
    const text = String(message.format(values));
    return rightToLeft ? isolateCommands(text) : text;
  };
  return Object.assign(translate, { language });
}

/** The words of a comma-separated catalogue list, lower-case: `sí, si, claro` → `sí`, `si`, `claro`. */
export function catalogueWords(list: string): string[] {
  return list
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== '');
}

const translators = new Map<Language, Translator>();

/** The translator of `language`, made once per process. */
export function translatorFor(language: Language): Translator {
  let translator = translators.get(language);
  if (!translator) {
    translator = createTranslator(language);
    translators.set(language, translator);
  }
  return translator;
}

/** "WhatsApp and Messenger", "WhatsApp y Messenger" (`or` for a choice): a list as the language joins it. */
export function listIn(
  t: Pick<Translator, 'language'>,
  items: string[],
  type: 'conjunction' | 'disjunction' = 'conjunction',
): string {
  return new Intl.ListFormat(t.language, { type }).format(items);
}
