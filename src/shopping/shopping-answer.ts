import type { Product } from '../catalog/product';
import type { ProductSearch } from '../catalog/product-search';
import { ModelRejectedError, type ChatMessage, type ChatModel } from '../inference/chat-model';
import { RequestRejectedError } from '../inference/errors';
import type { ToolCall, ToolChatMessage } from '../inference/tool-chat';
import { answerWithoutTools } from './catalog-fallback';
import { verdictOn, type WishVerdict } from './honoured-search';
import { namesNothing, PhotoReference } from './photo-search';
import { describeSearch, executeProductTool, filtersFrom, PRODUCT_TOOLS, SEARCH_PRODUCTS } from './product-tools';
import type { ProductFocus } from './shopping-prompt';
import { recommendedIn } from './recommended';
import { RememberedWishes } from './remembered-wishes';
import { similarSearchOpening } from './similar-products';
import type { RememberedFact } from '../core/remembered-fact';
import type { Grounding } from '../grounding/grounding';

/**
 * A shopping answer: the model looks products up through the tools (a few rounds at most) and
 * then writes its answer. Every product a tool returned is kept; the answer's cards are those the
 * text names, so a card is always a catalog product the search found. Every search honours the
 * person's remembered budget, sizes, brands and colours, and the answer says which of them its
 * products honour and which they cannot. A search that only points ("something like this") looks
 * for the photo it points at. A "More like this" tap starts with the search for similar products
 * already made (similar-products.ts). With the business's knowledge (or the web) at hand, the
 * model is offered `search_knowledge` (and `search_web`) beside the product tools. A model server
 * that rejects tools gets the tool-less path (catalog-fallback.ts) instead.
 */

/** Tool rounds before the model is made to answer in text. */
export const MAX_TOOL_ROUNDS = 3;

export interface ShoppingRequest {
  model: ChatModel;
  settings: { model: string; maxTokens: number; timeoutMs: number };
  search: ProductSearch;
  /** the system prompt with the grounding rules (shopping-prompt.ts) */
  systemPrompt: string;
  history: ChatMessage[];
  /** the person's turn as the model reads it (text, or text and a photo) */
  user: ChatMessage['content'];
  /** the person's words, for the tool-less search */
  userText: string;
  /** remembered facts that may shape the search (sizes, budget, brands, style) */
  facts: RememberedFact[];
  focus: ProductFocus | undefined;
  signal: AbortSignal;
  /** the turn's knowledge and web search (src/grounding), when it has any */
  grounding?: Grounding;
}

export interface ShoppingAnswer {
  text: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number; reasoningTokens?: number } | undefined;
  /** the token limit cut the answer */
  cutShort?: boolean;
  /** the products the answer recommends, in the order the tools found them */
  recommended: Product[];
  /** each catalog search run, in words (for /why) */
  searches: string[];
  /** what the products answer, e.g. "running shoes" (a WhatsApp product list's header); undefined: no search named it */
  heading: string | undefined;
  /** the remembered facts the recommended products honour, and those they cannot */
  remembered: WishVerdict;
  /** this turn's photo in search words, when a search had to describe it */
  photoWords?: string;
}

export async function answerShopping(request: ShoppingRequest): Promise<ShoppingAnswer> {
  const { model } = request;
  // Without tools the turn's own ones (a reminder's) are not offered either: the turn reads the words itself.
  const withoutTools = () => {
    request.grounding?.markToolsUnavailable();
    return answerWithoutTools(request);
  };
  if (!model.converse) return withoutTools();
  try {
    return await toolLoop(request, model.converse.bind(model));
  } catch (error) {
    // A server without tool support refuses the call (400): search for the model instead.
    if (error instanceof RequestRejectedError) return withoutTools();
    throw error;
  }
}

/** The verdict on the products shown: a product the person asked about is theirs, not a pick. */
export function rememberedVerdict(
  recommended: Product[],
  focus: ProductFocus | undefined,
  wishes: RememberedWishes,
): WishVerdict {
  const picked = focus?.kind === 'referred' ? recommended.filter((p) => p.id !== focus.product.id) : recommended;
  return verdictOn(picked, wishes);
}

/** A search call whose query only points gets the words of the photo it points at. */
async function pointedArguments(call: ToolCall, photo: PhotoReference): Promise<string> {
  if (call.name !== SEARCH_PRODUCTS) return call.arguments;
  let raw: unknown;
  try {
    raw = JSON.parse(call.arguments);
  } catch {
    return call.arguments;
  }
  const query = (raw as { query?: unknown } | null)?.query;
  if (typeof query !== 'string' || !namesNothing(query)) return call.arguments;
  const words = await photo.words();
  return words ? JSON.stringify({ ...(raw as object), query: words }) : call.arguments;
}

async function toolLoop(
  request: ShoppingRequest,
  converse: NonNullable<ChatModel['converse']>,
): Promise<ShoppingAnswer> {
  const { settings, search, signal } = request;
  const wishes = RememberedWishes.from(request.facts, search);
  const photo = new PhotoReference(request);
  const { grounding } = request;
  const extra = grounding?.prompt();
  const messages: ToolChatMessage[] = [
    { role: 'system', content: extra ? `${request.systemPrompt}\n\n${extra}` : request.systemPrompt },
    ...request.history,
    { role: 'user', content: request.user },
  ];
  const found: Product[] = request.focus?.kind === 'referred' ? [request.focus.product] : [];
  const searches: string[] = [];
  let heading = request.focus?.product.title;
  if (request.focus?.kind === 'more-like-this') {
    const opening = similarSearchOpening(search, request.focus.product);
    messages.push(...opening.messages);
    found.push(...opening.products);
    searches.push(opening.described);
  }
  for (let round = 0; ; round += 1) {
    const tools = round < MAX_TOOL_ROUNDS ? [...PRODUCT_TOOLS, ...(grounding?.tools ?? [])] : undefined;
    const reply = await converse({ ...settings, messages, tools, signal });
    if (reply.toolCalls.length === 0 || !tools) {
      if (!reply.text) throw new ModelRejectedError('model gave no answer after its tool calls');
      const recommended = recommendedIn(found, reply.text, request.focus);
      const remembered = rememberedVerdict(recommended, request.focus, wishes);
      const photoWords = await photo.ownWords();
      const { model, usage } = reply;
      const cut = reply.cutShort ? { cutShort: true } : {};
      return { text: reply.text, model, usage, recommended, searches, heading, remembered, photoWords, ...cut };
    }
    messages.push({
      role: 'assistant',
      content: reply.text || null,
      toolCalls: reply.toolCalls,
      reasoning: reply.reasoning,
    });
    for (const call of reply.toolCalls) {
      if (grounding?.handles(call.name)) {
        const content = await grounding.run(call.name, call.arguments, signal);
        messages.push({ role: 'tool', toolCallId: call.id, content });
        continue;
      }
      const outcome = executeProductTool(search, call.name, await pointedArguments(call, photo), wishes);
      messages.push({ role: 'tool', toolCallId: call.id, content: outcome.content });
      found.push(...outcome.products);
      if (!outcome.search) continue;
      if (searches.length === 0) heading = outcome.search.query || heading;
      searches.push(describeSearch(outcome.search.query, filtersFrom(outcome.search)));
    }
  }
}
