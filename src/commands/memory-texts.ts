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

/** A remembered wish a shopping answer's products could not honour, in the words the person reads. */
export interface UnmetWishText {
  kind: 'budget' | 'size' | 'brand' | 'colour';
  /** the price ceiling as money ("€50.00"), the size, the brand or the colour */
  wanted: string;
  closest: { title: string; price: string };
}

const WANTED: Record<UnmetWishText['kind'], (wanted: string) => string> = {
  budget: (wanted) => `under ${wanted}`,
  size: (wanted) => `in size ${wanted}`,
  brand: (wanted) => `from ${wanted}`,
  colour: (wanted) => `in ${wanted}`,
};

/** What closes a shopping answer shaped by remembered facts. */
export const shoppingMemoryTexts = {
  /** the facts every product shown honours */
  honoured: (facts: string[]) => `(${facts.join(', ')}: as you asked me to remember.)`,
  /** a remembered wish nothing found could honour, and the shown product nearest to it */
  unmet: ({ kind, wanted, closest }: UnmetWishText) =>
    `(I found nothing ${WANTED[kind](wanted)} for this: the closest is ${closest.title} at ${closest.price}.)`,
};

/** Why auto mode chose as it did, by the reason it recorded (src/modes/auto-route.ts). */
const ROUTE_REASONS: Record<string, string> = {
  health: 'your message looked like a health question',
  legal: 'your message looked like a legal question',
  financial: 'your message looked like a question about money',
  policy: 'your message looked like a question about laws or policy',
  maths: 'your message involved maths',
  planning: 'your message asked for a plan',
  'multi-step': 'your message was a problem in several steps',
  long: 'your message was long and detailed',
  casual: 'your message was small talk',
  simple: 'nothing in your message called for longer reasoning',
  'no-text': 'your message had no words to weigh yet (a voice note or a photo without a caption)',
  router: 'a small routing model judged so',
  'thinking-limit': "it needed thinking mode, but thinking mode's limit was used up",
};

export const whyTexts = {
  nothingYet:
    "I haven't answered anything in this conversation yet (or it was a while ago), so there's nothing to explain.",
  /** the line on auto mode's choice: which mode it chose for the last answer and why */
  autoChose(mode: string, reason: string): string {
    return `Auto mode chose ${mode} mode for it: ${ROUTE_REASONS[reason] ?? reason}.`;
  },
  explain(making: {
    mode: string;
    model: string;
    facts: string[];
    searches: string[];
    route?: { reason: string };
  }): string {
    const facts =
      making.facts.length === 0
        ? 'It was given nothing you asked me to remember.'
        : ['It was given these things you asked me to remember:', ...numbered(making.facts)].join('\n');
    const searches =
      making.searches.length === 0
        ? 'It ran no catalog search.'
        : `It searched the catalog for: ${making.searches.map((s) => `"${s}"`).join(', ')}.`;
    const made = `My last answer was made in ${making.mode} mode by the model ${making.model}.`;
    const route = making.route ? [whyTexts.autoChose(making.mode, making.route.reason)] : [];
    return [made, ...route, facts, searches].join('\n');
  },
};
