import type { InboundMessage } from '../core/inbound';
import type { ModeChoice } from '../core/modes';
import type { ReplyChoice } from '../core/reply-choice';

/**
 * Commands are plain text any platform can carry (`/think`), case-insensitive, answered without
 * the model. COMMAND_LIST is the one list of them: parsing, the help text, the "unknown command"
 * hint and the mode choices offered under replies are all derived from it, so a new command is
 * one entry here (plus its handler in src/turn/run-command.ts). The quick replies and reply
 * buttons that offer the modes use the command itself as their payload, so a tap and a typed
 * command are the same thing.
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
  | { kind: 'link' }
  | { kind: 'unlink' }
  | { kind: 'unknown'; text: string }
) & {
  /** what followed the word (`/forget 3` → `3`), as typed; only for commands that take one */
  argument?: string;
};

interface CommandEntry {
  /** what people are told to type */
  word: string;
  /** other spellings that mean the same */
  aliases: string[];
  command: Exclude<Command, { kind: 'unknown' }>;
  /**
   * Whether words may follow the command (`/remember I'm vegetarian`). For a command that takes
   * none, `/think about this` stays an ordinary message, since people start sentences that way.
   * A command that takes one is also parsed without it; its handler says what to add.
   */
  takesArgument?: boolean;
  /** mode commands: the title of the tappable choice (WhatsApp and Messenger cut at 20 characters) */
  choiceTitle?: string;
  /** other commands: what the help text says it does */
  does?: string;
}

export const COMMAND_LIST: readonly CommandEntry[] = [
  { word: '/auto', aliases: [], command: { kind: 'mode', mode: 'auto' }, choiceTitle: 'Auto' },
  { word: '/fast', aliases: [], command: { kind: 'mode', mode: 'fast' }, choiceTitle: 'Fast' },
  { word: '/think', aliases: ['/thinking'], command: { kind: 'mode', mode: 'thinking' }, choiceTitle: 'Think' },
  {
    word: '/contemplate',
    aliases: ['/contemplating'],
    command: { kind: 'mode', mode: 'contemplating' },
    choiceTitle: 'Contemplate',
  },
  { word: '/shop', aliases: ['/shopping'], command: { kind: 'mode', mode: 'shopping' }, choiceTitle: 'Shop' },
  { word: '/limits', aliases: ['/limit'], command: { kind: 'limits' }, does: 'shows what you have left' },
  { word: '/reset', aliases: [], command: { kind: 'reset' }, does: 'makes me forget this conversation' },
  {
    word: '/forget',
    aliases: [],
    command: { kind: 'forget' },
    takesArgument: true,
    does: 'all erases what I keep about you; /forget 3 deletes one remembered fact',
  },
  {
    word: '/memory',
    aliases: [],
    command: { kind: 'memory' },
    takesArgument: true,
    does: 'shows what I remember about you (/memory on or off switches it)',
  },
  {
    word: '/remember',
    aliases: [],
    command: { kind: 'remember' },
    takesArgument: true,
    does: 'keeps a fact about you',
  },
  { word: '/why', aliases: [], command: { kind: 'why' }, does: 'explains my last answer' },
  { word: '/privacy', aliases: [], command: { kind: 'privacy' }, does: 'says what I keep about you and for how long' },
  { word: '/export', aliases: [], command: { kind: 'export' }, does: 'sends you everything I keep about you' },
  {
    word: '/link',
    aliases: [],
    command: { kind: 'link' },
    takesArgument: true,
    does: 'joins this chat with your account on another app',
  },
  { word: '/unlink', aliases: [], command: { kind: 'unlink' }, does: 'undoes /link' },
  { word: '/help', aliases: ['/start'], command: { kind: 'help' }, does: 'shows this' },
];

const BY_WORD = new Map<string, CommandEntry>(
  COMMAND_LIST.flatMap((entry) => [entry.word, ...entry.aliases].map((word) => [word, entry] as const)),
);

/** `/word`, optionally with trailing punctuation, optionally followed by words (the argument). */
const COMMAND_SHAPE = /^(\/[a-z]+)[.!]?(?:\s+([\s\S]+))?$/i;

function commandIn(text: string | undefined): Command | null {
  const match = text?.trim().match(COMMAND_SHAPE);
  if (!match) return null;
  const word = (match[1] ?? '').toLowerCase();
  const argument = match[2]?.trim();
  const entry = BY_WORD.get(word);
  if (!entry) return argument ? null : { kind: 'unknown', text: word };
  if (argument && !entry.takesArgument) return null;
  return argument ? { ...entry.command, argument } : entry.command;
}

/** The command in a message: a tapped choice's payload first, then the typed text. */
export function parseCommand(message: Pick<InboundMessage, 'text' | 'payload'>): Command | null {
  const fromPayload = commandIn(message.payload);
  if (fromPayload && fromPayload.kind !== 'unknown') return fromPayload;
  return commandIn(message.text);
}

const modeEntries = COMMAND_LIST.filter(
  (entry): entry is CommandEntry & { command: { kind: 'mode'; mode: ModeChoice } } => entry.command.kind === 'mode',
);

/** The command that switches to `mode` (`/think` for thinking, `/auto` for auto). */
export function modeCommand(mode: ModeChoice): string {
  return modeEntries.find((entry) => entry.command.mode === mode)?.word ?? `/${mode}`;
}

/** The modes as tappable choices. */
export const MODE_CHOICES: ReplyChoice[] = modeEntries.map((entry) => ({
  id: entry.word,
  title: entry.choiceTitle ?? entry.word,
}));

/**
 * The modes to offer beside `current` (all of them when undefined), with "Shop" only where a
 * catalog is configured, and "Auto" only as the way back for a person who left it where auto is
 * the deployment's default (DEFAULT_MODE): then it comes first. WhatsApp shows at most 3 reply
 * buttons: without Auto, the three besides the current one always fit; with it, WhatsApp shows
 * the first three and the rest are typed.
 */
export function modeChoicesBesides(
  current: ModeChoice | undefined,
  open: { shop: boolean; auto: boolean },
): ReplyChoice[] {
  const backToAuto = open.auto && current !== undefined;
  const closed = [...(open.shop ? [] : [modeCommand('shopping')]), ...(backToAuto ? [] : [modeCommand('auto')])];
  const here = current && modeCommand(current);
  return MODE_CHOICES.filter((choice) => choice.id !== here && !closed.includes(choice.id));
}

/** The commands other than the modes, as the help text lists them: `/limits shows what you have left`. */
export const OTHER_COMMANDS_HELP: string[] = COMMAND_LIST.filter((entry) => entry.does).map(
  (entry) => `${entry.word} ${entry.does}`,
);

/** Every command people are told about, in order: `/fast`, `/think`, ... */
export const COMMAND_WORDS: string[] = COMMAND_LIST.map((entry) => entry.word);
