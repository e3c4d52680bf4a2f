import { knowledgeTexts } from '../src/core/reply-texts';
import { translatorFor } from '../src/i18n/translator';

const en = translatorFor('en');
import { createWebSearch, WebSearchError } from '../src/grounding/web-search';
import { FakeModel, type ChatBody, type ToolMove } from './helpers/fake-model';
import { fakeBrave, fakeSearxng, WEB_PAGES } from './helpers/fake-web-search';
import type { FakeHttpServer } from './helpers/http-fake';
import { MemoryKnowledge, SHOP_PASSAGES } from './helpers/memory-knowledge';
import { whatsAppText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * The open web where the operator switched it on (WEB_SEARCH): `search_web` offered to the model
 * beside `search_knowledge`, its results read from a loopback SearXNG or Brave Search API,
 * handed to the model marked as the web, and cited under the answer as "From the web", never as
 * the business's own word; strict mode never answers a question about the business from them.
 */

const toolResults = (body: ChatBody) => (body.messages ?? []).filter((m) => m.role === 'tool');
const ctaTexts = (system: TestSystem) =>
  system.graph.requests.flatMap((request) => {
    const body = request.body as { interactive?: { type?: string; body?: { text?: string } } } | undefined;
    return body?.interactive?.type === 'cta_url' ? [body.interactive.body?.text ?? ''] : [];
  });

describe('web search', () => {
  let system: TestSystem | undefined;
  let web: FakeHttpServer | undefined;
  afterEach(async () => {
    await system?.stop();
    await web?.stop();
    system = web = undefined;
  });

  it('reads a SearXNG instance and a Brave Search API as they document their answers', async () => {
    web = await fakeSearxng().start();
    const searxng = createWebSearch({ provider: 'searxng', baseUrl: web.url, timeoutMs: 2000 });
    expect(await searxng.search('lisbon weather')).toEqual(
      WEB_PAGES.map((page) => ({ title: page.title, url: page.url, snippet: page.text })),
    );
    expect(new URLSearchParams(firstOf(web.requests).query).get('q')).toBe('lisbon weather');
    await web.stop();

    web = await fakeBrave('brave-key').start();
    const brave = createWebSearch({ provider: 'brave', baseUrl: web.url, apiKey: 'brave-key', timeoutMs: 2000 });
    const found = await brave.search('lisbon weather');
    expect(found[0]).toEqual({
      title: firstOf(WEB_PAGES).title,
      url: firstOf(WEB_PAGES).url,
      snippet: firstOf(WEB_PAGES).text,
    });
    const wrongKey = createWebSearch({ provider: 'brave', baseUrl: web.url, apiKey: 'wrong', timeoutMs: 2000 });
    await expect(wrongKey.search('x')).rejects.toBeInstanceOf(WebSearchError);
  });

  it.each(['searxng', 'brave'] as const)(
    'offers search_web with %s, hands the model the results marked as the web, and cites them as the web',
    async (provider) => {
      web = await (provider === 'searxng' ? fakeSearxng() : fakeBrave('brave-key')).start();
      const model = new FakeModel(FakeModel.echo, {
        tools: (body): ToolMove =>
          toolResults(body).length === 0
            ? { toolCalls: [{ name: 'search_web', arguments: { query: 'lisbon weather today' } }] }
            : { text: 'It is sunny in Lisbon today, about 24 °C [W1].' },
      });
      const env = { WEB_SEARCH: provider, WEB_SEARCH_URL: web.url, WEB_SEARCH_API_KEY: 'brave-key' };
      system = await startSystem({ model, env, knowledge: new MemoryKnowledge(SHOP_PASSAGES) });
      const user = '4915100000301';
      await system.deliver('whatsapp', whatsAppText(user, 'What is the weather in Lisbon today?'));
      await system.graph.waitFor(() => ctaTexts(system!).length >= 1);

      const first = firstOf(model.chatRequests());
      expect(defined(first.tools).map((tool) => tool.function?.name)).toEqual(
        expect.arrayContaining(['search_knowledge', 'search_web']),
      );
      const result = JSON.parse(String(firstOf(toolResults(defined(model.chatRequests()[1]))).content)) as {
        web_results: Array<{ ref: string; url: string; text: string }>;
        note: string;
      };
      expect(result.web_results[0]).toMatchObject({
        ref: 'W1',
        url: firstOf(WEB_PAGES).url,
        text: firstOf(WEB_PAGES).text,
      });
      expect(result.note).toMatch(/not from the business/);
      expect(firstOf(replies(system.graph, user)).text).toBe('It is sunny in Lisbon today, about 24 °C.');
      expect(ctaTexts(system)).toEqual([
        'From the web: Sunny in Lisbon today, 24 °C in the afternoon, a light wind… — Lisbon weather today',
      ]);
    },
  );

  it('in strict mode never answers a question about the business from the web', async () => {
    web = await fakeSearxng().start();
    const model = new FakeModel(FakeModel.echo, {
      tools: (body): ToolMove =>
        toolResults(body).length === 0
          ? { toolCalls: [{ name: 'search_web', arguments: { query: 'demo shop return policy' } }] }
          : { text: 'Returns are free for 90 days [W1].' },
    });
    const env = { WEB_SEARCH: 'searxng', WEB_SEARCH_URL: web.url, KNOWLEDGE_STRICT: 'on' };
    system = await startSystem({ model, env, knowledge: new MemoryKnowledge(SHOP_PASSAGES) });
    const user = '4915100000302';
    await system.deliver('whatsapp', whatsAppText(user, 'What is your return policy?'));
    await system.graph.waitFor(() => replies(system!.graph, user).length >= 1);
    expect(firstOf(replies(system.graph, user)).text).toBe(knowledgeTexts.unknown(en));
    expect(ctaTexts(system)).toEqual([]);
  });

  it('answers without the web when the search fails, telling the model it is unavailable', async () => {
    web = await fakeBrave('another-key').start();
    const model = new FakeModel(FakeModel.echo, {
      tools: (body): ToolMove =>
        toolResults(body).length === 0
          ? { toolCalls: [{ name: 'search_web', arguments: { query: 'news' } }] }
          : { text: `The web said: ${String(firstOf(toolResults(body)).content)}` },
    });
    const env = { WEB_SEARCH: 'brave', WEB_SEARCH_URL: web.url, WEB_SEARCH_API_KEY: 'brave-key' };
    system = await startSystem({ model, env });
    const user = '4915100000303';
    await system.deliver('whatsapp', whatsAppText(user, 'Any news today?'));
    await system.graph.waitFor(() => replies(system!.graph, user).length >= 1);
    expect(firstOf(replies(system.graph, user)).text).toBe(
      'The web said: {"error":"the web search is unavailable right now"}',
    );
  });
});
