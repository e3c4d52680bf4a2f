import { join } from 'node:path';
import { loadFeed } from '../../src/catalog/feed-source';
import { currentPrice } from '../../src/catalog/product';
import { ProductSearch } from '../../src/catalog/product-search';
import type { RememberedFact } from '../../src/core/remembered-fact';
import { createOpenAiChatModel, type ChatMessage } from '../../src/inference/chat-model';
import { answerShopping, MAX_TOOL_ROUNDS, type ShoppingRequest } from '../../src/shopping/shopping-answer';
import { shoppingFacts, shoppingSystemPrompt } from '../../src/shopping/shopping-prompt';
import { FakeModel, type ChatBody } from '../helpers/fake-model';
import { defined, firstOf, only } from '../helpers/present';

/**
 * The shopping answer against a loopback model: remembered facts shape the search and are named
 * in the answer (only the shopping ones, only when given, only when the products keep them), a
 * photo reaches the model or becomes search words (also a turn later, from the history), the
 * tool rounds are bounded, and a product the model makes up gets no card.
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
  history: ChatMessage[] = [],
): Promise<Awaited<ReturnType<typeof answerShopping>>> {
  servers.push(await model.start());
  const chat = createOpenAiChatModel({ baseUrl: model.url, apiKey: undefined, timeoutMs: 5000 });
  const used = shoppingFacts(facts);
  const request: ShoppingRequest = {
    model: chat,
    settings: { model: 'fake-fast', maxTokens: 500, timeoutMs: 5000 },
    search,
    systemPrompt: shoppingSystemPrompt('You are a shop assistant.', used),
    history,
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
    expect(answer.remembered).toEqual({ honoured: facts.slice(0, 2), unmet: [] });
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
    expect(answer.remembered).toEqual({ honoured: [], unmet: [] });
    expect(answer.recommended).toHaveLength(1);
  });

  it('keeps to a remembered budget the model left out of its search, in what the model sees too', async () => {
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(() => ({ query: 'sneakers' }), 3) });
    const budget: RememberedFact = { text: 'my budget is 50 euros', category: 'budget' };
    const answer = await ask(model, 'sneakers', [budget]);
    const seen = FakeModel.lastToolResults(defined(model.chatRequests()[1]));
    expect(seen.length).toBeGreaterThan(0);
    for (const result of seen) expect(Number(result.price.replace(/[^\d.]/g, ''))).toBeLessThanOrEqual(50);
    expect(answer.recommended.length).toBeGreaterThan(0);
    for (const product of answer.recommended) expect(currentPrice(product).amount).toBeLessThanOrEqual(50);
    expect(answer.remembered).toEqual({ honoured: [budget], unmet: [] });
  });

  it('shows the closest products when nothing keeps to the budget, and does not claim it', async () => {
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(() => ({ query: 'jackets' }), 2) });
    const budget: RememberedFact = { text: 'my budget is 50 euros', category: 'budget' };
    const answer = await ask(model, 'a jacket', [budget]);
    const tool = defined(model.chatRequests()[1]?.messages).find((m) => m.role === 'tool');
    expect(String(tool?.content)).toContain('No product matching this search honours \\"my budget is 50 euros\\"');
    expect(answer.remembered.honoured).toEqual([]);
    const [unmet] = answer.remembered.unmet;
    expect(unmet?.wish.fact).toEqual(budget);
    const prices = answer.recommended.map((product) => currentPrice(product).amount);
    expect(currentPrice(unmet!.closest).amount).toBe(Math.min(...prices));
    expect(Math.min(...prices)).toBeGreaterThan(50);
  });

  it('searches for the photo of the turn when the model only points at it', async () => {
    const model = new FakeModel(() => 'leather loafers', { tools: FakeModel.shopper(() => ({ query: 'this' }), 1) });
    const answer = await ask(model, [
      { type: 'text', text: 'something like this' },
      { type: 'image_url', image_url: { url: PHOTO } },
    ]);
    const describe = model.chatRequests().find((body) => !body.tools);
    expect(FakeModel.describe(describe?.messages?.at(-1)?.content)).toMatch(
      /^Describe the main product.*\[\+1 image\]$/,
    );
    expect(answer.searches).toEqual(['leather loafers']);
    expect(firstOf(answer.recommended).title).toMatch(/loafers/i);
    expect(answer.photoWords).toBe('leather loafers');
  });

  it('searches for the last photo of the conversation when a message only points at it', async () => {
    const history: ChatMessage[] = [
      { role: 'user', content: '[photo: brown leather loafers]\nwhat are these?' },
      { role: 'assistant', content: 'Those are loafers.' },
      { role: 'user', content: 'what colour would suit them?' },
      { role: 'assistant', content: 'Brown or green.' },
    ];
    const tools = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(() => ({ query: 'similar ones' }), 1) });
    const withTools = await ask(tools, 'something like this', [], history);
    expect(withTools.searches).toEqual(['brown leather loafers']);
    expect(firstOf(withTools.recommended).title).toMatch(/loafers/i);
    expect(tools.chatRequests()).toHaveLength(2);

    const toolless = new FakeModel(
      (body) => `How about the ${/"title":"([^"]+)"/.exec(systemOf(body))?.[1] ?? 'nothing'}?`,
      { rejectTools: true },
    );
    const answer = await ask(toolless, 'something like this', [], history);
    expect(answer.searches).toEqual(['brown leather loafers']);
    expect(firstOf(answer.recommended).title).toMatch(/loafers/i);
  });

  it('gives the model the photo along with the tools', async () => {
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(() => ({ query: 'loafers' }), 1) });
    const answer = await ask(model, [
      { type: 'text', text: 'something like this' },
      { type: 'image_url', image_url: { url: PHOTO } },
    ]);
    expect(FakeModel.describe(firstOf(model.chatRequests()).messages?.at(-1)?.content)).toBe(
      'something like this [+1 image]',
    );
    expect(firstOf(answer.recommended).title).toMatch(/loafers/i);
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
    expect(only(answer.recommended).title).toMatch(/loafers/i);
  });

  it('makes the model answer after a few tool rounds, and shows no card for a product it made up', async () => {
    const model = new FakeModel(() => 'The Imaginary Cloud Shoe is perfect for you, only €5.', {
      tools: () => ({ toolCalls: [{ name: 'search_products', arguments: { query: 'shoes' } }] }),
    });
    const answer = await ask(model, 'shoes');
    const requests = model.chatRequests();
    expect(requests).toHaveLength(MAX_TOOL_ROUNDS + 1);
    expect(defined(requests.at(-1)).tools).toBeUndefined();
    expect(answer.searches).toHaveLength(MAX_TOOL_ROUNDS);
    expect(answer.recommended).toEqual([]);
  });
});
