import { afterLastReply } from './helpers/say';
import { whatsAppButtonTap, whatsAppText } from './helpers/payloads';
import { replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * The burst limit as a person meets it, through the fake Send API: nothing they send is lost.
 * Messages over the limit are held and answered in order when the window reopens, with one notice
 * saying so; an answer to the bot's own question and a tapped button are never refused by it; a
 * burst window too long to hold for refuses instead, told once per refused batch.
 */
describe('the burst limit never goes silent', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const texts = (to: string) => replies(system.graph, to).map((r) => r.text);
  const waitForReplies = (count: number, to: string, timeoutMs = 15_000) =>
    system.graph.waitFor(() => replies(system.graph, to).length >= count, timeoutMs);
  const asked = () =>
    system.model.chatRequests().map((r) => defined(r.messages?.[defined(r.messages).length - 1]).content);

  it('holds the messages over the limit and answers them, in order, when the window reopens, told once', async () => {
    system = await startSystem({ env: { LIMIT_BURST: '2/3s' } });
    const ada = '16505550701';
    for (const text of ['one', 'two', 'three', 'four']) await system.deliver('whatsapp', whatsAppText(ada, text));
    await waitForReplies(5, ada);
    await sleep(500);
    expect(texts(ada)).toEqual([
      'echo: one (history: 0)',
      'echo: two (history: 2)',
      expect.stringMatching(
        /^You're writing faster than I answer \(up to 2 per 3 seconds\), so I'm holding your last message\. I'll answer it and anything you send meanwhile in [1-3] seconds?, in order/,
      ),
      'echo: three (history: 4)',
      'echo: four (history: 6)',
    ]);
    expect(asked()).toEqual(['one', 'two', 'three', 'four']);
  });

  it('never refuses a yes to its own question or a tapped button, and carries out a held /remember', async () => {
    system = await startSystem({ env: { LIMIT_BURST: '2/3s' } });
    const bob = '16505550702';
    await system.deliver('whatsapp', whatsAppText(bob, 'hello'));
    await system.deliver('whatsapp', whatsAppText(bob, '/memory on'));
    await waitForReplies(2, bob);
    // The burst is spent (2 in 3 s): the answer the bot asked for and a tap still go through at once.
    // Written after the question reached bob, as a person would: a yes counts only after its question.
    const afterQuestion = Math.floor(afterLastReply(system.graph, bob) / 1000);
    await system.deliver('whatsapp', whatsAppText(bob, 'yes', { timestamp: afterQuestion }));
    await waitForReplies(3, bob, 2000);
    await system.deliver('whatsapp', whatsAppButtonTap(bob, '/limits', 'Limits'));
    await waitForReplies(4, bob, 2000);
    await system.deliver('whatsapp', whatsAppText(bob, '/remember I drink green tea'));
    await waitForReplies(6, bob);
    expect(texts(bob)).toEqual([
      'echo: hello (history: 0)',
      expect.stringMatching(/Turn memory on\?$/),
      expect.stringMatching(/^Memory is on/),
      expect.stringMatching(
        /^You are in fast mode\. What you have left:\n[\s\S]*messages in a row: 0 of 2 per 3 seconds left/,
      ),
      expect.stringMatching(/^You're writing faster than I answer/),
      'I\'ll remember: "I drink green tea". /memory lists what I keep.',
    ]);
  });

  it('refuses over a window too long to hold for, telling each refused batch once', async () => {
    system = await startSystem({ env: { LIMIT_BURST: '2/1h' } });
    const cy = '16505550703';
    for (const text of ['a', 'b', 'c', 'd']) await system.deliver('whatsapp', whatsAppText(cy, text));
    await waitForReplies(3, cy);
    await sleep(500);
    // 'c' and 'd' came together: one notice for both.
    expect(texts(cy)).toHaveLength(3);
    expect(texts(cy)[2]).toMatch(/^That's a lot of messages at once \(the limit is 2 per hour\)/);
    // A message after the batch (the person may not have seen the notice) is told again, never dropped.
    await sleep(10_000);
    await system.deliver('whatsapp', whatsAppText(cy, '/remember I drink green tea'));
    await waitForReplies(4, cy);
    expect(texts(cy)[3]).toMatch(/^That's a lot of messages at once \(the limit is 2 per hour\)/);
    expect(asked()).toEqual(['a', 'b']);
  }, 30_000);
});
