import { filtersFromMessage } from '../src/shopping/message-search';
import { SEARCH_PRODUCTS } from '../src/shopping/product-tools';

/**
 * The offline demo responder's shopping turns, deterministic and through the same tools a model
 * uses: a request that offers `search_products` and ends with the person's words gets a tool call
 * built from those words (price bounds and "in stock" read as filters, the rest as the query);
 * once the tool result is back, the answer names exactly the products the result holds, with the
 * ids, titles and prices it gives, and nothing else. It is not a model and says so. What it
 * cannot read it says it cannot, and searches by what it can: a photo's colour, or what is in
 * stock for a voice note it cannot hear.
 */

export interface DemoMessage {
  role?: string;
  content?: unknown;
  tool_calls?: unknown;
}

export interface DemoToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type DemoShoppingReply = { toolCall: DemoToolCall } | { content: string } | undefined;

export const DEMO_LABEL = '🧪 Offline demo responder (not an AI model)';

/** Words that ask rather than describe: left out of the query so they do not narrow the search. */
const ASKING_WORDS =
  /\b(?:i|i'm|im|me|my|we|you|please|show|find|search|looking|look|want|need|would|like|some|something|anything|recommend|suggest|buy|get|any|have|got|a|an|the|for|with|can|could|this|that|these|those|it|one|similar)\b/gi;

/** The demo's own speech-to-text answer starts so: there is no transcript to search by. */
export const DEMO_NO_SPEECH = '[speech-to-text not configured';
const NO_SPEECH = /\[speech-to-text not configured[^\]]*\]/g;
/** How the product marks a spoken turn and a photo without words (src/media/prepare-input.ts). */
const MARKS = /\[voice note\]|\((?:a photo|\d+ photos), no caption\)/g;

/** What the demo can make of a turn it cannot read: what it searches for instead, and why. */
export interface DemoHints {
  /** the main colour of the turn's photo (demo-photo-colour.ts) */
  photoColour?: string;
}

export function textOf(message: DemoMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Array<{ type?: string; text?: string }>)
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join(' ');
}

/** The search_products arguments the person's words make. */
export function searchArgumentsFrom(words: string, besides = ''): Record<string, unknown> {
  const { query, filters } = filtersFromMessage(words.replace(NO_SPEECH, ' ').replace(MARKS, ' '));
  const cleaned = `${besides} ${query.replace(ASKING_WORDS, ' ')}`
    .replace(/[?!.,()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return {
    query: cleaned || query.replace(/[()]+/g, ' ').trim(),
    ...(filters.minPrice !== undefined ? { min_price: filters.minPrice } : {}),
    ...(filters.maxPrice !== undefined ? { max_price: filters.maxPrice } : {}),
    ...(filters.inStock ? { in_stock: true } : {}),
  };
}

interface ToolResultProduct {
  id?: unknown;
  title?: unknown;
  price?: unknown;
  regular_price?: unknown;
  availability?: unknown;
}

function productLine(p: ToolResultProduct): string {
  const was = typeof p.regular_price === 'string' ? ` (was ${p.regular_price})` : '';
  const stock = p.availability === 'out of stock' ? ', out of stock' : '';
  return `• ${String(p.title)}: ${String(p.price)}${was}${stock} [${String(p.id)}]`;
}

/**
 * The search a turn makes: its words; a photo's colour beside them (the demo cannot see); for a
 * voice note it cannot hear, what is in stock. Undefined when there is nothing to search by.
 */
export function demoSearch(words: string, hints: DemoHints = {}): Record<string, unknown> | undefined {
  if (hints.photoColour) return { ...searchArgumentsFrom(words, hints.photoColour), color: hints.photoColour };
  const args = searchArgumentsFrom(words);
  if (args.query === '' && words.includes(DEMO_NO_SPEECH)) return { query: '', in_stock: true, limit: 3 };
  return args.query === '' && Object.keys(args).length === 1 ? undefined : args;
}

/** The line that says what the demo searched by, when it was not the person's own words. */
function searchedBecause(args: Record<string, unknown>, words: string): string | undefined {
  if (typeof args.color === 'string')
    return `I can't see photos, but its main colour is ${args.color}, so I searched for that.`;
  if (words.includes(DEMO_NO_SPEECH))
    return 'This demo has no speech model, so I could not hear the voice note; here is what is in stock.';
  return undefined;
}

/** The answer to a tool result: what it found, in its own words and figures. */
export function answerFromToolResult(content: string, query: string, because?: string): string {
  let result: { results?: ToolResultProduct[]; error?: unknown; id?: unknown } = {};
  try {
    result = JSON.parse(content) as typeof result;
  } catch {
    return `${DEMO_LABEL}\nThe catalog tool answered something I cannot read.`;
  }
  if (typeof result.error === 'string') return `${DEMO_LABEL}\nThe catalog tool answered an error: ${result.error}`;
  const products = Array.isArray(result.results) ? result.results : result.id ? [result as ToolResultProduct] : [];
  const asked = query ? ` for “${query}”` : '';
  const label = because ? `${DEMO_LABEL} · ${because}` : DEMO_LABEL;
  if (products.length === 0) return `${label}\nI searched the catalog${asked} and found nothing that matches.`;
  const found = `${products.length} product${products.length === 1 ? '' : 's'}`;
  return [label, `I searched the catalog${asked} and found ${found}:`, ...products.map(productLine)].join('\n');
}

function argumentsOf(argumentsJson: string): Record<string, unknown> {
  try {
    return JSON.parse(argumentsJson) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function offersSearch(tools: unknown): boolean {
  return (
    Array.isArray(tools) &&
    tools.some((tool: { function?: { name?: unknown } }) => tool?.function?.name === SEARCH_PRODUCTS)
  );
}

/**
 * The photo (a `data:` URL) of a shopping turn the demo is about to search for, so the responder
 * can work out its colour first; undefined for any other request.
 */
export function photoToSearchBy(messages: DemoMessage[], tools: unknown): string | undefined {
  if (!offersSearch(tools)) return undefined;
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  if (lastUser < 0 || messages.slice(lastUser + 1).some((m) => m.role === 'tool')) return undefined;
  const content = messages[lastUser]?.content;
  if (!Array.isArray(content)) return undefined;
  const image = (content as Array<{ type?: string; image_url?: { url?: string } }>).find(
    (part) => part.type === 'image_url',
  );
  return image?.image_url?.url;
}

/** The demo's shopping reply, or undefined when the request is not a shopping turn it can take. */
export function demoShoppingReply(messages: DemoMessage[], tools: unknown, hints: DemoHints = {}): DemoShoppingReply {
  if (!offersSearch(tools)) return undefined;
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  if (lastUser < 0) return undefined;
  const after = messages.slice(lastUser + 1);
  const words = textOf(messages[lastUser]).trim();
  const toolResult = after.filter((m) => m.role === 'tool').at(-1);
  if (toolResult) {
    const call = after.find((m) => m.role === 'assistant' && Array.isArray(m.tool_calls));
    const first = (call?.tool_calls as DemoToolCall[] | undefined)?.[0];
    const args = first ? argumentsOf(first.function.arguments) : {};
    const query = typeof args.query === 'string' ? args.query : '';
    return { content: answerFromToolResult(textOf(toolResult), query, searchedBecause(args, words)) };
  }
  const args = demoSearch(words, hints);
  if (!args) return undefined;
  return {
    toolCall: {
      id: `call_demo_${after.length}_${lastUser}`,
      type: 'function',
      function: { name: SEARCH_PRODUCTS, arguments: JSON.stringify(args) },
    },
  };
}
