import IntlMessageFormat from 'intl-messageformat';
import { SHIPPED_LANGUAGES } from '../config/env-values';
import { COMMAND_LIST, localWordsKey, parseCommand } from '../src/commands/commands';
import { typedYesNo } from '../src/commands/yes-no';
import { CATALOGUES, type MessageKey } from '../src/i18n/catalogues';
import { LANGUAGES, type Language } from '../src/i18n/languages';
import { translatorFor } from '../src/i18n/translator';
import { greetingText, INSTAGRAM_ICE_BREAKERS, MESSENGER_MENU } from '../src/platforms/pages/page-profile';

/**
 * The catalogues a translator edits (src/i18n/catalogues/*.json): each has exactly English's
 * keys, every message parses and formats with the arguments English gives it, every plural has
 * the forms its language uses, and what the platforms cut (button titles, the greeting) fits.
 */

type Element = ReturnType<IntlMessageFormat['getAst']>[number];
const ARGUMENT = 1;
const SELECT = 5;
const PLURAL = 6;

interface Arguments {
  /** each argument, and whether it is counted (a plural) or text */
  found: Map<string, 'count' | 'text'>;
  /** the text arguments outside any plural or select: they must show in the formatted text */
  shown: Set<string>;
  /** each plural's forms */
  forms: string[][];
}

function argumentsOf(
  elements: Element[],
  into: Arguments = { found: new Map(), shown: new Set(), forms: [] },
  nested = false,
) {
  for (const element of elements) {
    // The parser's element kinds are a numeric enum of a package this project does not import.
    const kind = element.type as number;
    if (kind === ARGUMENT || kind === SELECT || kind === PLURAL) {
      const name = (element as { value: string }).value;
      into.found.set(name, kind === PLURAL || into.found.get(name) === 'count' ? 'count' : 'text');
      if (kind === ARGUMENT && !nested) into.shown.add(name);
    }
    if (kind === SELECT || kind === PLURAL) {
      const options = (element as { options: Record<string, { value: Element[] }> }).options;
      if (kind === PLURAL) into.forms.push(Object.keys(options));
      for (const option of Object.values(options)) argumentsOf(option.value, into, true);
    }
  }
  return into;
}

const parse = (language: Language, key: MessageKey) =>
  new IntlMessageFormat(CATALOGUES[language][key], language, undefined, { ignoreTag: true });

const KEYS = Object.keys(CATALOGUES.en).sort() as MessageKey[];

