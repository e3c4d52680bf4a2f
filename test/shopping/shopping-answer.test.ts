import { join } from 'node:path';
import { loadFeed } from '../../src/catalog/feed-source';
import { ProductSearch } from '../../src/catalog/product-search';
import type { RememberedFact } from '../../src/core/remembered-fact';
import { createOpenAiChatModel, type ChatMessage } from '../../src/inference/chat-model';
import { answerShopping, MAX_TOOL_ROUNDS, type ShoppingRequest } from '../../src/shopping/shopping-answer';
import { shoppingFacts, shoppingSystemPrompt } from '../../src/shopping/shopping-prompt';
import { FakeModel, type ChatBody } from '../helpers/fake-model';

/**
 * The shopping answer against a loopback model: remembered facts shape the search and are named
 * in the answer (only the shopping ones, only when given), a photo reaches the model or becomes
 * search words, the tool rounds are bounded, and a product the model makes up gets no card.
 */
const FEED = join(__dirname, '..', '..', 'sandbox', 'catalog', 'demo-feed.csv');
const PHOTO = 'data:image/jpeg;base64,/9j/4AAQ';
let search: ProductSearch;
const servers: FakeModel[] = [];

beforeAll(async () => {
  search = await ProductSearch.build('test', (await loadFeed(FEED)).products);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function ask(
  model: FakeModel,
  user: ChatMessage['content'],
  facts: RememberedFact[] = [],
): Promise<Awaited<ReturnType<typeof answerShopping>>> {
  servers.push(await model.start());
  const chat = createOpenAiChatModel({ baseUrl: model.url, apiKey: undefined, timeoutMs: 5000 });
  const used = shoppingFacts(facts);
  const request: ShoppingRequest = {
    model: chat,
    settings: { model: 'fake-fast', maxTokens: 500, timeoutMs: 5000 },
    search,
    systemPrompt: shoppingSystemPrompt('You are a shop assistant.', used),
    history: [],
    user,
    userText: typeof user === 'string' ? user : '',
    facts: used,
    focus: undefined,
    signal: new AbortController().signal,
  };
  return answerShopping(request);
}

const systemOf = (body: ChatBody | undefined) => String(body?.messages?.[0]?.content);

describe('a shopping answer', () => {
  it('uses remembered sizes and budget, names them, and leaves other facts out', async () => {
    const model = new FakeModel(FakeModel.echo, {
      tools: FakeModel.shopper(() => ({ query: 'sneakers', max_price: 100, size: '43' }), 1),
    });
    const facts: RememberedFact[] = [
      { text: 'shoe size 43', category: 'sizes' },
      { text: 'under 100 euros', category: 'budget' },
      { text: 'I am vegetarian', category: 'diet' },
    ];
    const answer = await ask(model, 'sneakers for me', facts);
    const prompt = systemOf(model.chatRequests()[0]);
    expect(prompt).toContain('- sizes: shoe size 43');
    expect(prompt).toContain('- budget: under 100 euros');
    expect(prompt).not.toContain('vegetarian');
    expect(answer.text).toMatch(/\(shoe size 43, under 100 euros: as you asked me to remember\.\)$/);
    expect(answer.searches).toEqual(['sneakers, under 100, size 43']);
    for (const product of answer.recommended) {
      expect(product.size).toBe('43');
      expect((product.salePrice ?? product.price).amount).toBeLessThanOrEqual(100);
    }
  });

  it('is not personalised when no facts are given', async () => {
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(() => ({ query: 'sneakers' }), 1) });
    const answer = await ask(model, 'sneakers');
    expect(systemOf(model.chatRequests()[0])).not.toMatch(/remember/);
    expect(answer.text).not.toMatch(/remember/);
    expect(answer.recommended).toHaveLength(1);
  });

  it('gives the model the photo along with the tools', async () => {
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(() => ({ query: 'loafers' }), 1) });
    const answer = await ask(model, [
      { type: 'text', text: 'something like this' },
      { type: 'image_url', image_url: { url: PHOTO } },
    ]);
    expect(FakeModel.describe(model.chatRequests()[0]!.messages?.at(-1)?.content)).toBe(
      'something like this [+1 image]',
    );
    expect(answer.recommended[0]!.title).toMatch(/loafers/i);
  });

  it('turns a photo into search words when the model server rejects tools', async () => {
    const model = new FakeModel(
      (body) => {
        const last = FakeModel.describe(body.messages?.at(-1)?.content);
        if (last.startsWith('Describe the main product')) return 'leather loafers';
        const title = /"title":"([^"]+)"/.exec(systemOf(body))?.[1];
        return title ? `How about the ${title}?` : 'Nothing.';
      },
      { rejectTools: true },
    );
    const answer = await ask(model, [
      { type: 'text', text: 'something like this' },
      { type: 'image_url', image_url: { url: PHOTO } },
    ]);
    expect(answer.searches[0]).toMatch(/leather loafers/);
    expect(answer.recommended).toHaveLength(1);
    expect(answer.recommended[0]!.title).toMatch(/loafers/i);
  });

  it('makes the model answer after a few tool rounds, and shows no card for a product it made up', async () => {
    const model = new FakeModel(() => 'The Imaginary Cloud Shoe is perfect for you, only €5.', {
      tools: () => ({ toolCalls: [{ name: 'search_products', arguments: { query: 'shoes' } }] }),
    });
    const answer = await ask(model, 'shoes');
    const requests = model.chatRequests();
    expect(requests).toHaveLength(MAX_TOOL_ROUNDS + 1);
    expect(requests.at(-1)!.tools).toBeUndefined();
    expect(answer.searches).toHaveLength(MAX_TOOL_ROUNDS);
    expect(answer.recommended).toEqual([]);
  });
});
