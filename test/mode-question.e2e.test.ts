import { join } from 'node:path';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { pageText, whatsAppText } from './helpers/payloads';
import { productMessages, replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { firstOf } from './helpers/present';

/**
 * `/think <question>`, `/contemplate <question>`, `/shop <request>` and `/fast <question>`: the
 * mode switches and the question is answered in it, in one reply, as the person sees it through
 * the fake Send API; the fake model shows which mode answered and what it was asked.
 */
const MODELS = {
  LLM_MODEL_FAST: 'fake-fast',
  LLM_MODEL_THINKING: 'fake-thinking',
  LLM_MODEL_CONTEMPLATING: 'fake-deep',
  THINKING_NOTE_AFTER_MS: '0',
};
const FEED = join(__dirname, '..', 'sandbox', 'catalog', 'demo-feed.csv');
const lastUser = (body: ChatBody) =>
  FakeModel.describe([...(body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content);

describe('a mode command with a question', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const texts = (to: string) => replies(system.graph, to).map((r) => r.text);
  const waitForReplies = (count: number, to: string) =>
    system.graph.waitFor(() => replies(system.graph, to).length >= count, 20_000);

  it('/think answers at once in thinking mode, which stays on; /fast <question> answers back in fast', async () => {
    system = await startSystem({ env: MODELS });
    const user = '16505550801';
    await system.deliver('whatsapp', whatsAppText(user, '/think why is the sky blue?'));
    await waitForReplies(1, user);
    await system.deliver('whatsapp', whatsAppText(user, 'and at night?'));
    await waitForReplies(2, user);
    await system.deliver('whatsapp', whatsAppText(user, '/fast what is 2 + 2?'));
    await waitForReplies(3, user);
    expect(texts(user)).toEqual([
      "echo: why is the sky blue? (history: 0)\n\n(You're in thinking mode now, for your next messages too. Send /fast to switch back.)",
      'echo: and at night? (history: 2)',
      'echo: what is 2 + 2? (history: 4)\n\n(Back in fast mode.)',
    ]);
    const calls = system.model.chatRequests();
    expect(calls.map((c) => c.model)).toEqual(['fake-thinking', 'fake-thinking', 'fake-fast']);
    expect(calls.map(lastUser)).toEqual(['why is the sky blue?', 'and at night?', 'what is 2 + 2?']);
  });

  it('/contemplate answers the question with drafts and a synthesis, in one reply', async () => {
    const model = new FakeModel((body) =>
      FakeModel.describe(body.messages?.[0]?.content ?? '').includes('merge draft answers')
        ? 'the merged answer'
        : `draft for: ${lastUser(body)}`,
    );
    system = await startSystem({ model, env: { ...MODELS, CONTEMPLATE_DRAFTS: '2' } });
    const user = '2000801';
    await system.deliver('messenger', pageText('page', user, '/contemplate Should I learn Rust or Go?'));
    await waitForReplies(1, user);
    expect(texts(user)).toEqual([
      "the merged answer\n\n(You're in contemplating mode now, for your next messages too. Send /fast to switch back.)",
    ]);
    const calls = system.model.chatRequests();
    expect(calls.map((c) => c.model)).toEqual(['fake-deep', 'fake-deep', 'fake-deep']);
    expect(lastUser(firstOf(calls))).toBe('Should I learn Rust or Go?');
  });

  it('/shop answers the request with catalog products and their cards', async () => {
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper((words) => ({ query: words })) });
    system = await startSystem({ model, env: { ...MODELS, CATALOG_FEED: FEED } });
    const user = '2000802';
    await system.deliver('messenger', pageText('page', user, '/shop rain jacket'));
    await system.graph.waitFor(() => productMessages(system.graph, user).length >= 1, 20_000);
    const [answer] = texts(user);
    expect(answer).toMatch(/^You could like .*rain jacket.* at .+\n\n\(You're in shopping mode now/);
    expect(lastUser(firstOf(system.model.chatRequests()))).toBe('rain jacket');
    expect(replies(system.graph, user)).toHaveLength(1);
  });
});
