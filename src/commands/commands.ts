import type { InboundMessage } from '../core/inbound';
import type { ModeChoice } from '../core/modes';
import type { ReplyChoice } from '../core/reply-choice';
import type { MessageKey } from '../i18n/catalogues';
import { LANGUAGES, type Language } from '../i18n/languages';
import { catalogueWords, translatorFor, type Translator } from '../i18n/translator';

/**
 * Commands are plain text any platform can carry (`/think`), case-insensitive, answered without
 * the model. COMMAND_LIST is the one list of them: parsing, the help text, the "unknown command"
 * hint and the mode choices offered under replies are all derived from it, so a new command is
 * one entry here (plus its handler in src/quick-answers/run-command.ts and its texts in the catalogues).
 * The quick replies and reply buttons that offer the modes use the command itself as their
 * payload, so a tap and a typed command are the same thing. The English names always work; each
 * catalogue adds the words its language uses for the same command (`/ayuda`, `/hilfe`).
 */
export type Command = (
  | { kind: 'mode'; mode: ModeChoice }
  | { kind: 'help' }
  | { kind: 'reset' }
  | { kind: 'limits' }
  | { kind: 'forget' }
  | { kind: 'memory' }
  | { kind: 'remember' }
  | { kind: 'why' }
  | { kind: 'privacy' }
  | { kind: 'export' }
  | { kind: 'link' | 'unlink' | 'language' | 'reminders' | 'human' }
  | { kind: 'unknown'; text: string }
) & {
  /** what followed the word (`/forget 3` → `3`), as typed; only for commands that take one */
  argument?: string;
  /** the command was typed in a word only this language uses (`/ayuda`): a sign of the person's language */
  saidIn?: Language;
};

interface CommandEntry {
  /** what people are told to type */
  word: string;
  /** other English spellings that mean the same */
  aliases: string[];
  command: Exclude<Command, { kind: 'unknown' }>;
  /**
   * Whether words may follow the command (`/remember I'm vegetarian`). For a command that takes
   * none, `/reset the counter` stays an ordinary message, since people start sentences that way.
   * A command that takes one is also parsed without it; its handler says what to add. A mode
   * command's words are a question, answered in that mode at once (`/think why is the sky blue?`).
   */
  takesArgument?: boolean;
  /** mode commands: the title of the tappable choice (WhatsApp and Messenger cut at 20 characters) */
  choiceTitle?: MessageKey;
  /** other commands: their line in `/help all` */
  helpLine?: MessageKey;
}

export const COMMAND_LIST: readonly CommandEntry[] = [
  { word: '/auto', aliases: [], command: { kind: 'mode', mode: 'auto' }, choiceTitle: 'choice.auto' },
  {
    word: '/fast',
    aliases: [],
    command: { kind: 'mode', mode: 'fast' },
    takesArgument: true,
    choiceTitle: 'choice.fast',
  },
  {
    word: '/think',
    aliases: ['/thinking'],
    command: { kind: 'mode', mode: 'thinking' },
    takesArgument: true,
    choiceTitle: 'choice.think',
  },
  {
    word: '/contemplate',
    aliases: ['/contemplating'],
    command: { kind: 'mode', mode: 'contemplating' },
    takesArgument: true,
    choiceTitle: 'choice.contemplate',
  },
  {
    word: '/shop',
    aliases: ['/shopping'],
    command: { kind: 'mode', mode: 'shopping' },
    takesArgument: true,
    choiceTitle: 'choice.shop',
  },
  {
    word: '/limits',
    aliases: ['/limit'],
    command: { kind: 'limits' },
    helpLine: 'help.command.limits',
  },
  { word: '/reset', aliases: [], command: { kind: 'reset' }, helpLine: 'help.command.reset' },
  {
    word: '/forget',
    aliases: [],
    command: { kind: 'forget' },
    takesArgument: true,
    helpLine: 'help.command.forget',
  },
  {
    word: '/memory',
    aliases: [],
    command: { kind: 'memory' },
    takesArgument: true,
    helpLine: 'help.command.memory',
  },
  {
    word: '/remember',
    aliases: [],
    command: { kind: 'remember' },
    takesArgument: true,
    helpLine: 'help.command.remember',
  },
  { word: '/why', aliases: [], command: { kind: 'why' }, helpLine: 'help.command.why' },
  { word: '/privacy', aliases: [], command: { kind: 'privacy' }, helpLine: 'help.command.privacy' },
  { word: '/export', aliases: [], command: { kind: 'export' }, helpLine: 'help.command.export' },
  {
    word: '/link',
    aliases: [],
    command: { kind: 'link' },
    takesArgument: true,
    helpLine: 'help.command.link',
  },
  { word: '/unlink', aliases: [], command: { kind: 'unlink' } },
  {
    word: '/reminders',
    aliases: [],
    command: { kind: 'reminders' },
    takesArgument: true,
    helpLine: 'help.command.reminders',
  },
  {
    word: '/language',
    aliases: ['/lang'],
    command: { kind: 'language' },
    takesArgument: true,
    helpLine: 'help.command.language',
  },
  {
    word: '/human',
    aliases: [],
    command: { kind: 'human' },
    takesArgument: true,
    helpLine: 'help.command.human',
  },
  {
    word: '/help',
    aliases: ['/start'],
    command: { kind: 'help' },
    takesArgument: true,
    helpLine: 'help.command.help',
  },
];

