import { startDemoResponder, type DemoResponder } from '../sandbox/demo-responder';
import { HELP_CENTRE, helpCentreKnowledge } from './helpers/help-centre';
import { pageText, whatsAppText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { firstOf } from './helpers/present';

/**
 * The sandbox's offline demo responder with the demo help centre: asked about returns in any of
 * the three apps, it calls search_knowledge like a model would, says which passages it was given,
 * and the person sees them as sources under the answer. A question that is not about the shop
 * does not search.
 */
describe('demo responder: questions about the shop through search_knowledge', () => {
  let demo: DemoResponder;
  let system: TestSystem;
  beforeAll(async () => {
    demo = await startDemoResponder();
  });
  afterAll(async () => {
    await system?.stop();
    await demo?.stop();
  });

  it('shows the passages it was given, cited, in WhatsApp, Messenger and Instagram', async () => {
    const knowledge = helpCentreKnowledge();
    system = await startSystem({ env: { LLM_BASE_URL: demo.baseUrl, LLM_MODEL_FAST: 'demo' }, knowledge });
    const asks = [
      ['whatsapp', '4915100000401', () => whatsAppText('4915100000401', 'What is your return policy?')],
      ['messenger', '2000401', () => pageText('page', '2000401', 'What is your return policy?')],
      ['instagram', '3000401', () => pageText('instagram', '3000401', 'What is your return policy?')],
    ] as const;
    for (const [app, user, payload] of asks) {
      await system.deliver(app, payload());
      // Instagram's 1000 bytes split the answer: what the person reads is every part in order.
      const read = () =>
        replies(system.graph, user)
          .map((reply) => reply.text)
          .join('\n\n');
      await system.graph.waitFor(() => read().includes('Sources:'));
      const text = read();
      expect(text).toMatch(
        /^🧪 Offline demo responder \(not an AI model\)\nI searched the help centre for “What is your return policy\?”/,
      );
      expect(text).toContain('• Shipping & returns › Returns: “30 days, unworn, with the tags on.');
      expect(text).not.toMatch(/\[K\d\]/);
      expect(text).toContain('\n\nSources:\n• Returns: 30 days, unworn, with the tags on — Shipping & returns');
    }
    expect(knowledge.queries).toEqual(Array(3).fill('What is your return policy?'));

    await system.deliver('whatsapp', whatsAppText('4915100000402', 'Tell me a joke'));
    await system.graph.waitFor(() => replies(system.graph, '4915100000402').length >= 1);
    expect(firstOf(replies(system.graph, '4915100000402')).text).toContain('Threadline passed me: “Tell me a joke”');
    expect(knowledge.queries).toHaveLength(3);
  });

  it('reads the demo help centre as KNOWLEDGE_SOURCES through the real knowledge base, and cites it', async () => {
    await system?.stop();
    system = await startSystem({
      env: { LLM_BASE_URL: demo.baseUrl, LLM_MODEL_FAST: 'demo', KNOWLEDGE_SOURCES: HELP_CENTRE },
    });
    const user = '4915100000403';
    await system.deliver('whatsapp', whatsAppText(user, 'Do you ship to Canada?'));
    const read = () =>
      replies(system.graph, user)
        .map((reply) => reply.text)
        .join('\n\n');
    await system.graph.waitFor(() => read().includes('Sources:'));
    expect(read()).toMatch(/I searched the help centre for “Do you ship to Canada\?” and was given \d passages?:/);
    expect(read()).toContain('Canada and the United States: 5 to 8 business days');
    expect(read()).toMatch(/\n\nSources:\n• Delivery times: .* — Shipping/);
  });
});