describe('the message catalogues', () => {
  it('ship the languages DEFAULT_LANGUAGE accepts', () => {
    expect([...SHIPPED_LANGUAGES].sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(LANGUAGES)('%s has exactly the keys of English', (language) => {
    expect(Object.keys(CATALOGUES[language]).sort()).toEqual(KEYS);
  });

  it.each(LANGUAGES)('%s: every message parses, uses English’s arguments and formats with them', (language) => {
    const problems: string[] = [];
    for (const key of KEYS) {
      const { found: english, shown } = argumentsOf(parse('en', key).getAst());
      let message: IntlMessageFormat;
      try {
        message = parse(language, key);
      } catch (error) {
        problems.push(`${key}: ${String(error)}`);
        continue;
      }
      const own = argumentsOf(message.getAst()).found;
      if ([...own.keys()].sort().join() !== [...english.keys()].sort().join()) {
        problems.push(`${key}: arguments ${[...own.keys()].join()} instead of ${[...english.keys()].join()}`);
      }
      for (const count of [0, 1, 2, 3, 11, 100]) {
        const values = Object.fromEntries(
          [...english].map(([name, kind]) => [name, kind === 'count' ? count : `«${name}»`]),
        );
        const text = String(message.format(values));
        if (/[{}]/.test(text)) problems.push(`${key}: a brace is left in "${text}"`);
        for (const name of shown) {
          if (!text.includes(`«${name}»`)) problems.push(`${key}: {${name}} is not in "${text}"`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(LANGUAGES)('%s: every plural has the forms its language uses for 0 to 100', (language) => {
    const rules = new Intl.PluralRules(language);
    const needed = new Set(Array.from({ length: 101 }, (_, n) => rules.select(n)));
    const missing: string[] = [];
    for (const key of KEYS) {
      for (const forms of argumentsOf(parse(language, key).getAst()).forms) {
        for (const form of needed) if (!forms.includes(form)) missing.push(`${key}: ${form}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(LANGUAGES)('%s: button titles, menu items, ice breakers and the greeting fit Meta’s limits', (language) => {
    const t = translatorFor(language);
    const titles = KEYS.filter(
      (key) => key.startsWith('choice.') || key.startsWith('card.view') || key === 'card.moreLikeThis',
    );
    for (const key of [...titles, ...MESSENGER_MENU.map((item) => item.title)])
      expect([key, t(key).length <= 20]).toEqual([key, true]);
    for (const item of INSTAGRAM_ICE_BREAKERS) expect(t(item.question).length).toBeLessThanOrEqual(80);
    expect(greetingText({ businessName: 'Acme Shoes' }, t).length).toBeLessThanOrEqual(160);
    expect(greetingText({ businessName: 'Acme Shoes' }, t)).toContain('Acme Shoes');
  });
});

describe('command words and answers in every language', () => {
  it('keep the English names and add localized ones, each word naming one command', () => {
    for (const word of ['/ayuda', '/ajuda', '/aide', '/hilfe', '/aiuto', '/bantuan', '/madad', '/مساعدة', '/help']) {
      expect([word, parseCommand({ text: word })?.kind]).toEqual([word, 'help']);
    }
    expect(parseCommand({ text: '/ayuda' })).toEqual({ kind: 'help', saidIn: 'es' });
    expect(parseCommand({ text: '/idioma fr' })).toEqual({ kind: 'language', argument: 'fr' });
    const owners = new Map<string, string>();
    for (const entry of COMMAND_LIST) {
      for (const language of LANGUAGES) {
        for (const word of translatorFor(language)(localWordsKey(entry)).split(',')) {
          const spelled = `/${word.trim().toLowerCase()}`;
          const owner = owners.get(spelled);
          expect([spelled, owner ?? entry.word]).toEqual([spelled, entry.word]);
          owners.set(spelled, entry.word);
          expect(parseCommand({ text: spelled })?.kind).toBe(entry.command.kind);
        }
      }
    }
  });

  it('read a typed yes or no in any shipped language, and no word is both', () => {
    for (const yes of ['sí', 'Sim', 'oui', 'Ja!', 'sì', 'iya', 'हाँ', 'نعم', 'yes'])
      expect([yes, typedYesNo(yes)]).toEqual([yes, 'yes']);
    for (const no of ['no', 'não', 'Non', 'nein', 'tidak', 'नहीं', 'لا'])
      expect([no, typedYesNo(no)]).toEqual([no, 'no']);
    const yesWords = new Set(
      LANGUAGES.flatMap((l) =>
        translatorFor(l)('word.yes')
          .split(',')
          .map((w) => w.trim().toLowerCase()),
      ),
    );
    const both = LANGUAGES.flatMap((l) =>
      translatorFor(l)('word.no')
        .split(',')
        .map((w) => w.trim().toLowerCase()),
    ).filter((w) => yesWords.has(w));
    expect(both).toEqual([]);
  });

  it('isolate commands in right-to-left text, and still parse a command copied from it', () => {
    const text = translatorFor('ar')('help.more');
    expect(text).toContain('\u2066/help all\u2069');
    const copied = text.match(/\u2066\/help all\u2069/)?.[0];
    expect(parseCommand({ text: copied })).toEqual({ kind: 'help', argument: 'all' });
    expect(translatorFor('es')('help.more')).not.toMatch(/[\u2066\u2069]/);
  });
});
