import { join } from 'node:path';
import { currentPrice, isInStock, type Product } from '../src/catalog/product';
import { loadFeed } from '../src/catalog/feed-source';
import { moreLikeThisPayload } from '../src/core/product-card';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { makeAudio, makeImage } from './helpers/media-fixtures';
import { pagePostback, pageText, whatsAppDelivery, whatsAppMedia, whatsAppText } from './helpers/payloads';
import { productMessages, replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Shopping mode end to end, as the person sees it through the fake Send API: /shop, a model that
 * searches the demo catalog through the tools, the text answer followed by each app's product
 * cards (every card a catalog product meeting the filters asked for), the tool-less fallback,
 * "More like this" taps, WhatsApp orders and questions about a referred product.
 */
const FEED = join(__dirname, '..', 'sandbox', 'catalog', 'demo-feed.csv');
let catalog: Map<string, Product>;
beforeAll(async () => {
  catalog = new Map((await loadFeed(FEED)).products.map((product) => [product.id, product]));
});

const sneakersUnder100 = () => ({ query: 'sneakers', max_price: 100, in_stock: true, limit: 5 });
const userContent = (body: ChatBody | undefined) =>
  FakeModel.describe([...(body?.messages ?? [])].reverse().find((m) => m.role === 'user')?.content);

describe('shopping mode', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());
  const waitForReplies = (count: number, to: string) =>
    system.graph.waitFor(() => replies(system.graph, to).length >= count);
  const waitForCards = (count: number, to: string) =>
    system.graph.waitFor(() => productMessages(system.graph, to).length >= count);

  it('says plainly that there is no shopping without a catalog, and offers no Shop choice', async () => {
    system = await startSystem();
    await system.deliver('whatsapp', whatsAppText('4915100000001', '/shop'));
    await waitForReplies(1, '4915100000001');
    await system.deliver('whatsapp', whatsAppText('4915100000001', '/help'));
    await waitForReplies(2, '4915100000001');
    const [shop, help] = replies(system.graph, '4915100000001');
    expect(shop!.text).toMatch(/no product catalog/);
    expect(help!.text).not.toContain('/shop');
    expect(help!.choices).toEqual(['/think', '/memory', '/help all']);
  });

  it('answers on WhatsApp with text, then up to 3 CTA cards of in-stock catalog products under the asked price', async () => {
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(sneakersUnder100, 3) });
    system = await startSystem({ env: { CATALOG_FEED: FEED }, model });
    const user = '4915100000002';
    await system.deliver('whatsapp', whatsAppText(user, '/help'));
    await waitForReplies(1, user);
    expect(firstOf(replies(system.graph, user)).choices).toEqual(['/think', '/shop', '/help all']);
    await system.deliver('whatsapp', whatsAppText(user, '/shop'));
    await waitForReplies(2, user);
    const switched = defined(replies(system.graph, user)[1]);
    expect(switched.text).toMatch(/Switched to shopping mode.*30 per hour/);
    expect(switched.choices).toEqual(['/fast', '/think', '/contemplate']);

    await system.deliver('whatsapp', whatsAppText(user, 'sneakers under 100 please, in stock'));
    await waitForCards(3, user);
    const answer = defined(replies(system.graph, user)[2]);
    const cards = productMessages(system.graph, user);
    expect(answer.text).toMatch(/^You could like /);
    expect(cards.map((c) => c.kind)).toEqual(['cta_url', 'cta_url', 'cta_url']);
    for (const card of cards) {
      expect(card.index).toBeGreaterThan(answer.index);
      const interactive = defined(card.body.interactive);
      const product = [...catalog.values()].find((p) => p.link === interactive.action?.parameters?.url);
      expect(product).toBeDefined();
      expect(currentPrice(product!).amount).toBeLessThanOrEqual(100);
      expect(isInStock(product!)).toBe(true);
      expect(answer.text).toContain(product!.title);
      expect(defined(interactive.body?.text).length).toBeLessThanOrEqual(1024);
      expect(interactive.header?.image?.link).toBe(product!.imageLink);
      expect(defined(interactive.action?.parameters).display_text.length).toBeLessThanOrEqual(20);
    }
    await system.deliver('whatsapp', whatsAppText(user, '/why'));
    await waitForReplies(4, user);
    expect(defined(replies(system.graph, user)[3]).text).toContain(
      'It searched the catalog for: "sneakers, under 100, in stock".',
    );
    const [first, second] = model.chatRequests();
    expect(first!.tools?.map((tool) => tool.function?.name)).toEqual(['search_products', 'get_product']);
    expect(JSON.stringify(first!.messages?.[0])).toMatch(/never invent a product, a price/);
    expect(second!.messages?.some((m) => m.role === 'tool')).toBe(true);
  });

  it('shows a Messenger carousel whose "More like this" searches from that product', async () => {
    // A model that searches with the person's words as they are, as the sandbox's demo responder does.
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper((words) => ({ query: words })) });
    system = await startSystem({ env: { CATALOG_FEED: FEED }, model });
    const user = '7000200';
    await system.deliver('messenger', pageText('page', user, '/shop'));
    await waitForReplies(1, user);
    await system.deliver('messenger', pageText('page', user, 'show me sneakers'));
    await waitForCards(1, user);
    const carousel = firstOf(productMessages(system.graph, user));
    const elements = defined(carousel.body.message?.attachment?.payload?.elements);
    expect(elements.length).toBeGreaterThan(0);
    expect(elements.length).toBeLessThanOrEqual(10);
    for (const element of elements) {
      expect(element.title.length).toBeLessThanOrEqual(80);
      expect(element.subtitle.length).toBeLessThanOrEqual(80);
      expect(element.buttons.length).toBeLessThanOrEqual(3);
      expect([...catalog.values()].some((p) => p.link === element.default_action.url)).toBe(true);
    }
    const tapped = defined(firstOf(elements).buttons.find((button) => button.type === 'postback'));
    const tappedId = defined(tapped.payload).replace('shop:more-like:', '');
    expect(tapped.payload).toBe(moreLikeThisPayload(tappedId));

    await system.deliver('messenger', pagePostback('page', user, defined(tapped.payload), tapped.title));
    await waitForCards(2, user);
    const after = defined(replies(system.graph, user).at(-1));
    expect(after.text).not.toMatch(/AI assistant|error|found nothing/);
    expect(after.text).toMatch(/^You could like .+ at .+ and .+ at /);
    const tappedProduct = defined(catalog.get(tappedId));
    // The search was made from the product's own fields, under the tool's cap, before the model was asked.
    const ofTap = defined(model.chatRequests().at(-1));
    expect(userContent(ofTap)).toContain(tappedProduct.title);
    const call = defined(ofTap.messages?.find((m) => m.role === 'assistant' && m.tool_calls?.length));
    const args = JSON.parse(
      (defined(call.tool_calls)[0] as { function: { arguments: string } }).function.arguments,
    ) as {
      query: string;
      category?: string;
    };
    expect(args.query.length).toBeLessThanOrEqual(200);
    expect(args.query).toContain(defined(tappedProduct.color));
    expect(args.query.split(' ')).toContain(tappedProduct.title.split(' ').at(-1));
    expect(args.category).toBe('Shoes');
    const next = defined(productMessages(system.graph, user)[1]?.body.message?.attachment?.payload?.elements);
    expect(next.length).toBeGreaterThan(0);
    expect(next.map((element) => element.default_action.url)).not.toContain(tappedProduct.link);
    for (const element of next) {
      const shown = defined([...catalog.values()].find((p) => p.link === element.default_action.url));
      expect(shown.productType).toContain('Shoes');
      expect(after.text).toContain(shown.title);
    }
  });

  it('searches with the message and gives the results in the prompt when the model server rejects tools', async () => {
    const answer = (body: ChatBody) => {
      const system = String(body.messages?.[0]?.content);
      const first = /"title":"([^"]+)"/.exec(system)?.[1];
      return first ? `Try the ${first}.` : 'Nothing found.';
    };
    const model = new FakeModel(answer, { rejectTools: true });
    system = await startSystem({ env: { CATALOG_FEED: FEED }, model });
    const user = '17841400000300';
    await system.deliver('instagram', pageText('instagram', user, '/shop'));
    await waitForReplies(1, user);
    await system.deliver('instagram', pageText('instagram', user, 'loafers under 90'));
    await waitForCards(1, user);
    const [rejected, plain] = model.chatRequests().slice(-2);
    expect(rejected!.tools?.length).toBe(2);
    expect(plain!.tools).toBeUndefined();
    expect(String(plain!.messages?.[0]?.content)).toMatch(/Catalog search results/);
    const elements = defined(firstOf(productMessages(system.graph, user)).body.message?.attachment?.payload?.elements);
    expect(elements).toHaveLength(1);
    const product = defined([...catalog.values()].find((p) => p.link === firstOf(elements).default_action.url));
    expect(currentPrice(product).amount).toBeLessThanOrEqual(90);
    expect(defined(replies(system.graph, user).at(-1)).text).toBe(`Try the ${product.title}.`);
  });

  it('summarises a WhatsApp order with its total and checkout link, and keeps it in the history', async () => {
    system = await startSystem({
      env: { CATALOG_FEED: FEED, ORDER_CHECKOUT_URL: 'https://shop.example/checkout' },
    });
    const user = '4915100000004';
    const order = {
      from: user,
      id: 'wamid.ORDER1',
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'order',
      order: {
        catalog_id: '123456789',
        text: 'for my sister',
        product_items: [
          { product_retailer_id: 'DEMO-SHOES-00001', quantity: 2, item_price: 46.85, currency: 'EUR' },
          { product_retailer_id: 'DEMO-TOPS-00003', quantity: '1', item_price: '21.90', currency: 'EUR' },
        ],
      },
    };
    await system.deliver('whatsapp', whatsAppDelivery([order], [{ wa_id: user, profile: { name: 'A' } }]));
    await waitForReplies(1, user);
    const summary = firstOf(replies(system.graph, user)).text;
    expect(summary).toContain('2 × Marrow Studio Everyday mesh sneakers');
    expect(summary).toContain('Total: €115.60');
    expect(summary).toContain('https://shop.example/checkout?cart=DEMO-SHOES-00001%3A2%2CDEMO-TOPS-00003%3A1');
    expect(system.model.chatRequests()).toHaveLength(0);
    await system.deliver('whatsapp', whatsAppText(user, 'when will it arrive?'));
    await waitForReplies(2, user);
    expect(defined(replies(system.graph, user)[1]).text).toBe('echo: when will it arrive? (history: 2)');
  });

  it('answers a text sent from a product ("Message business") about that product, in any mode', async () => {
    const model = new FakeModel(FakeModel.echo, {
      tools: (body) => {
        const content = userContent(body);
        const id = /"id":"([^"]+)"/.exec(content)?.[1] ?? '';
        if (!body.messages?.some((m) => m.role === 'tool'))
          return { toolCalls: [{ name: 'get_product', arguments: { id } }] };
        const product = firstOf(FakeModel.lastToolResults(body));
        return { text: `Yes: ${product.title} costs ${product.price}.` };
      },
    });
    system = await startSystem({ env: { CATALOG_FEED: FEED }, model });
    const user = '4915100000005';
    const text = whatsAppText(user, 'Is this still available?');
    const message = firstOf(firstOf(text.entry).changes).value.messages[0] as Record<string, unknown>;
    message.context = {
      from: '15550783881',
      id: 'wamid.X',
      referred_product: { catalog_id: '1', product_retailer_id: 'DEMO-SHOES-00001' },
    };
    await system.deliver('whatsapp', text);
    await waitForCards(1, user);
    expect(firstOf(replies(system.graph, user)).text).toBe('Yes: Marrow Studio Everyday mesh sneakers costs €46.85.');
    expect(userContent(model.chatRequests()[0])).toContain('Is this still available?');
    expect(userContent(model.chatRequests()[0])).toContain('DEMO-SHOES-00001');
    expect(defined(firstOf(productMessages(system.graph, user)).body.interactive?.action?.parameters).url).toBe(
      defined(catalog.get('DEMO-SHOES-00001')).link,
    );
  });

  it('sends cards after the text exactly once and in order when a card send fails and is retried', async () => {
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(sneakersUnder100, 2) });
    system = await startSystem({ env: { CATALOG_FEED: FEED }, model });
    const user = '4915100000006';
    await system.deliver('whatsapp', whatsAppText(user, '/shop'));
    await waitForReplies(1, user);
    const isCard = (r: { body: unknown }) => JSON.stringify(r.body).includes('"cta_url"');
    system.graph.script({ status: 500, body: { error: { message: 'oops', code: 2 } } }, 1, isCard);
    await system.deliver('whatsapp', whatsAppText(user, 'sneakers under 100'));
    const delivered = () => productMessages(system.graph, user).filter((c) => c.status === 200);
    await system.graph.waitFor(() => delivered().length >= 2);
    await sleep(300);
    const texts = replies(system.graph, user);
    const cards = delivered();
    expect(productMessages(system.graph, user).filter((c) => c.status === 500)).toHaveLength(1);
    expect(texts).toHaveLength(2);
    expect(cards).toHaveLength(2);
    expect(new Set(cards.map((c) => defined(c.body.interactive?.action?.parameters).url)).size).toBe(2);
    expect(firstOf(cards).index).toBeGreaterThan(defined(texts[1]).index);
  });

  it('looks at a photo beside the tools, and searches a voice note like text', async () => {
    const model = new FakeModel(FakeModel.echo, {
      tools: FakeModel.shopper((text) => ({ query: text.includes('[+1 image]') ? 'loafers' : 'parka' }), 1),
    });
    system = await startSystem({ env: { CATALOG_FEED: FEED, MEDIA_ALLOWED_HOSTS: '127.0.0.1' }, model });
    model.transcript = () => 'a warm parka please';
    const user = '4915100000007';
    await system.deliver('whatsapp', whatsAppText(user, '/shop'));
    await waitForReplies(1, user);
    system.graph.addMedia('7300001', await makeImage(800, 600), 'image/jpeg');
    await system.deliver(
      'whatsapp',
      whatsAppMedia(user, 'image', { id: '7300001', mimeType: 'image/jpeg', caption: 'something like this' }),
    );
    await waitForCards(1, user);
    const audio = await makeAudio('ogg', 2);
    system.graph.addMedia('7300002', audio.bytes, audio.mimeType);
    await system.deliver('whatsapp', whatsAppMedia(user, 'audio', { id: '7300002', mimeType: audio.mimeType }));
    await waitForCards(2, user);
    const [photoTurn, , voiceTurn] = model.chatRequests();
    expect(userContent(photoTurn)).toBe('something like this [+1 image]');
    expect(photoTurn!.tools).toHaveLength(2);
    expect(userContent(voiceTurn)).toContain('a warm parka please');
    const [photoAnswer, voiceAnswer] = replies(system.graph, user).slice(1);
    expect(photoAnswer!.text).toMatch(/loafers/i);
    expect(voiceAnswer!.text).toMatch(/parka/i);
  });
});