/** The catalogue key of a command's words in each language (`alias.help`: `ayuda` in es.json), comma-separated. */
export const localWordsKey = (entry: CommandEntry): MessageKey => `alias.${entry.word.slice(1)}` as MessageKey;

interface Spelling {
  entry: CommandEntry;
  /** the languages whose catalogues name this word; empty for the English names */
  languages: Language[];
}

function spellings(): Map<string, Spelling> {
  const byWord = new Map<string, Spelling>();
  for (const entry of COMMAND_LIST) {
    for (const word of [entry.word, ...entry.aliases]) byWord.set(word, { entry, languages: [] });
  }
  // An English name stays English (it says nothing about the person's language) and keeps its command.
  const english = new Set(byWord.keys());
  for (const entry of COMMAND_LIST) {
    for (const language of LANGUAGES) {
      for (const word of catalogueWords(translatorFor(language)(localWordsKey(entry))).map((local) => `/${local}`)) {
        if (english.has(word)) continue;
        const known = byWord.get(word) ?? { entry, languages: [] };
        byWord.set(word, known);
        if (known.entry === entry) known.languages.push(language);
      }
    }
  }
  return byWord;
}

const BY_WORD = spellings();

/** Directional marks a right-to-left text puts around commands (translator.ts), dropped before parsing. */
const DIRECTION_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `/word`, optionally with trailing punctuation, optionally followed by words (the argument). */
const COMMAND_SHAPE = /^(\/[\p{L}\p{M}]+)[.!]?(?:\s+([\s\S]+))?$/iu;

function commandIn(text: string | undefined): Command | null {
  const match = text?.replace(DIRECTION_MARKS, '').trim().match(COMMAND_SHAPE);
  if (!match) return null;
  const word = (match[1] ?? '').toLowerCase();
  const argument = match[2]?.trim();
  const spelling = BY_WORD.get(word);
  if (!spelling) return argument ? null : { kind: 'unknown', text: word };
  const { entry, languages } = spelling;
  if (argument && !entry.takesArgument) return null;
  const saidIn = languages.length === 1 ? languages[0] : undefined;
  return { ...entry.command, ...(argument ? { argument } : {}), ...(saidIn ? { saidIn } : {}) };
}

/** The command in a message: a tapped choice's payload first, then the typed text. */
export function parseCommand(message: Pick<InboundMessage, 'text' | 'payload'>): Command | null {
  const fromPayload = commandIn(message.payload);
  if (fromPayload && fromPayload.kind !== 'unknown') return fromPayload;
  return commandIn(message.text);
}

const modeEntries = COMMAND_LIST.filter(
  (entry): entry is CommandEntry & { command: { kind: 'mode'; mode: ModeChoice }; choiceTitle: MessageKey } =>
    entry.command.kind === 'mode',
);

/** The command that switches to `mode` (`/think` for thinking, `/auto` for auto). */
export function modeCommand(mode: ModeChoice): string {
  return modeEntries.find((entry) => entry.command.mode === mode)?.word ?? `/${mode}`;
}

/** The modes as tappable choices, titled in the person's language. */
export function modeChoices(t: Translator): ReplyChoice[] {
  return modeEntries.map((entry) => ({ id: entry.word, title: t(entry.choiceTitle) }));
}

type OpenModes = { shop: boolean; auto: boolean };

/**
 * The modes to offer beside `current` (all of them when undefined), with "Shop" only where a
 * catalog is configured, and "Auto" only as the way back for a person who left it where auto is
 * the default (DEFAULT_MODE): then it comes first. WhatsApp shows at most 3 reply buttons: without
 * Auto, the three besides the current one always fit; with it, the rest are typed.
 */
export function modeChoicesBesides(current: ModeChoice | undefined, open: OpenModes, t: Translator): ReplyChoice[] {
  const backToAuto = open.auto && current !== undefined;
  const closed = [...(open.shop ? [] : [modeCommand('shopping')]), ...(backToAuto ? [] : [modeCommand('auto')])];
  const here = current && modeCommand(current);
  return modeChoices(t).filter((choice) => choice.id !== here && !closed.includes(choice.id));
}

/** The lines `/help all` gives the commands other than the modes, in order. */
export const HELP_LINES: MessageKey[] = COMMAND_LIST.flatMap((entry) => (entry.helpLine ? [entry.helpLine] : []));

/** Every command people are told about, in order: `/fast`, `/think`, ... */
export const COMMAND_WORDS: string[] = COMMAND_LIST.map((entry) => entry.word);
