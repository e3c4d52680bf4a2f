import type { Product } from '../catalog/product';
import type { ProductSearch } from '../catalog/product-search';
import { ModelRejectedError, type ChatMessage, type ChatModel } from '../inference/chat-model';
import { RequestRejectedError } from '../inference/errors';
import type { ToolChatMessage } from '../inference/tool-chat';
import { answerWithoutTools } from './catalog-fallback';
import { describeSearch, executeProductTool, filtersFrom, PRODUCT_TOOLS } from './product-tools';
import { factsUsedLine, type ProductFocus } from './shopping-prompt';
import { recommendedIn } from './recommended';
import type { RememberedFact } from '../core/remembered-fact';

/**
 * A shopping answer: the model looks products up through the tools (a few rounds at most) and
 * then writes its answer. Every product a tool returned is kept; the answer's cards are those the
 * text names, so a card is always a catalog product the search found. A model server that
 * rejects tools gets the tool-less path (catalog-fallback.ts) instead.
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
  /** what the products answer, e.g. "running shoes" (a WhatsApp product list's header) */
  heading: string;
}

export async function answerShopping(request: ShoppingRequest): Promise<ShoppingAnswer> {
  const { model } = request;
  if (!model.converse) return answerWithoutTools(request);
  try {
    return await toolLoop(request, model.converse.bind(model));
  } catch (error) {
    // A server without tool support refuses the call (400): search for the model instead.
    if (error instanceof RequestRejectedError) {
      return answerWithoutTools(request);
    }
    throw error;
  }
}

async function toolLoop(
  request: ShoppingRequest,
  converse: NonNullable<ChatModel['converse']>,
): Promise<ShoppingAnswer> {
  const { settings, search, signal } = request;
  const messages: ToolChatMessage[] = [
    { role: 'system', content: request.systemPrompt },
    ...request.history,
    { role: 'user', content: request.user },
  ];
  const found: Product[] = request.focus?.kind === 'referred' ? [request.focus.product] : [];
  const searches: string[] = [];
  let heading = request.focus?.product.title ?? 'Products';
  for (let round = 0; ; round += 1) {
    const tools = round < MAX_TOOL_ROUNDS ? PRODUCT_TOOLS : undefined;
    const reply = await converse({ ...settings, messages, tools, signal });
    if (reply.toolCalls.length === 0 || !tools) {
      if (!reply.text) throw new ModelRejectedError('model gave no answer after its tool calls');
      const text = reply.text + factsUsedLine(request.facts);
      const recommended = recommendedIn(found, reply.text, request.focus);
      const cut = reply.cutShort ? { cutShort: true } : {};
      return { text, model: reply.model, usage: reply.usage, recommended, searches, heading, ...cut };
    }
    messages.push({
      role: 'assistant',
      content: reply.text || null,
      toolCalls: reply.toolCalls,
      reasoning: reply.reasoning,
    });
    for (const call of reply.toolCalls) {
      const outcome = executeProductTool(search, call.name, call.arguments);
      messages.push({ role: 'tool', toolCallId: call.id, content: outcome.content });
      found.push(...outcome.products);
      if (!outcome.search) continue;
      if (searches.length === 0) heading = outcome.search.query || heading;
      searches.push(describeSearch(outcome.search.query, filtersFrom(outcome.search)));
    }
  }
}
