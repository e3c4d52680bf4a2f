import type { Platform } from '../core/inbound';
import type { FactCategory } from '../core/remembered-fact';

/**
 * What the bot says about itself on first contact, about memory and about `/why`: short, plain,
 * and specific about what is kept and how to undo it (same voice as texts.ts).
 */

export interface ListedFact {
  text: string;
  category: FactCategory;
  saidAt: number;
  platform: Platform;
}

const APP_NAMES: Record<Platform, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' };

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

const numbered = (lines: string[]) => lines.map((line, index) => `${index + 1}. ${line}`);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The first-contact notice: who the person is talking to, what is kept how long, how to erase it. */
export function firstContactNotice(businessName: string | undefined, historyDays: number): string {
  const who = businessName ? `an AI assistant run by ${businessName}` : 'an AI assistant, not a person';
  return (
    `Hi! You're talking to ${who}. I keep our conversation for ${plural(historyDays, 'day')} after your last message. ` +
    'Send /privacy to see what is kept, /forget all to erase it.'
  );
}

/** What follows the notice in a welcome (Get Started, a menu tap with no command). */
export const firstContactWelcome = 'Ask me anything by text, voice note or photo, or send /help to see what I can do.';

export const memoryTexts = {
  consentQuestion: (ttlDays: number) =>
    [
      'With memory on, I keep only facts about yourself that you ask me to (/remember ...) or that I suggest and you say yes to, and use them in my answers.',
      `At most 50, each until unused for ${plural(ttlDays, 'day')}; /memory lists them, /forget 3 deletes one, /memory off stops.`,
      'Turn memory on?',
    ].join('\n'),
  turnedOn: "Memory is on. Tell me with /remember what I should keep, e.g. /remember I'm vegetarian.",
  stayedOff: 'OK, memory stays off. I keep nothing about you beyond our conversation.',
  alreadyOn: 'Memory is already on. /memory lists what I keep; /memory off stops it.',
  offUsage: 'Send /memory on to turn memory on, /memory off to stop it, or /memory to see what I keep.',
  offDeleteQuestion: (count: number) =>
    `Memory is off: I won't use what I keep. Shall I also delete the ${plural(count, 'fact')} I keep about you?`,
  turnedOff: 'Memory is off. I keep no facts about you.',
  deletedAll: (count: number) => `Done: memory is off and I deleted the ${plural(count, 'fact')} I kept.`,
  keptWhileOff: (ttlDays: number) =>
    `Memory is off; I kept the facts but won't use them. /forget 3 deletes one; unused ones go after ${plural(ttlDays, 'day')}.`,
  isOff: 'Memory is off, so I remember nothing about you. Send /memory on to turn it on.',
  rememberUsage: "Tell me what to remember after the command, e.g. /remember I'm vegetarian.",
  offForRemember: "Memory is off, so I can't keep that. Send /memory on first (you'll be asked), then /remember again.",
  list(facts: ListedFact[], on: boolean): string {
    const state = on ? 'Memory is on.' : "Memory is off: I don't use these.";
    if (facts.length === 0)
      return on ? 'Memory is on, but you have not asked me to remember anything yet.' : memoryTexts.isOff;
    const lines = numbered(facts.map((f) => `${f.text} (${f.category}; ${APP_NAMES[f.platform]}, ${day(f.saidAt)})`));
    return [`${state} What you asked me to remember:`, ...lines, '/forget 3 deletes number 3.'].join('\n');
  },
  proposal: (text: string) => `Shall I remember this about you: "${text}"?`,
  special: (text: string, category: FactCategory) =>
    `"${text}" looks like ${category} information, which privacy law protects specially. I keep it only with your explicit yes, ` +
    'so I can take it into account in my answers; /forget deletes it at any time. Keep it?',
  saved: (text: string) => `I'll remember: "${text}". /memory lists what I keep.`,
  duplicate: (text: string) => `I already remember "${text}".`,
  notSaved: "OK, I won't remember that.",
  tooLong: 'That is longer than 200 characters; please send a shorter version.',
  full: 'I already keep 50 facts, the most I keep. /memory lists them; /forget 3 deletes one to make room.',
  forgotten: (text: string) => `Deleted: "${text}".`,
  noSuchFact: (number: number, count: number) =>
    count === 0
      ? 'I keep no remembered facts about you, so there is nothing to delete.'
      : `There is no fact ${number}: I keep ${plural(count, 'fact')}. /memory lists them.`,
};

export const whyTexts = {
  nothingYet:
    "I haven't answered anything in this conversation yet (or it was a while ago), so there's nothing to explain.",
  explain(making: { mode: string; model: string; facts: string[]; searches: string[] }): string {
    const facts =
      making.facts.length === 0
        ? 'It was given nothing you asked me to remember.'
        : ['It was given these things you asked me to remember:', ...numbered(making.facts)].join('\n');
    const searches =
      making.searches.length === 0
        ? 'It ran no catalog search.'
        : `It searched the catalog for: ${making.searches.map((s) => `"${s}"`).join(', ')}.`;
    return [`My last answer was made in ${making.mode} mode by the model ${making.model}.`, facts, searches].join('\n');
  },
  /** a last line, where the model's backend counted the tokens it spent reasoning */
  reasoned: (tokens: number) => `The model reasoned for ${tokens} tokens before answering (you never see that part).`,
};
