import { join } from 'node:path';
import { loadFeed } from '../src/catalog/feed-source';
import { currentPrice, type Product } from '../src/catalog/product';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { productMessages, replies } from './helpers/replies';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Shopping personalised with consent, end to end: with memory on, the person's remembered size and
 * budget reach the shopping model and narrow its searches, so the cards shown keep to them, and
 * the answer names only the facts its products honour; when nothing keeps to the budget the
 * answer says so and names the closest product. With memory off, the same question gets no
 * personalisation and the model hears nothing remembered.
 */
const FEED = join(__dirname, '..', 'sandbox', 'catalog', 'demo-feed.csv');
const SIZE = 'my shoe size is 43';
const BUDGET = 'my budget is under 100 euros';
const SMALL_BUDGET = 'my budget is 50 euros';

let catalog: Product[];
beforeAll(async () => {
  catalog = (await loadFeed(FEED)).products;
});

const everything = (body: ChatBody | undefined) =>
  (body?.messages ?? []).map((m) => FakeModel.describe(m.content)).join('\n');
const toolMessages = (body: ChatBody | undefined) =>
  (body?.messages ?? []).filter((m) => m.role === 'tool').map((m) => String(m.content));

describe('shopping with remembered facts', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  /** The model searches for `query` and nothing else: the person's budget is not in its call. */
  const start = async (query = 'sneakers') => {
    const search = () => ({ query, in_stock: true, limit: 5 });
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(search, 2) });
    system = await startSystem({ env: { CATALOG_FEED: FEED }, model });
  };
  const remember = async (user: string, ...facts: string[]) => {
    await say(system, 'whatsapp', user, '/memory on');
    await say(system, 'whatsapp', user, 'yes');
    for (const fact of facts)
      expect(await say(system, 'whatsapp', user, `/remember ${fact}`)).toContain("I'll remember");
    await say(system, 'whatsapp', user, '/shop');
  };
  /** The catalog products of the cards the person received (WhatsApp CTA cards link to them). */
  const shownProducts = async (user: string, count: number) => {
    await system.graph.waitFor(() => productMessages(system.graph, user).length >= count);
    return productMessages(system.graph, user).map((card) =>
      defined(catalog.find((product) => product.link === card.body.interactive?.action?.parameters?.url)),
    );
  };

  it('uses the size and budget the person asked to be remembered, shows only products that keep them, and says so', async () => {
    await start();
    const user = '4915100000101';
    await remember(user, SIZE, BUDGET);
    const answer = await say(system, 'whatsapp', user, 'some sneakers please');
    expect(answer).toMatch(/^You could like /);
    expect(answer).toContain(`(${SIZE} and ${BUDGET}: as you asked me to remember.)`);
    const shown = await shownProducts(user, 1);
    for (const product of shown) {
      expect(product.size).toBe('43');
      expect(currentPrice(product).amount).toBeLessThanOrEqual(100);
    }
    const heard = everything(system.model.chatRequests().at(-1));
    expect(heard).toContain(SIZE);
    expect(heard).toContain(BUDGET);
  });

  it('keeps to a remembered budget the model left out of its search', async () => {
    await start();
    const user = '4915100000103';
    await remember(user, SMALL_BUDGET);
    const answer = await say(system, 'whatsapp', user, 'some sneakers please');
    expect(answer).toMatch(/^You could like .*€4\d\.\d\d/);
    expect(answer).toContain(`(${SMALL_BUDGET}: as you asked me to remember.)`);
    const shown = await shownProducts(user, 1);
    for (const product of shown) expect(currentPrice(product).amount).toBeLessThanOrEqual(50);
    // what the model was given to choose from kept to the budget too
    const results = FakeModel.lastToolResults(defined(system.model.chatRequests().at(-1)));
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(Number(result.price.replace(/[^\d.]/g, ''))).toBeLessThanOrEqual(50);
  });

  it('says plainly when nothing keeps to the budget, names the closest, and does not claim the budget', async () => {
    await start('jackets');
    const user = '4915100000104';
    await remember(user, SMALL_BUDGET);
    const answer = await say(system, 'whatsapp', user, 'a warm jacket');
    const shown = await shownProducts(user, 2);
    const cheapest = firstOf([...shown].sort((a, b) => currentPrice(a).amount - currentPrice(b).amount));
    expect(currentPrice(cheapest).amount).toBeGreaterThan(50);
    const price = `€${currentPrice(cheapest).amount.toFixed(2)}`;
    expect(answer).toContain(`(I found nothing under €50.00 for this: the closest is ${cheapest.title} at ${price}.)`);
    expect(answer).not.toContain('as you asked me to remember');
    expect(toolMessages(system.model.chatRequests().at(-1)).join('\n')).toContain(
      `No product matching this search honours \\"${SMALL_BUDGET}\\"`,
    );
  });

  it('does not personalise while memory is off', async () => {
    await start();
    const user = '4915100000102';
    await say(system, 'whatsapp', user, '/shop');
    const answer = await say(system, 'whatsapp', user, 'some sneakers please');
    expect(answer).toMatch(/^You could like /);
    expect(answer).not.toContain('as you asked me to remember');
    expect(everything(system.model.chatRequests().at(-1))).not.toMatch(/asked you to remember/i);
    expect(replies(system.graph, user)).toHaveLength(2);
  });
});
