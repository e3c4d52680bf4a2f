import type { LimitSpec } from '../../config';
import type { LimitName, LimitStatus, Refusal } from '../limits/fair-use-limiter';
import { modeNames, type Mode, type ModeChoice } from '../core/modes';
import { COMMAND_WORDS, OTHER_COMMANDS_HELP, modeCommand } from './commands';

/**
 * What the bot says about modes, commands and limits: short, friendly, specific about what
 * happened and what the person can do next (same voice as src/core/reply-texts.ts).
 */

const MODE_PITCH: Record<ModeChoice, string> = {
  auto: 'I pick fast or thinking per message',
  fast: 'quick, direct answers',
  thinking: 'I take more time and reason things through',
  contemplating: 'I draft answers from several angles and merge the best (slowest)',
  shopping: "I search this shop's catalog: real products, prices and stock",
};

/** What auto mode means for the person, said when they switch to it (the help keeps to the pitch). */
const AUTO_EXPLAINED =
  'Quick questions get quick answers; health, legal, money, maths and planning questions get reasoned ones. Each answer counts against the limit of the mode it used.';

function unit(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "in 40 seconds", "in 12 minutes", "in 3 hours 5 minutes", "in 2 days" (rounded up) */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `in ${unit(seconds, 'second')}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${unit(minutes, 'minute')}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return `in ${unit(hours, 'hour')}${rest ? ` ${unit(rest, 'minute')}` : ''}`;
  return `in ${unit(Math.ceil(hours / 24), 'day')}`;
}

/** "60 per hour", "5 per day", "10 per 30 seconds" */
export function describeSpec(spec: LimitSpec): string {
  const named: Record<number, string> = { 1: 'second', 60: 'minute', 3600: 'hour', 86_400: 'day' };
  const per = named[spec.windowSeconds];
  if (per) return `${spec.count} per ${per}`;
  for (const [size, word] of [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ] as const) {
    if (spec.windowSeconds % size === 0) return `${spec.count} per ${unit(spec.windowSeconds / size, word)}`;
  }
  return `${spec.count} per ${unit(spec.windowSeconds, 'second')}`;
}

const LIMIT_LABEL: Record<LimitName, string> = {
  fast: 'messages in fast mode',
  thinking: 'messages in thinking mode',
  contemplating: 'messages in contemplating mode',
  shopping: 'messages in shopping mode',
  burst: 'messages in a row',
  daily: 'messages a day, all modes together',
  global: 'total',
};

export const modeTexts = {
  /** `usual`: the deployment's default (DEFAULT_MODE), which "switch back" goes to */
  switched(mode: ModeChoice, spec: LimitSpec | null, usual: ModeChoice = 'fast'): string {
    const allowance = spec ? ` You can send ${describeSpec(spec)} in this mode.` : '';
    const counted = mode === 'auto' ? ` ${AUTO_EXPLAINED}` : '';
    const back = mode === usual ? '' : ` Send ${modeCommand(usual)} to switch back.`;
    return `Switched to ${mode} mode: ${MODE_PITCH[mode]}.${allowance}${counted}${back}`;
  },

  /** `specs` names the modes offered: shopping only where a catalog is configured */
  help(current: ModeChoice, specs: Partial<Record<Mode, LimitSpec | null>>): string {
    const auto = `${modeCommand('auto')} auto: ${MODE_PITCH.auto}`;
    const modes = modeNames
      .filter((mode) => mode in specs)
      .map((mode) => {
        const spec = specs[mode];
        return `${modeCommand(mode)} ${mode}: ${MODE_PITCH[mode]}${spec ? ` (${describeSpec(spec)})` : ''}`;
      })
      .join('\n');
    return [
      "I'm Threadline, an assistant you can ask anything in this chat. Write your question as you would to a person.",
      '',
      `Modes (you are in ${current} mode):`,
      auto,
      modes,
      '',
      `Also: ${OTHER_COMMANDS_HELP.join(', ')}.`,
    ].join('\n');
  },

  reset: "Done: I've forgotten our conversation so far. What would you like to talk about?",

  limits(current: ModeChoice, statuses: LimitStatus[], exempt: boolean): string {
    if (exempt) return `You are in ${current} mode. No limits apply to you.`;
    if (statuses.length === 0) return `You are in ${current} mode. There are no limits on this assistant right now.`;
    const lines = statuses.map((s) => {
      const label =
        s.limit === 'burst' ? 'messages in a row' : s.limit === 'daily' ? 'all modes together' : `${s.limit} mode`;
      const reset = s.resetsInMs === null ? '' : `, resets ${formatWait(s.resetsInMs)}`;
      return `${label}: ${s.remaining} of ${describeSpec(s.spec)} left${reset}`;
    });
    return [`You are in ${current} mode. What you have left:`, ...lines].join('\n');
  },

  unknownCommand: (command: string) =>
    `I don't know the command ${command}. Try ${COMMAND_WORDS.slice(0, -1).join(', ')} or ${COMMAND_WORDS.at(-1)}.`,

  refused(refusal: Refusal): string {
    const when = formatWait(refusal.resetsInMs);
    if (refusal.limit === 'global') {
      return `I've used up today's budget for everyone, so I have to pause. I'll be back ${when}. Sorry about that!`;
    }
    if (refusal.limit === 'burst') {
      return `That's a lot of messages at once (the limit is ${describeSpec(refusal.spec)}). Please wait a moment: you can write again ${when}.`;
    }
    if (refusal.limit === 'daily') {
      return `You've reached today's limit of messages (${describeSpec(refusal.spec)}, all modes together). It resets ${when}. Thanks for understanding!`;
    }
    const others = refusal.limit === 'fast' ? '' : ' Meanwhile you can keep going in fast mode: send /fast.';
    return `You've reached the limit of ${LIMIT_LABEL[refusal.limit]} (${describeSpec(refusal.spec)}). It resets ${when}.${others}`;
  },

  stillThinking: 'Still thinking about this one; I will answer shortly.',

  /** under an answer auto gave fast because thinking's limit is spent (said once per window) */
  autoThinkingSpent(refusal: Refusal): string {
    return `(This one needed thinking mode, but its limit is used up (${describeSpec(refusal.spec)}), so I answered quickly. It resets ${formatWait(refusal.resetsInMs)}.)`;
  },

  forgetUsage:
    'Send /forget all to erase everything I keep about you, or /forget followed by a number to delete one fact from the list /memory shows. /reset forgets just this conversation.',

  questionExpired: 'That question has expired, so I did nothing. Send the command again if you still want it.',

  noCatalog:
    'This assistant has no product catalog set up, so there is no shopping mode here. Ask me anything else, or send /help to see what I can do.',

  catalogNotReady:
    "The shop's catalog is still loading, so I can't look products up yet. Please try again in a minute.",

  welcome: "Hi! I'm an AI assistant. Ask me anything by text, voice note or photo, or send /help to see what I can do.",
};
