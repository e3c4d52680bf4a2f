import { filtersFromMessage } from '../src/shopping/message-search';
import { SEARCH_PRODUCTS } from '../src/shopping/product-tools';

/**
 * The offline demo responder's shopping turns, deterministic and through the same tools a model
 * uses: a request that offers `search_products` and ends with the person's words gets a tool call
 * built from those words (price bounds and "in stock" read as filters, the rest as the query);
 * once the tool result is back, the answer names exactly the products the result holds, with the
 * ids, titles and prices it gives, and nothing else. It is not a model and says so.
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
  /\b(?:i|i'm|im|me|my|we|you|please|show|find|search|looking|look|want|need|would|like|some|something|anything|recommend|suggest|buy|get|any|have|got|a|an|the|for|with|can|could)\b/gi;

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
export function searchArgumentsFrom(words: string): Record<string, unknown> {
  const { query, filters } = filtersFromMessage(words);
  const cleaned = query
    .replace(ASKING_WORDS, ' ')
    .replace(/[?!.,]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return {
    query: cleaned || query,
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

/** The answer to a tool result: what it found, in its own words and figures. */
export function answerFromToolResult(content: string, query: string): string {
  let result: { results?: ToolResultProduct[]; error?: unknown; id?: unknown } = {};
  try {
    result = JSON.parse(content) as typeof result;
  } catch {
    return `${DEMO_LABEL}\nThe catalog tool answered something I cannot read.`;
  }
  if (typeof result.error === 'string') return `${DEMO_LABEL}\nThe catalog tool answered an error: ${result.error}`;
  const products = Array.isArray(result.results) ? result.results : result.id ? [result as ToolResultProduct] : [];
  const asked = query ? ` for “${query}”` : '';
  if (products.length === 0) return `${DEMO_LABEL}\nI searched the catalog${asked} and found nothing that matches.`;
  const found = `${products.length} product${products.length === 1 ? '' : 's'}`;
  return [`${DEMO_LABEL}`, `I searched the catalog${asked} and found ${found}:`, ...products.map(productLine)].join(
    '\n',
  );
}

function queryOf(argumentsJson: string): string {
  try {
    const args = JSON.parse(argumentsJson) as { query?: unknown };
    return typeof args.query === 'string' ? args.query : '';
  } catch {
    return '';
  }
}

function offersSearch(tools: unknown): boolean {
  return (
    Array.isArray(tools) &&
    tools.some((tool: { function?: { name?: unknown } }) => tool?.function?.name === SEARCH_PRODUCTS)
  );
}

/** The demo's shopping reply, or undefined when the request is not a shopping turn it can take. */
export function demoShoppingReply(messages: DemoMessage[], tools: unknown): DemoShoppingReply {
  if (!offersSearch(tools)) return undefined;
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  if (lastUser < 0) return undefined;
  const after = messages.slice(lastUser + 1);
  const toolResult = after.filter((m) => m.role === 'tool').at(-1);
  if (toolResult) {
    const call = after.find((m) => m.role === 'assistant' && Array.isArray(m.tool_calls));
    const first = (call?.tool_calls as DemoToolCall[] | undefined)?.[0];
    const query = first ? queryOf(first.function.arguments) : '';
    return { content: answerFromToolResult(textOf(toolResult), query) };
  }
  const words = textOf(messages[lastUser]).trim();
  if (!words) return undefined;
  return {
    toolCall: {
      id: `call_demo_${after.length}_${lastUser}`,
      type: 'function',
      function: { name: SEARCH_PRODUCTS, arguments: JSON.stringify(searchArgumentsFrom(words)) },
    },
  };
}
