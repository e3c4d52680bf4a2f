import type { Conversation } from './suite';
import { LANGUAGE_DATA, folded, languageOf, mentions, pricesIn } from './text-reading';

/**
 * The deterministic checks each conversation is scored with. A check that does not apply (a
 * catalog check outside shopping, a routing check outside auto) is left out rather than passed,
 * so a score counts only what was actually checked.
 */

export const CHECKS = [
  'answered',
  'language',
  'no-leak',
  'length',
  'catalog',
  'memory',
  'content',
  'unknown',
  'first-contact',
  'routing',
  'judge',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface CheckResult {
  check: CheckName;
  passed: boolean;
  /** what failed, in a few words */
  detail?: string;
}

/** One answer the person got: its messages' texts (the notice taken off), as the Send API carried them. */
export interface Answer {
  parts: string[];
  text: string;
  latencyMs: number | undefined;
}

export interface CatalogProduct {
  title: string;
  /** what the person pays now (the sale price when there is one) */
  price: number;
}

/** A platform's limit on one message (docs: WhatsApp 4096 characters, Messenger 2000, Instagram 1000 bytes). */
export const PLATFORM_LIMITS = {
  whatsapp: { max: 4096, unit: 'chars' },
  messenger: { max: 2000, unit: 'chars' },
  instagram: { max: 1000, unit: 'bytes' },
} as const;

const LEAKS: Array<[string, RegExp]> = [
  ['reasoning tag', /<\/?\s*(?:think|thinking|thought|reasoning|reflection)\b[^>]*>/i],
  ['chat template token', /<\|[a-z_]+\|>|\[\/?INST\]|<start_of_turn>|<end_of_turn>/i],
  ['tool call', /<\/?tool_call>|<function[=\s>]|"tool_calls"|"arguments"\s*:|\{\s*"name"\s*:\s*"/i],
  ['tool name', /\b(?:search_products|get_product)\b/],
  ['memory tag', /\[remember:/i],
  ['photo tag', /^\s*\[(?:\d+ )?photos?:/im],
  ['draft label', /^\s*Draft \d+:/m],
  ['reasoning field', /\breasoning_content\b/],
];

export const fail = (check: CheckName, detail: string): CheckResult => ({ check, passed: false, detail });
export const pass = (check: CheckName): CheckResult => ({ check, passed: true });

export function checkLanguage(answers: Answer[], language: Conversation['language']): CheckResult | undefined {
  const read = answers.map((answer) => languageOf(answer.text)).filter((found) => found !== undefined);
  if (read.length === 0) return undefined;
  const other = read.find((found) => found !== language);
  return other ? fail('language', `answered in ${other}, asked in ${language}`) : pass('language');
}

export function checkLeaks(answers: Answer[]): CheckResult {
  for (const answer of answers) {
    const leak = LEAKS.find(([, pattern]) => pattern.test(answer.text));
    if (leak) return fail('no-leak', leak[0]);
  }
  return pass('no-leak');
}

const measure = (text: string, unit: 'chars' | 'bytes') => (unit === 'bytes' ? Buffer.byteLength(text) : text.length);

export function checkLength(answers: Answer[], conversation: Conversation): CheckResult {
  const { max, unit } = PLATFORM_LIMITS[conversation.platform];
  // A casual question answered quickly fits one message; reasoning modes may take a few.
  const quick = conversation.label === 'casual' && (conversation.mode === 'auto' || conversation.mode === 'fast');
  const maxParts = conversation.expect.maxParts ?? (quick ? 1 : 3);
  for (const answer of answers) {
    const over = answer.parts.find((part) => measure(part, unit) > max);
    if (over) return fail('length', `a message of ${measure(over, unit)} ${unit} (limit ${max})`);
  }
  const last = answers.at(-1);
  if (last && measure(last.text, unit) > maxParts * max) {
    return fail('length', `${measure(last.text, unit)} ${unit}: more than ${maxParts} message(s)`);
  }
  return pass('length');
}

/** How far after a product's name its price may be written and still count as that product's. */
const PRICE_NEAR_NAME = 80;

export function checkCatalog(
  answer: Answer,
  conversation: Conversation,
  catalog: CatalogProduct[],
): CheckResult | undefined {
  if (conversation.mode !== 'shopping' && !conversation.expect.products) return undefined;
  const text = answer.text;
  const prices = pricesIn(text);
  const invented = prices.find((p) => !catalog.some((product) => Math.abs(product.price - p.amount) < 0.005));
  if (invented) return fail('catalog', `price ${invented.amount} is no catalog product's`);
  const named = catalog.filter((product) => mentions(text, product.title));
  for (const product of named) {
    const at = folded(text).indexOf(folded(product.title));
    const next = prices.find((p) => p.at >= at && p.at <= at + product.title.length + PRICE_NEAR_NAME);
    if (next && Math.abs(next.amount - product.price) >= 0.005) {
      return fail('catalog', `${product.title} at ${next.amount}, really ${product.price}`);
    }
  }
  if (conversation.expect.products && named.length === 0) return fail('catalog', 'names no catalog product');
  return pass('catalog');
}

export function checkMemory(answer: Answer, conversation: Conversation): CheckResult | undefined {
  const { honours, maxPrice } = conversation.expect;
  if (conversation.memory.length === 0 || (!honours && maxPrice === undefined)) return undefined;
  const broken = honours?.find((word) => mentions(answer.text, word));
  if (broken) return fail('memory', `mentions "${broken}" against what was remembered`);
  const over = maxPrice === undefined ? undefined : pricesIn(answer.text).find((p) => p.amount > maxPrice);
  if (over) return fail('memory', `price ${over.amount} over the remembered ${maxPrice}`);
  return pass('memory');
}

export function checkContent(answer: Answer, conversation: Conversation): CheckResult | undefined {
  const { mentionsAny, avoids } = conversation.expect;
  if (!mentionsAny && !avoids) return undefined;
  if (mentionsAny && !mentionsAny.some((word) => mentions(answer.text, word))) {
    return fail('content', `mentions none of ${mentionsAny.join(', ')}`);
  }
  const said = avoids?.find((word) => mentions(answer.text, word));
  return said ? fail('content', `says "${said}"`) : pass('content');
}

export function checkUnknown(answer: Answer, conversation: Conversation): CheckResult | undefined {
  if (!conversation.expect.unknown) return undefined;
  const phrases = LANGUAGE_DATA[conversation.language].unknown;
  const says = phrases.some((phrase) => folded(answer.text).includes(folded(phrase)));
  return says ? pass('unknown') : fail('unknown', 'answers as if it knew');
}

/** The first reply of a conversation starts with the notice (in English, or a translation naming /privacy). */
export function checkFirstContact(firstReply: string | undefined, notice: string | undefined): CheckResult | undefined {
  if (notice === undefined) return undefined;
  if (firstReply === undefined) return fail('first-contact', 'no reply at all');
  const opening = firstReply.split('\n\n')[0] ?? '';
  const told = firstReply.startsWith(notice) || (opening.includes('/privacy') && opening.includes('/forget'));
  return told ? pass('first-contact') : fail('first-contact', 'first reply without the notice');
}

export function checkRouting(conversation: Conversation, routed: string | undefined): CheckResult | undefined {
  if (conversation.mode !== 'auto') return undefined;
  const wanted = conversation.label === 'casual' ? 'fast' : 'thinking';
  if (routed === wanted) return pass('routing');
  return fail('routing', `${conversation.label} question answered in ${routed ?? 'no mode'}`);
}
