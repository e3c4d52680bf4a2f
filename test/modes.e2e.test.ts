import { startWorkers } from '../workers/worker';
import { createLogger } from '../src/logging';
import { FakeModel } from './helpers/fake-model';
import { pageQuickReplyTap, pageText, whatsAppButtonTap, whatsAppText } from './helpers/payloads';
import { replies, signsOfLife, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Modes and commands as a user meets them: what they type (or tap) on each platform, and what
 * comes back through the fake Send API; what reached the fake model shows which mode answered.
 */
const MODELS = {
  LLM_MODEL_FAST: 'fake-fast',
  LLM_MODEL_THINKING: 'fake-thinking',
  LLM_MODEL_CONTEMPLATING: 'fake-deep',
};

describe('modes and commands', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const waitForReplies = (count: number, to?: string, timeoutMs?: number) =>
    system.graph.waitFor(() => replies(system.graph, to).length >= count, timeoutMs);

  it('answers in fast mode by default, after marking the message read and showing typing in one call', async () => {
    system = await startSystem({ env: MODELS });
    await system.deliver('whatsapp', whatsAppText('16505550100', 'quick one', { id: 'wamid.DEFAULT1' }));
    await waitForReplies(1);
    expect(system.model.chatRequests().map((r) => r.model)).toEqual(['fake-fast']);
    const answer = firstOf(replies(system.graph));
    expect(answer.text).toBe('echo: quick one (history: 0)');
    const signs = signsOfLife(system.graph);
    // WhatsApp's typing indicator marks the message read too: no separate receipt.
    expect(signs.filter((s) => s.kind === 'read')).toEqual([]);
    const typing = signs.find((s) => s.kind === 'typing');
    expect(typing?.request.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.DEFAULT1',
      typing_indicator: { type: 'text' },
    });
    expect(typing!.index).toBeLessThan(answer.index);
  });

  it('marks a command read on WhatsApp without showing typing', async () => {
    system = await startSystem({ env: MODELS });
    await system.deliver('whatsapp', whatsAppText('16505550101', '/help', { id: 'wamid.HELP1' }));
    await waitForReplies(1);
    const answer = firstOf(replies(system.graph));
    const signs = signsOfLife(system.graph);
    expect(signs.filter((s) => s.kind === 'typing')).toEqual([]);
    const read = signs.find((s) => s.kind === 'read');
    expect(read?.request.body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.HELP1' });
    expect(read!.index).toBeLessThan(answer.index);
  });

  it('marks seen and shows typing on Messenger with separate sender actions before the answer', async () => {
    system = await startSystem({ env: MODELS });
    await system.deliver('messenger', pageText('page', '2000100', 'hello'));
    await waitForReplies(1);
    const answer = firstOf(replies(system.graph));
    const actions = signsOfLife(system.graph)
      .filter((s) => s.index < answer.index)
      .map((s) => s.request.body);
    expect(actions).toEqual([
      { recipient: { id: '2000100' }, sender_action: 'mark_seen' },
      { recipient: { id: '2000100' }, sender_action: 'typing_on' },
    ]);
  });

  it('keeps showing typing during a long turn', async () => {
    const model = new FakeModel();
    model.script({ status: 200, delayMs: 1200, body: FakeModel.completion('fake-fast', 'slow answer') });
    system = await startSystem({ model, env: { ...MODELS, TYPING_REFRESH_MS: '300' } });
    await system.deliver('whatsapp', whatsAppText('16505550103', 'take your time'));
    await waitForReplies(1);
    const answer = firstOf(replies(system.graph));
    const typing = signsOfLife(system.graph).filter((s) => s.kind === 'typing');
    expect(typing.length).toBeGreaterThanOrEqual(3);
    expect(typing.every((s) => s.index < answer.index)).toBe(true);
  });

  it('answers every command without calling the model, whatever its case', async () => {
    system = await startSystem({ env: { ...MODELS, LIMIT_FAST: '60/1h', LIMIT_THINKING: '5/1d' } });
    const user = '2000101';
    const commands = ['/HELP', '/help ALL', '/Think', '/contemplate', '/fast', '/limits', '/reset', '/nonsense'];
    for (const command of commands) await system.deliver('messenger', pageText('page', user, command));
    await waitForReplies(commands.length, user);
    await sleep(200);
    const texts = replies(system.graph, user).map((r) => r.text);
    expect(texts).toHaveLength(commands.length);
    expect(texts[0]).toMatch(/^I'm Threadline/);
    expect(texts[0]).toMatch(/\/help all/);
    expect(texts[1]).toMatch(/Modes \(you are in fast mode\)/);
    expect(texts[1]).toMatch(/\n\/think: I take more time and reason things through \(5 per day\)\n/);
    expect(texts[2]).toMatch(/^Switched to thinking mode.*5 per day.*\/fast to switch back/);
    expect(texts[3]).toMatch(/^Switched to contemplating mode/);
    expect(texts[4]).toMatch(/^Switched to fast mode/);
    expect(texts[5]).toMatch(/You are in fast mode\. What you have left:\nfast mode: 60 of 60 per hour left/);
    expect(texts[6]).toMatch(/forgotten our conversation/);
    expect(texts[7]).toMatch(/don't know the command \/nonsense/);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('/reset forgets the conversation: the next question reaches the model without history', async () => {
    system = await startSystem({ env: MODELS });
    const user = '2000102';
    await system.deliver('messenger', pageText('page', user, 'My name is Ada.'));
    await waitForReplies(1, user);
    await system.deliver('messenger', pageText('page', user, '/reset'));
    await system.deliver('messenger', pageText('page', user, 'What is my name?'));
    await waitForReplies(3, user);
    expect(replies(system.graph, user).map((r) => r.text)).toEqual([
      'echo: My name is Ada. (history: 0)',
      expect.stringMatching(/forgotten/),
      'echo: What is my name? (history: 0)',
    ]);
  });

  it('thinking mode sends its reasoning effort with max_completion_tokens; fast mode sends max_tokens', async () => {
    system = await startSystem({
      env: { ...MODELS, LLM_REASONING_EFFORT_THINKING: 'high', LLM_MAX_TOKENS_THINKING: '3000' },
    });
    const user = '16505550199';
    await system.deliver('whatsapp', whatsAppText(user, 'quick'));
    await waitForReplies(1, user);
    await system.deliver('whatsapp', whatsAppText(user, '/think'));
    await waitForReplies(2, user);
    await system.deliver('whatsapp', whatsAppText(user, 'prove it'));
    await waitForReplies(3, user);
    const [fast, thinking] = system.model.chatRequests() as Array<Record<string, unknown>>;
    expect(fast).toMatchObject({ model: 'fake-fast', max_tokens: 1024 });
    expect(fast).not.toHaveProperty('reasoning_effort');
    expect(thinking).toMatchObject({ model: 'fake-thinking', reasoning_effort: 'high', max_completion_tokens: 3000 });
    expect(thinking).not.toHaveProperty('max_tokens');
  });

  it('keeps the chosen mode across a worker restart', async () => {
    system = await startSystem({ env: MODELS });
    const user = '16505550102';
    await system.deliver('whatsapp', whatsAppText(user, '/think'));
    await waitForReplies(1, user);
    await defined(system.workers).close();
    system.workers = await startWorkers(system.config, createLogger({ level: 'silent', name: 'restarted' }));
    await system.deliver('whatsapp', whatsAppText(user, 'a hard question'));
    await waitForReplies(2, user);
    expect(system.model.chatRequests().map((r) => r.model)).toEqual(['fake-thinking']);
    expect(defined(replies(system.graph, user)[1]).text).toBe('echo: a hard question (history: 0)');
  });

  it("writes CONTEMPLATE_DRAFTS drafts, each call within contemplating's token budget", async () => {
    system = await startSystem({
      env: { ...MODELS, CONTEMPLATE_DRAFTS: '2', LLM_MAX_TOKENS_CONTEMPLATING: '700', THINKING_NOTE_AFTER_MS: '0' },
    });
    const user = '2000133';
    await system.deliver('messenger', pageText('page', user, '/contemplate'));
    await waitForReplies(1, user);
    await system.deliver('messenger', pageText('page', user, 'Should I learn Rust or Go?'));
    await waitForReplies(2, user, 20_000);
    const calls = system.model.chatRequests() as Array<{ model?: string; max_tokens?: number }>;
    // Two drafts, then the synthesis.
    expect(calls.map((c) => [c.model, c.max_tokens])).toEqual([
      ['fake-deep', 700],
      ['fake-deep', 700],
      ['fake-deep', 700],
    ]);
  });

  it('contemplates with concurrent drafts from different angles and answers once with the synthesis', async () => {
    const model = new FakeModel((body) => {
      const system = FakeModel.describe(body.messages?.[0]?.content ?? '');
      return system.includes('merge draft answers') ? 'the merged answer' : 'unexpected';
    });
    // The three drafts are slow; if they were issued one after another, the third would start
    // only after the first had answered.
    for (const angle of ['one', 'two', 'three']) {
      model.script({ status: 200, delayMs: 1000, body: FakeModel.completion('fake-deep', `draft ${angle}`) });
    }
    system = await startSystem({ model, env: { ...MODELS, CONTEMPLATE_DRAFTS: '3', THINKING_NOTE_AFTER_MS: '0' } });
    const user = '2000103';
    await system.deliver('messenger', pageText('page', user, '/contemplate'));
    await waitForReplies(1, user);
    await system.deliver('messenger', pageText('page', user, 'Should I learn Rust or Go?'));
    await waitForReplies(2, user, 20_000);
    await sleep(300);

    const calls = system.model.requests.filter((r) => r.path.endsWith('/chat/completions'));
    expect(calls).toHaveLength(4);
    const drafts = calls.slice(0, 3);
    const synthesis = defined(calls[3]);
    const firstStart = Math.min(...drafts.map((d) => d.at));
    expect(Math.max(...drafts.map((d) => d.at))).toBeLessThan(firstStart + 1000);
    expect(synthesis.at).toBeGreaterThanOrEqual(firstStart + 1000);
    const draftPrompts = drafts.map(
      (d) => firstOf((d.body as { messages: Array<{ content: string }> }).messages).content,
    );
    expect(new Set(draftPrompts).size).toBe(3);
    for (const d of drafts) expect((d.body as { model: string }).model).toBe('fake-deep');
    const synthesisMessages = (synthesis.body as { messages: Array<{ role: string; content: string }> }).messages;
    const last = defined(synthesisMessages[synthesisMessages.length - 1]).content;
    expect(last).toContain('Should I learn Rust or Go?');
    for (const angle of ['one', 'two', 'three']) expect(last).toContain(`draft ${angle}`);

    expect(replies(system.graph, user).map((r) => r.text)).toEqual([
      expect.stringMatching(/^Switched to contemplating/),
      'the merged answer',
    ]);
  });

  it("offers the short help's choices as Messenger quick replies, and a tap switches the mode", async () => {
    system = await startSystem({ env: MODELS });
    const user = '2000104';
    await system.deliver('messenger', pageText('page', user, '/help'));
    await waitForReplies(1, user);
    const help = firstOf(replies(system.graph, user));
    expect((help.request.body as { message: { quick_replies: unknown } }).message.quick_replies).toEqual([
      { content_type: 'text', title: 'Think', payload: '/think' },
      { content_type: 'text', title: 'Memory', payload: '/memory' },
      { content_type: 'text', title: 'All commands', payload: '/help all' },
    ]);
    await system.deliver('messenger', pageQuickReplyTap('page', user, '/think', 'Think'));
    await system.deliver('messenger', pageText('page', user, 'why is the sky blue?'));
    await waitForReplies(3, user);
    const texts = replies(system.graph, user).map((r) => r.text);
    expect(texts[1]).toMatch(/^Switched to thinking mode/);
    expect(defined(replies(system.graph, user)[1]).choices).toEqual(['/fast', '/contemplate']);
    expect(system.model.chatRequests().map((r) => r.model)).toEqual(['fake-thinking']);
  });

  it('offers the modes as WhatsApp reply buttons, and a button tap switches the mode', async () => {
    system = await startSystem({ env: MODELS });
    const user = '16505550104';
    await system.deliver('whatsapp', whatsAppText(user, '/think'));
    await waitForReplies(1, user);
    const switched = firstOf(replies(system.graph, user));
    const body = switched.request.body as { type: string; interactive: unknown };
    expect(body.type).toBe('interactive');
    expect(body.interactive).toEqual({
      type: 'button',
      body: { text: switched.text },
      action: {
        buttons: [
          { type: 'reply', reply: { id: '/fast', title: 'Fast' } },
          { type: 'reply', reply: { id: '/contemplate', title: 'Contemplate' } },
        ],
      },
    });
    await system.deliver('whatsapp', whatsAppButtonTap(user, '/contemplate', 'Contemplate'));
    await waitForReplies(2, user);
    expect(defined(replies(system.graph, user)[1]).text).toMatch(/^Switched to contemplating mode/);
    await system.deliver('whatsapp', whatsAppText(user, '/limits'));
    await waitForReplies(3, user);
    expect(defined(replies(system.graph, user)[2]).text).toMatch(/^You are in contemplating mode/);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('says "still thinking" once, before the answer, even when the slow turn is retried; the turn is charged once', async () => {
    const model = new FakeModel();
    model.script({ status: 500, delayMs: 700, body: { error: { message: 'overloaded' } } });
    model.script({ status: 200, delayMs: 700, body: FakeModel.completion('fake-thinking', 'the considered answer') });
    system = await startSystem({ model, env: { ...MODELS, THINKING_NOTE_AFTER_MS: '300', LIMIT_THINKING: '20/1d' } });
    const user = '2000105';
    await system.deliver('messenger', pageText('page', user, '/think'));
    await waitForReplies(1, user);
    await system.deliver('messenger', pageText('page', user, 'a hard one'));
    await waitForReplies(3, user, 20_000);
    await system.deliver('messenger', pageText('page', user, '/limits'));
    await waitForReplies(4, user);
    await sleep(200);
    const texts = replies(system.graph, user).map((r) => r.text);
    expect(texts).toEqual([
      expect.stringMatching(/^Switched to thinking/),
      'Still thinking about this one; I will answer shortly.',
      'the considered answer',
      expect.stringMatching(/thinking mode: 19 of 20 per day left/),
    ]);
    expect(system.model.chatRequests()).toHaveLength(2);
  });
});
