import { searchWithMessage } from './message-search';
import { hasImage, namesNothing, PhotoReference } from './photo-search';
import { describeSearch } from './product-tools';
import { recommendedIn } from './recommended';
import { RememberedWishes } from './remembered-wishes';
import { rememberedVerdict, type ShoppingAnswer, type ShoppingRequest } from './shopping-answer';

/**
 * Shopping without the tools API (a model server that rejects `tools`): the person's message is
 * the search, run before the model is called, and the results go into the prompt as the only
 * products that exist. A photo is first described by the model in a few search words, so
 * "something like this" still searches; a message that only points searches for the last photo
 * of the conversation. Remembered wishes narrow the search as they do the tools'. The business's
 * knowledge, where there is some, is searched with the person's words alike.
 */

async function searchText(request: ShoppingRequest, photo: PhotoReference): Promise<string> {
  const { focus } = request;
  if (focus?.kind === 'more-like-this') return [focus.product.title, focus.product.category].filter(Boolean).join(' ');
  const own = hasImage(request.user) ? await photo.words() : undefined;
  if (!namesNothing(request.userText)) return [request.userText, own].filter(Boolean).join(' ');
  return (await photo.words()) ?? request.userText;
}

export async function answerWithoutTools(request: ShoppingRequest): Promise<ShoppingAnswer> {
  const photo = new PhotoReference(request);
  const wishes = RememberedWishes.from(request.facts, request.search);
  const found = searchWithMessage(request.search, await searchText(request, photo), 6, wishes);
  const products = request.focus?.kind === 'referred' ? [request.focus.product, ...found.products] : found.products;
  const passages = await request.grounding?.retrieve(request.userText, request.signal);
  const knowledge = [request.grounding?.prompt(), passages].filter(Boolean).join('\n\n');
  const reply = await request.model.complete({
    ...request.settings,
    mode: 'shopping',
    messages: [
      {
        role: 'system',
        content: `${request.systemPrompt}\n\n${found.promptText}${knowledge ? `\n\n${knowledge}` : ''}`,
      },
      ...request.history,
      { role: 'user', content: request.user },
    ],
    signal: request.signal,
  });
  const recommended = recommendedIn(products, reply.text, request.focus);
  return {
    text: reply.text,
    model: reply.model,
    usage: reply.usage,
    recommended,
    searches: [describeSearch(found.query, found.filters)],
    heading: request.focus?.product.title ?? (found.query || undefined),
    remembered: rememberedVerdict(recommended, request.focus, wishes),
    photoWords: await photo.ownWords(),
  };
}
