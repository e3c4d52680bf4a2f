import type { Platform } from '../core/inbound';
import type { FactCategory } from '../core/remembered-fact';
import { listIn, type Translator } from '../i18n/translator';

/**
 * What the bot says about itself on first contact, about memory and about `/why`: short, plain,
 * and specific about what is kept and how to undo it (same voice as texts.ts). The words are in
 * the catalogues (src/i18n/catalogues).
 */

export interface ListedFact {
  text: string;
  category: FactCategory;
  saidAt: number;
  platform: Platform;
}

const APP_NAMES: Record<Platform, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' };

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The first-contact notice: who the person is talking to, what is kept how long, how to erase it. */
export function firstContactNotice(t: Translator, businessName: string | undefined, historyDays: number): string {
  return businessName
    ? t('firstContact.noticeBusiness', { business: businessName, days: historyDays })
    : t('firstContact.notice', { days: historyDays });
}

/** What follows the notice in a welcome (Get Started, a menu tap with no command). */
export const firstContactWelcome = (t: Translator) => t('firstContact.welcome');

const category = (t: Translator, name: FactCategory) => t('memory.category', { category: name });

export const memoryTexts = {
  consentQuestion: (t: Translator, ttlDays: number) => t('memory.consentQuestion', { days: ttlDays }),
  turnedOn: (t: Translator) => t('memory.turnedOn'),
  stayedOff: (t: Translator) => t('memory.stayedOff'),
  alreadyOn: (t: Translator) => t('memory.alreadyOn'),
  offUsage: (t: Translator) => t('memory.offUsage'),
  offDeleteQuestion: (t: Translator, count: number) => t('memory.offDeleteQuestion', { count }),
  turnedOff: (t: Translator) => t('memory.turnedOff'),
  deletedAll: (t: Translator, count: number) => t('memory.deletedAll', { count }),
  keptWhileOff: (t: Translator, ttlDays: number) => t('memory.keptWhileOff', { days: ttlDays }),
  isOff: (t: Translator) => t('memory.isOff'),
  rememberUsage: (t: Translator) => t('memory.rememberUsage'),
  offForRemember: (t: Translator) => t('memory.offForRemember'),
  /** The numbered list `/forget <n>` refers to; its last line names a number that exists. */
  list(t: Translator, facts: ListedFact[], on: boolean): string {
    if (facts.length === 0) return on ? t('memory.onButEmpty') : t('memory.isOff');
    const lines = facts.map((f, index) =>
      t('memory.listLine', {
        number: index + 1,
        fact: f.text,
        category: category(t, f.category),
        app: APP_NAMES[f.platform],
        date: day(f.saidAt),
      }),
    );
    const forget = t('memory.listForget', { count: facts.length, last: String(facts.length) });
    return [t(on ? 'memory.listOn' : 'memory.listOff'), ...lines, forget].join('\n');
  },
  proposal: (t: Translator, text: string) => t('memory.proposal', { fact: text }),
  special: (t: Translator, text: string, name: FactCategory) =>
    t('memory.special', { fact: text, category: category(t, name) }),
  saved: (t: Translator, text: string) => t('memory.saved', { fact: text }),
  duplicate: (t: Translator, text: string) => t('memory.duplicate', { fact: text }),
  notSaved: (t: Translator) => t('memory.notSaved'),
  tooLong: (t: Translator) => t('memory.tooLong'),
  full: (t: Translator) => t('memory.full'),
  forgotten: (t: Translator, text: string) => t('memory.forgotten', { fact: text }),
  noSuchFact: (t: Translator, number: number, count: number) =>
    count === 0 ? t('memory.nothingToDelete') : t('memory.noSuchFact', { number, count }),
  aboutOthers: (t: Translator) => t('memory.aboutOthers'),
};

/** A remembered wish a shopping answer's products could not honour, in the words the person reads. */
export interface UnmetWishText {
  kind: 'budget' | 'size' | 'brand' | 'colour';
  /** the price ceiling as money ("€50.00"), the size, the brand or the colour */
  wanted: string;
  closest: { title: string; price: string };
}

/** What closes a shopping answer shaped by remembered facts. */
export const shoppingMemoryTexts = {
  /** the facts every product shown honours */
  honoured: (t: Translator, facts: string[]) => t('shopping.honoured', { facts: listIn(t, facts) }),
  /** a remembered wish nothing found could honour, and the shown product nearest to it */
  unmet: (t: Translator, { kind, wanted, closest }: UnmetWishText) =>
    t('shopping.unmet', { kind, wanted, title: closest.title, price: closest.price }),
};

export const whyTexts = {
  nothingYet: (t: Translator) => t('why.nothingYet'),
  /** the line on auto mode's choice: which mode it chose for the last answer and why (src/modes/auto-route.ts) */
  autoChose: (t: Translator, mode: string, reason: string) =>
    t('why.autoChose', {
      mode: t('mode.name', { mode }),
      reason: t('why.routeReason', { reason: reason.replaceAll('-', '_') }),
    }),
  explain(
    t: Translator,
    making: {
      mode: string;
      model: string;
      facts: string[];
      searches: string[];
      route?: { reason: string };
      passages?: string[];
    },
  ): string {
    const facts =
      making.facts.length === 0
        ? t('why.noFacts')
        : [t('why.facts'), ...making.facts.map((fact, index) => `${index + 1}. ${fact}`)].join('\n');
    const searches =
      making.searches.length === 0
        ? t('why.noSearches')
        : t('why.searches', { searches: making.searches.map((s) => `"${s}"`).join(', ') });
    const passages = making.passages?.length
      ? [[t('why.sources'), ...making.passages.map((line, index) => `${index + 1}. ${line}`)].join('\n')]
      : [];
    const made = t('why.made', { mode: t('mode.name', { mode: making.mode }), model: making.model });
    const route = making.route ? [whyTexts.autoChose(t, making.mode, making.route.reason)] : [];
    return [made, ...route, facts, searches, ...passages].join('\n');
  },
  /** a last line, where the model's backend counted the tokens it spent reasoning */
  reasoned: (t: Translator, tokens: number) => t('why.reasoned', { tokens }),
  /** a last line, when the person reacted to that answer (👍, 👎, …) */
  reacted: (t: Translator, emoji: string) => t('why.reactions', { reactions: emoji }),
};
