import path from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { loadFeed } from '../src/catalog/feed-source';
import { currentPrice, formatMoney, type Product } from '../src/catalog/product';
import { ProductSearch } from '../src/catalog/product-search';
import { executeProductTool, PRODUCT_TOOLS } from '../src/shopping/product-tools';
import { searchArgumentsFrom } from '../sandbox/demo-shopping';
import { startDemoResponder, type DemoResponder } from '../sandbox/demo-responder';
import { makePng } from './sandbox/start-test-sandbox';
import { firstOf } from './helpers/present';

/**
 * The offline demo responder in shopping mode, through the OpenAI SDK as a model client would
 * call it: offered the tools, it asks for search_products with arguments built from the person's
 * words; given the tool's result, it answers naming exactly the products in that result (ids,
 * titles, prices from the result, nothing else), labelled as not a model.
 */
describe('demo responder: shopping turns through the tools', () => {
  let demo: DemoResponder;
  let client: OpenAI;
  let search: ProductSearch;
  let products: Product[];

  beforeAll(async () => {
    demo = await startDemoResponder();
    client = new OpenAI({ baseURL: demo.baseUrl, apiKey: 'demo', maxRetries: 0 });
    products = (await loadFeed(path.join(__dirname, '../sandbox/catalog/demo-feed.csv'))).products;
    search = await ProductSearch.build('demo', products);
  });
  afterAll(async () => {
    await demo?.stop();
  });

  async function shoppingTurn(words: string | ChatCompletionContentPart[]) {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are a shop assistant. Use the tools.' },
      { role: 'user', content: words },
    ];
    const first = await client.chat.completions.create({ model: 'demo', messages, tools: PRODUCT_TOOLS });
    const call = firstOf(first.choices).message.tool_calls?.[0];
    expect(firstOf(first.choices).finish_reason).toBe('tool_calls');
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    const outcome = executeProductTool(search, call.function.name, call.function.arguments);
    messages.push(firstOf(first.choices).message, { role: 'tool', tool_call_id: call.id, content: outcome.content });
    const second = await client.chat.completions.create({ model: 'demo', messages, tools: PRODUCT_TOOLS });
    return {
      call,
      outcome,
      answer: firstOf(second.choices).message.content ?? '',
      finish: firstOf(second.choices).finish_reason,
    };
  }

  test('a request becomes a search_products call from the person’s words, and the answer names what it found', async () => {
    const { call, outcome, answer, finish } = await shoppingTurn(
      'I need a rain jacket under 150 euros, in stock please',
    );
    expect(call.function.name).toBe('search_products');
    expect(JSON.parse(call.function.arguments)).toEqual({ query: 'rain jacket', max_price: 150, in_stock: true });
    expect(outcome.products.length).toBeGreaterThan(0);
    expect(finish).toBe('stop');
    expect(answer).toContain('Offline demo responder (not an AI model)');
    for (const product of outcome.products) {
      expect(answer).toContain(product.id);
      expect(answer).toContain(product.title);
      expect(answer).toContain(formatMoney(currentPrice(product)));
      expect(currentPrice(product).amount).toBeLessThanOrEqual(150);
    }
    // Grounded: no catalog product outside the tool result is named.
    const named = products.filter((p) => answer.includes(p.id));
    expect(named.map((p) => p.id).sort()).toEqual(outcome.products.map((p) => p.id).sort());
  });

  test('a search that finds nothing is answered as such, naming no product', async () => {
    const { outcome, answer } = await shoppingTurn('a rain jacket under 1 euro');
    expect(outcome.products).toEqual([]);
    expect(answer).toMatch(/found nothing/);
    expect(products.some((p) => answer.includes(p.id))).toBe(false);
  });

  test('the query keeps what describes the product and drops the asking words', () => {
    expect(searchArgumentsFrom('Can you show me some leather sneakers between 50 and 90?')).toEqual({
      query: 'leather sneakers',
      min_price: 50,
      max_price: 90,
    });
    expect(searchArgumentsFrom('something')).toEqual({ query: 'something' });
  });

  test('a photo it cannot see is searched by its main colour, and the answer says so', async () => {
    const green = makePng(48, 48, [47, 93, 58]);
    const { call, outcome, answer } = await shoppingTurn([
      { type: 'text', text: '(a photo, no caption)' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${green.toString('base64')}` } },
    ]);
    expect(JSON.parse(call.function.arguments)).toEqual({ query: 'forest green', color: 'forest green' });
    expect(outcome.products.length).toBeGreaterThan(0);
    for (const product of outcome.products) expect(product.color).toBe('forest green');
    expect(answer).toMatch(
      /^🧪 Offline demo responder \(not an AI model\) · I can't see photos, but its main colour is forest green/,
    );
  });

  test('"something like this" with a photo searches the colour, not the words "like this"', async () => {
    const red = makePng(32, 32, [164, 68, 44]);
    const { call } = await shoppingTurn([
      { type: 'text', text: 'something like this under 100' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${red.toString('base64')}` } },
    ]);
    expect(JSON.parse(call.function.arguments)).toEqual({ query: 'rust red', color: 'rust red', max_price: 100 });
  });

  test('a voice note it cannot hear shows what is in stock, saying why, instead of searching its placeholder', async () => {
    const { call, outcome, answer } = await shoppingTurn(
      '[voice note] [speech-to-text not configured: the sandbox received about 12 KB of audio but has no speech model. Set STT_BASE_URL.]',
    );
    expect(JSON.parse(call.function.arguments)).toEqual({ query: '', in_stock: true, limit: 3 });
    expect(outcome.products).toHaveLength(3);
    expect(answer).toContain('could not hear the voice note; here is what is in stock');
    for (const product of outcome.products) expect(answer).toContain(product.id);
  });

  test('without tools it echoes what the pipeline passed, as for any other turn', async () => {
    const reply = await client.chat.completions.create({
      model: 'demo',
      messages: [{ role: 'user', content: 'hello there' }],
    });
    expect(firstOf(reply.choices).message.tool_calls).toBeUndefined();
    expect(firstOf(reply.choices).message.content).toContain('Threadline passed me: “hello there”');
  });
});
