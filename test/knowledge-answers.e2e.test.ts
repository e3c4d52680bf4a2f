import { join } from 'node:path';
import { freePort } from '../sandbox/redis';
import { knowledgeTexts } from '../src/core/reply-texts';
import { translatorFor } from '../src/i18n/translator';

const en = translatorFor('en');
import { FakeModel, type ChatBody, type ToolMove } from './helpers/fake-model';
import { MemoryKnowledge, SHOP_PASSAGES } from './helpers/memory-knowledge';
import { pageText, whatsAppText } from './helpers/payloads';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import type { FakeGraph } from './helpers/fake-graph';
import { defined, firstOf } from './helpers/present';

/**
 * The business's knowledge in the turn, as the person and the model see it: what reaches the
 * model (the tool offered, the passages in the tool result or, for a server without tools, in the
 * prompt), what the person receives (the answer without its references, then the sources: a
 * WhatsApp CTA URL button, a Messenger or Instagram button template, a line for a source without
 * a link), /why, strict mode's "I don't know", and a false promise taken out before it is sent.
 */

interface SourceMessage {
  kind: 'cta_url' | 'button';
  text: string;
  urls: string[];
  titles: string[];
  index: number;
}

interface SourceBody {
  interactive?: {
    type?: string;
    body?: { text?: string };
    action?: { parameters?: { display_text: string; url: string } };
  };
  message?: {
    attachment?: {
      payload?: {
        template_type?: string;
        text?: string;
        buttons?: Array<{ type: string; url: string; title: string }>;
      };
    };
  };
}

/** The messages that carried sources: WhatsApp CTA URL messages and page button templates. */
function sourceMessages(graph: FakeGraph): SourceMessage[] {
  return graph.requests.flatMap((request, index): SourceMessage[] => {
    const body = request.body as SourceBody | undefined;
    const cta = body?.interactive;
    if (cta?.type === 'cta_url') {
      const parameters = defined(cta.action?.parameters);
      const text = cta.body?.text ?? '';
      return [{ kind: 'cta_url', text, urls: [parameters.url], titles: [parameters.display_text], index }];
    }
    const payload = body?.message?.attachment?.payload;
    if (payload?.template_type === 'button') {
      const buttons = payload.buttons ?? [];
      const [urls, titles] = [buttons.map((b) => b.url), buttons.map((b) => b.title)];
      return [{ kind: 'button', text: payload.text ?? '', urls, titles, index }];
    }
    return [];
  });
}

