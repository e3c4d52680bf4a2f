import { startWorkers, type RunningWorkers } from '../workers/worker';
import { createLogger } from '../src/logging';
import { pageText, whatsAppDelivery, whatsAppText } from './helpers/payloads';
import { replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * Fair-use limits as users meet them: answered up to the count, then one friendly refusal that
 * names the limit and when it resets for the messages refused together (test/burst-hold.e2e.test.ts
 * shows a later one told again, and the burst limit holding instead); per user; and the same
 * across several worker instances sharing Redis.
 */
describe('fair-use limits', () => {
  let system: TestSystem;
  let extraWorkers: RunningWorkers | undefined;
  afterEach(async () => {
    await extraWorkers?.close();
    extraWorkers = undefined;
    await system?.stop();
  });

  const texts = (to: string) => replies(system.graph, to).map((r) => r.text);
  const waitForReplies = (count: number, to: string, timeoutMs?: number) =>
    system.graph.waitFor(() => replies(system.graph, to).length >= count, timeoutMs);

  it('answers exactly up to the count, refuses a batch once without the model, and resets after the window', async () => {
    system = await startSystem({ env: { LIMIT_FAST: '2/2s' } });
    const ada = '16505550201';
    const bob = '16505550202';
    for (const text of ['one', 'two', 'three', 'four']) await system.deliver('whatsapp', whatsAppText(ada, text));
    await waitForReplies(3, ada);
    // Another user is not affected by Ada's limit.
    await system.deliver('whatsapp', whatsAppText(bob, 'hi from bob'));
    await waitForReplies(1, bob);

    expect(texts(ada)).toEqual([
      'echo: one (history: 0)',
      'echo: two (history: 2)',
      expect.stringMatching(
        /^You've reached the limit of messages in fast mode \(2 per 2 seconds\)\. It resets in [12] seconds?\./,
      ),
    ]);
    expect(texts(bob)).toEqual(['echo: hi from bob (history: 0)']);
    const asked = () =>
      system.model.chatRequests().map((r) => defined(r.messages?.[defined(r.messages).length - 1]).content);
    expect(asked()).toEqual(['one', 'two', 'hi from bob']);

    await sleep(2100);
    await system.deliver('whatsapp', whatsAppText(ada, 'five'));
    await waitForReplies(4, ada);
    await sleep(200);
    // 'four' was refused in silence (no second notice); 'five' is in a fresh window.
    expect(texts(ada)).toHaveLength(4);
    expect(texts(ada)[3]).toBe('echo: five (history: 4)');
    expect(asked()).toEqual(['one', 'two', 'hi from bob', 'five']);
  });

  it('counts each mode separately and /limits tells what is left', async () => {
    system = await startSystem({
      env: {
        LLM_MODEL_THINKING: 'fake-thinking',
        LIMIT_FAST: '1/1h',
        LIMIT_THINKING: '1/1d',
        THINKING_NOTE_AFTER_MS: '0',
      },
    });
    const user = '2000201';
    const send = (text: string) => system.deliver('messenger', pageText('page', user, text));
    for (const text of [
      'fast question',
      'another fast one',
      '/think',
      'thinking question',
      'another thinking one',
      '/limits',
    ])
      await send(text);
    await waitForReplies(6, user);
    expect(texts(user)).toEqual([
      'echo: fast question (history: 0)',
      expect.stringMatching(
        /limit of messages in fast mode \(1 per hour\)\. It resets in (60 minutes|59 minutes|1 hour)\.$/,
      ),
      expect.stringMatching(/^Switched to thinking mode/),
      'echo: thinking question (history: 2)',
      expect.stringMatching(
        /limit of messages in thinking mode \(1 per day\)\. It resets in 2[34] hours?.*Meanwhile you can keep going in fast mode: send \/fast\.$/,
      ),
      expect.stringMatching(/thinking mode: 0 of 1 per day left, resets in/),
    ]);
    expect(defined(replies(system.graph, user)[4]).choices).toEqual(['/fast', '/contemplate']);
    expect(system.model.chatRequests().map((r) => r.model)).toEqual(['fake-fast', 'fake-thinking']);
  });

  it('holds a per-user limit across two worker instances sharing Redis', async () => {
    system = await startSystem({ env: { LIMIT_FAST: '3/1h' } });
    extraWorkers = await startWorkers(system.config, createLogger({ level: 'silent', name: 'second' }));
    const user = '2000202';
    for (let i = 1; i <= 6; i += 1) await system.deliver('messenger', pageText('page', user, `message ${i}`));
    await waitForReplies(4, user);
    await sleep(1000);
    expect(texts(user)).toHaveLength(4);
    expect(texts(user)[3]).toMatch(/limit of messages in fast mode \(3 per hour\)/);
    expect(system.model.chatRequests()).toHaveLength(3);
  });

  it('holds the global daily budget across two worker instances under concurrent users', async () => {
    system = await startSystem({ env: { LIMIT_GLOBAL_DAILY: '4', TURN_CONCURRENCY: '8' } });
    extraWorkers = await startWorkers(system.config, createLogger({ level: 'silent', name: 'second' }));
    const users = Array.from({ length: 10 }, (_, i) => `1650555030${i}`);
    await system.deliver(
      'whatsapp',
      whatsAppDelivery(
        users.map((from, i) => ({
          from,
          id: `wamid.GLOBAL${i}`,
          timestamp: '1749416383',
          type: 'text',
          text: { body: `hi ${i}` },
        })),
      ),
    );
    await system.graph.waitFor(() => replies(system.graph).length >= 10);
    await sleep(300);
    const all = replies(system.graph);
    expect(all).toHaveLength(10);
    expect(all.filter((r) => r.text.startsWith('echo:'))).toHaveLength(4);
    expect(all.filter((r) => /used up today's budget for everyone.*back in 2[34] hours?/.test(r.text))).toHaveLength(6);
    expect(system.model.chatRequests()).toHaveLength(4);
  });

  it('refuses a burst across modes, and never limits exempt users', async () => {
    system = await startSystem({ env: { LIMIT_BURST: '2/1h', LIMIT_EXEMPT_USERS: 'whatsapp:16505550401, 999' } });
    const limited = '16505550400';
    const exempt = '16505550401';
    for (const text of ['a', 'b', 'c']) {
      await system.deliver('whatsapp', whatsAppText(limited, text));
      await system.deliver('whatsapp', whatsAppText(exempt, text));
    }
    await waitForReplies(3, limited);
    await waitForReplies(3, exempt);
    expect(texts(limited)[2]).toMatch(
      /^That's a lot of messages at once \(the limit is 2 per hour\)\. Please wait a moment: you can write again in/,
    );
    expect(texts(exempt)).toEqual(['echo: a (history: 0)', 'echo: b (history: 2)', 'echo: c (history: 4)']);
  });

  it('counts commands against the burst limit: a /help flood gets one burst notice', async () => {
    system = await startSystem({ env: { LIMIT_BURST: '3/1h' } });
    const spammer = '16505550600';
    for (let i = 0; i < 5; i += 1) await system.deliver('whatsapp', whatsAppText(spammer, '/help'));
    await waitForReplies(4, spammer);
    await system.deliver('whatsapp', whatsAppText(spammer, 'a real question'));
    await sleep(800);
    const seen = texts(spammer);
    expect(seen).toHaveLength(4);
    expect(seen.slice(0, 3).every((text) => text.startsWith("I'm Threadline"))).toBe(true);
    expect(seen[3]).toMatch(/^That's a lot of messages at once \(the limit is 3 per hour\)/);
    // The burst is spent: neither a fifth /help nor a question goes anywhere, and the model is never asked.
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('caps one user a day across modes (LIMIT_USER_DAILY), without touching anyone else', async () => {
    system = await startSystem({
      env: { LIMIT_USER_DAILY: '3', LLM_MODEL_THINKING: 'fake-thinking', THINKING_NOTE_AFTER_MS: '0' },
    });
    const heavy = '2000600';
    const other = '2000601';
    const send = (user: string, text: string) => system.deliver('messenger', pageText('page', user, text));
    for (const text of ['one', 'two', '/think', 'three', 'four', 'five']) await send(heavy, text);
    await waitForReplies(5, heavy);
    await send(other, 'hello');
    await waitForReplies(1, other);
    await sleep(500);
    expect(texts(heavy)).toEqual([
      'echo: one (history: 0)',
      'echo: two (history: 2)',
      expect.stringMatching(/^Switched to thinking mode/),
      'echo: three (history: 4)',
      expect.stringMatching(
        /^You've reached today's limit of messages \(3 per day, all modes together\)\. It resets in 2[34] hours?/,
      ),
    ]);
    expect(texts(other)).toEqual(['echo: hello (history: 0)']);
    expect(system.model.chatRequests().map((r) => r.model)).toEqual([
      'fake-fast',
      'fake-fast',
      'fake-thinking',
      'fake-fast',
    ]);
  });

  it('does not charge commands or messages it cannot read against the mode limit', async () => {
    system = await startSystem({ env: { LIMIT_FAST: '1/1h' } });
    const user = '16505550500';
    const sticker = whatsAppDelivery([
      {
        from: user,
        id: 'wamid.STK1',
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'unsupported',
        unsupported: { type: 'poll' },
      },
    ]);
    await system.deliver('whatsapp', sticker);
    await system.deliver('whatsapp', whatsAppText(user, '/help'));
    await system.deliver('whatsapp', whatsAppText(user, 'real question'));
    await waitForReplies(3, user);
    expect(texts(user)[2]).toBe('echo: real question (history: 0)');
  });
});
