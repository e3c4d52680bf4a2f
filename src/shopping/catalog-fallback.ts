import type { ChatContentPart } from '../inference/chat-model';
import { searchWithMessage } from './message-search';
import { describeSearch } from './product-tools';
import { recommendedIn } from './recommended';
import type { ShoppingAnswer, ShoppingRequest } from './shopping-answer';
import { factsUsedLine } from './shopping-prompt';

/**
 * Shopping without the tools API (a model server that rejects `tools`): the person's message is
 * the search, run before the model is called, and the results go into the prompt as the only
 * products that exist. A photo is first described by the model in a few search words, so
 * "something like this" still searches. A remembered budget caps the price.
 */

const DESCRIBE_PHOTO =
  'Describe the main product in this photo as a short shop search: a few words (kind of product, colour, material, style). Answer with the search words only.';

async function photoWords(request: ShoppingRequest): Promise<string> {
  if (typeof request.user === 'string' || !request.user.some((part) => part.type === 'image_url')) return '';
  const images: ChatContentPart[] = request.user.filter((part) => part.type === 'image_url');
  const reply = await request.model.complete({
    ...request.settings,
    mode: 'shopping',
    messages: [{ role: 'user', content: [{ type: 'text', text: DESCRIBE_PHOTO }, ...images] }],
    signal: request.signal,
  });
  return reply.text.replace(/[\r\n]+/g, ' ').slice(0, 200);
}

function searchText(request: ShoppingRequest, fromPhoto: string): string {
  const { focus } = request;
  if (focus?.kind === 'more-like-this') return [focus.product.title, focus.product.category].filter(Boolean).join(' ');
  const budget = request.facts.filter((fact) => fact.category === 'budget').map((fact) => fact.text);
  return [request.userText, fromPhoto, ...budget].filter(Boolean).join(' ');
}

export async function answerWithoutTools(request: ShoppingRequest): Promise<ShoppingAnswer> {
  const fromPhoto = await photoWords(request);
  const found = searchWithMessage(request.search, searchText(request, fromPhoto), 6);
  const products = request.focus?.kind === 'referred' ? [request.focus.product, ...found.products] : found.products;
  const reply = await request.model.complete({
    ...request.settings,
    mode: 'shopping',
    messages: [
      { role: 'system', content: `${request.systemPrompt}\n\n${found.promptText}` },
      ...request.history,
      { role: 'user', content: request.user },
    ],
    signal: request.signal,
  });
  return {
    text: reply.text + factsUsedLine(request.facts),
    model: reply.model,
    usage: reply.usage,
    recommended: recommendedIn(products, reply.text, request.focus),
    searches: [describeSearch(found.query, found.filters)],
    heading: request.focus?.product.title ?? (found.query || undefined),
  };
}