const toolResults = (body: ChatBody) => (body.messages ?? []).filter((m) => m.role === 'tool');
const lastUser = (body: ChatBody) =>
  FakeModel.describe([...(body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content);

/** A model that looks the business up once with `query`, then answers `answer`. */
function lookingUp(query: string, answer: string, tool = 'search_knowledge') {
  return (body: ChatBody): ToolMove =>
    toolResults(body).length === 0 ? { toolCalls: [{ name: tool, arguments: { query } }] } : { text: answer };
}

describe('answers from the business knowledge', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('offers search_knowledge, hands the model the passages, and shows the source as a WhatsApp CTA URL button; /why lists it', async () => {
    const knowledge = new MemoryKnowledge(SHOP_PASSAGES);
    const model = new FakeModel(FakeModel.echo, {
      tools: lookingUp('return policy', 'You can return unworn items within 30 days [K1].'),
    });
    system = await startSystem({ model, knowledge });
    const user = '4915100000101';
    await system.deliver('whatsapp', whatsAppText(user, 'What is your return policy?'));
    await system.graph.waitFor(() => sourceMessages(system.graph).length >= 1);

    const [first, second] = model.chatRequests();
    const offered = defined(first!.tools).find((tool) => tool.function?.name === 'search_knowledge') as {
      function: { parameters: { required: string[]; properties: Record<string, { type: string }> } };
    };
    expect(offered.function.parameters.required).toEqual(['query']);
    expect(defined(offered.function.parameters.properties.query).type).toBe('string');
    expect(knowledge.queries).toEqual(['return policy']);
    const result = JSON.parse(String(firstOf(toolResults(second!)).content)) as {
      passages: Array<Record<string, string>>;
    };
    expect(result.passages[0]).toMatchObject({ ref: 'K1', title: 'Shipping & returns › Returns' });
    expect(firstOf(result.passages).text).toContain('30 days, unworn, with the tags on.');

    const answer = firstOf(replies(system.graph, user));
    expect(answer.text).toBe('You can return unworn items within 30 days.');
    const [source] = sourceMessages(system.graph);
    expect(source).toMatchObject({
      kind: 'cta_url',
      text: 'Returns: 30 days, unworn, with the tags on — Shipping & returns',
      urls: ['https://shop.example/returns'],
      titles: ['Open source'],
    });
    expect(source!.index).toBeGreaterThan(answer.index);

    await system.deliver('whatsapp', whatsAppText(user, '/why'));
    await system.graph.waitFor(() => replies(system.graph, user).length >= 2);
    expect(defined(replies(system.graph, user)[1]).text).toContain(
      'It used these sources:\n1. Returns: 30 days, unworn, with the tags on — Shipping & returns › https://shop.example/returns',
    );
  });

  it('shows the sources as a button template on Messenger and Instagram, and a source without a link as a line', async () => {
    const model = new FakeModel(FakeModel.echo, {
      tools: lookingUp(
        'canada shipping store hours',
        'We ship to Canada in 5 to 8 business days [K1]. The store is closed on Sunday [K2].',
      ),
    });
    system = await startSystem({ model, knowledge: new MemoryKnowledge(SHOP_PASSAGES) });
    for (const [app, object, user] of [
      ['messenger', 'page', '2000201'],
      ['instagram', 'instagram', '3000202'],
    ] as const) {
      await system.deliver(app, pageText(object, user, 'Do you ship to Canada, and are you open Sunday?'));
      await system.graph.waitFor(() => {
        const answered = replies(system.graph, user)[0];
        return Boolean(answered) && sourceMessages(system.graph).some((m) => m.index > answered!.index);
      });
      const answer = firstOf(replies(system.graph, user));
      expect(answer.text).toBe(
        'We ship to Canada in 5 to 8 business days. The store is closed on Sunday.\n\nSources:\n' +
          '• The Main Street store is open Monday to Saturday, 10:00 to… — Store hours',
      );
      const buttons = firstOf(sourceMessages(system.graph).filter((m) => m.index > answer.index));
      expect(buttons).toMatchObject({
        kind: 'button',
        text: 'Shipping to Canada: We ship to Canada in 5 to 8 business days; duties are paid… — Shipping & returns',
        urls: ['https://shop.example/shipping#canada'],
        titles: ['Shipping & returns'],
      });
    }
  });

  it('gives a model server without tools the passages in its prompt (the retrieval step)', async () => {
    const model = new FakeModel(
      (body) =>
        String(body.messages?.[0]?.content).includes('[K1] Shipping & returns › Returns')
          ? 'Within 30 days, unworn [K1].'
          : 'no passages reached me',
      { rejectTools: true },
    );
    const knowledge = new MemoryKnowledge(SHOP_PASSAGES);
    system = await startSystem({ model, knowledge });
    const user = '4915100000103';
    await system.deliver('whatsapp', whatsAppText(user, 'How many days do I have for returns?'));
    await system.graph.waitFor(() => sourceMessages(system.graph).length >= 1);
    expect(firstOf(replies(system.graph, user)).text).toBe('Within 30 days, unworn.');
    expect(knowledge.queries).toEqual(['How many days do I have for returns?']);
    const plain = defined(model.chatRequests().at(-1));
    expect(plain.tools).toBeUndefined();
    expect(String(firstOf(defined(plain.messages)).content)).toContain('30 days, unworn, with the tags on.');
  });

  it('in strict mode says it does not know what no passage answers, and still answers from a passage', async () => {
    const model = new FakeModel(FakeModel.echo, {
      tools: (body) =>
        /Canada/.test(lastUser(body))
          ? lookingUp('canada', 'Yes, we ship to Canada in 5 to 8 business days [K1].')(body)
          : { text: 'Sure, we have a store in Lisbon, open every day until 22:00.' },
    });
    system = await startSystem({
      model,
      knowledge: new MemoryKnowledge(SHOP_PASSAGES),
      env: { KNOWLEDGE_STRICT: 'on', BUSINESS_NAME: 'Demo Shop' },
    });
    const user = '4915100000104';
    await system.deliver('whatsapp', whatsAppText(user, 'Do you have a store in Lisbon, and when is it open?'));
    await system.graph.waitFor(() => replies(system.graph, user).length >= 1);
    expect(firstOf(replies(system.graph, user)).text).toBe(knowledgeTexts.unknown(en));
    expect(String(firstOf(defined(firstOf(model.chatRequests()).messages)).content)).toContain(
      'reply exactly [unknown]',
    );

    await system.deliver('whatsapp', whatsAppText(user, 'Do you ship to Canada?'));
    await system.graph.waitFor(() => replies(system.graph, user).length >= 2);
    expect(defined(replies(system.graph, user)[1]).text).toBe('Yes, we ship to Canada in 5 to 8 business days.');
  });

  it('withholds a promise no passage backs, keeps one a passage backs, and counts what it took out', async () => {
    const answers: Record<string, string> = {
      broken: "We'll refund you in full today, and I'll give you a 20% discount on your next order.",
      late: 'Returns are accepted within 30 days, unworn [K1]. We will also call you tomorrow to arrange a pickup.',
      refund: 'We will refund you within 5 business days of the parcel reaching us [K1].',
    };
    const model = new FakeModel(FakeModel.echo, {
      tools: (body) => {
        const key = defined(Object.keys(answers).find((word) => lastUser(body).includes(word)));
        return key === 'broken'
          ? { text: defined(answers.broken) }
          : lookingUp('returns refund', defined(answers[key]))(body);
      },
    });
    system = await startSystem({
      model,
      knowledge: new MemoryKnowledge(SHOP_PASSAGES),
      env: { METRICS_PORT: String(await freePort()) },
    });
    const user = '4915100000105';
    for (const [n, word] of ['broken', 'late', 'refund'].entries()) {
      await system.deliver('whatsapp', whatsAppText(user, `my order is ${word}, what now?`));
      await system.graph.waitFor(() => replies(system.graph, user).length >= n + 1);
    }
    const [broken, late, refund] = replies(system.graph, user).map((reply) => reply.text);
    expect(broken).toBe(knowledgeTexts.promiseWithheld(en));
    expect(late).toBe(`Returns are accepted within 30 days, unworn.\n\n${knowledgeTexts.promiseRemoved(en)}`);
    expect(refund).toBe('We will refund you within 5 business days of the parcel reaching us.');

    const scraped = await fetch(`http://127.0.0.1:${defined(system.workers).metricsPort}/metrics`);
    const metrics = parsePrometheusText(await scraped.text());
    const guard = (action: string, kind: string) =>
      sampleValue(metrics, 'threadline_promise_guard_total', { action, kind });
    expect([guard('withheld', 'refund'), guard('withheld', 'discount'), guard('rewritten', 'callback')]).toEqual([
      1, 1, 1,
    ]);
    expect(sampleValue(metrics, 'threadline_promise_guard_total', { kind: 'refund', action: 'rewritten' })).toBe(0);
  });

  it('lets each contemplating draft search, with the same references, and cites what the synthesis kept', async () => {
    const model = new FakeModel(
      (body) =>
        String(body.messages?.[0]?.content).includes('merge draft answers') ? 'Merged: 30 days, unworn [K1].' : 'no',
      { tools: lookingUp('returns', 'Draft: returns within 30 days [K1].') },
    );
    const env = { LLM_MODEL_THINKING: 'fake-deep', CONTEMPLATE_DRAFTS: '2', THINKING_NOTE_AFTER_MS: '0' };
    system = await startSystem({ model, env, knowledge: new MemoryKnowledge(SHOP_PASSAGES) });
    const user = '4915100000107';
    await system.deliver('whatsapp', whatsAppText(user, '/contemplate'));
    await system.graph.waitFor(() => replies(system.graph, user).length >= 1);
    await system.deliver('whatsapp', whatsAppText(user, 'How long do I have to return shoes?'));
    await system.graph.waitFor(() => sourceMessages(system.graph).length >= 1);
    const withResults = model.chatRequests().filter((body) => toolResults(body).length > 0);
    expect(withResults).toHaveLength(2);
    for (const body of withResults) expect(String(firstOf(toolResults(body)).content)).toContain('"ref":"K1"');
    expect(defined(replies(system.graph, user)[1]).text).toBe('Merged: 30 days, unworn.');
    expect(firstOf(sourceMessages(system.graph)).urls).toEqual(['https://shop.example/returns']);
  });

  it('offers search_knowledge beside the product tools in shopping mode', async () => {
    const model = new FakeModel(FakeModel.echo, {
      tools: lookingUp('returns', 'You can return them within 30 days, unworn [K1].'),
    });
    const env = { CATALOG_FEED: join(__dirname, '..', 'sandbox', 'catalog', 'demo-feed.csv') };
    system = await startSystem({ model, env, knowledge: new MemoryKnowledge(SHOP_PASSAGES) });
    const user = '4915100000108';
    await system.deliver('whatsapp', whatsAppText(user, '/shop'));
    await system.graph.waitFor(() => replies(system.graph, user).length >= 1);
    await system.deliver('whatsapp', whatsAppText(user, 'Can I return sneakers I bought here?'));
    await system.graph.waitFor(() => sourceMessages(system.graph).length >= 1);
    const offered = defined(firstOf(model.chatRequests()).tools).map((tool) => tool.function?.name);
    expect(offered).toEqual(['search_products', 'get_product', 'search_knowledge']);
    expect(defined(replies(system.graph, user)[1]).text).toBe('You can return them within 30 days, unworn.');
  });

  it("says it does not know, and withholds a promise, in the person's language", async () => {
    const model = new FakeModel(FakeModel.echo, {
      tools: (body) =>
        /Lisboa/.test(lastUser(body))
          ? { text: 'Sí, tenemos una tienda en Lisboa, abierta todos los días.' }
          : { text: 'Wir werden Ihnen den Betrag morgen erstatten.' },
    });
    system = await startSystem({
      model,
      knowledge: new MemoryKnowledge(SHOP_PASSAGES),
      env: { KNOWLEDGE_STRICT: 'on' },
    });
    const spanish = '4915100000109';
    await system.deliver(
      'whatsapp',
      whatsAppText(spanish, '¿Tienen una tienda en Lisboa y cuál es el horario de apertura?'),
    );
    await system.graph.waitFor(() => replies(system.graph, spanish).length >= 1);
    expect(firstOf(replies(system.graph, spanish)).text).toBe(knowledgeTexts.unknown(translatorFor('es')));
    const german = '4915100000110';
    await system.deliver(
      'whatsapp',
      whatsAppText(german, 'Mein Paket ist beschädigt angekommen, was passiert jetzt mit meinem Geld?'),
    );
    await system.graph.waitFor(() => replies(system.graph, german).length >= 1);
    expect(firstOf(replies(system.graph, german)).text).toBe(knowledgeTexts.promiseWithheld(translatorFor('de')));
  });

  it('guards promises with no knowledge configured at all', async () => {
    system = await startSystem({
      model: new FakeModel(() => 'Good news: your parcel will arrive tomorrow, guaranteed.'),
    });
    const user = '4915100000106';
    await system.deliver('whatsapp', whatsAppText(user, 'where is my parcel?'));
    await system.graph.waitFor(() => replies(system.graph, user).length >= 1);
    expect(firstOf(replies(system.graph, user)).text).toBe(knowledgeTexts.promiseWithheld(en));
    expect(firstOf(model(system).chatRequests()).tools).toBeUndefined();
  });
});

const model = (system: TestSystem) => system.model;
