import { replyTexts } from '../src/core/reply-texts';
import { translatorFor } from '../src/i18n/translator';
import { FakeModel } from './helpers/fake-model';
import { pageText, whatsAppText } from './helpers/payloads';
import { replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

const en = translatorFor('en');

/**
 * Answers that would explode into a flood of messages: a model answer far longer than ten
 * messages, and a letter under hundreds of combining marks (one grapheme longer than the limit).
 * What counts is what the fake Graph received.
 */
describe('reply size end to end', () => {
  let system: TestSystem | undefined;
  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  const sentTo = (to: string) => replies(system!.graph, to).map((reply) => reply.text);

  it.each(['instagram', 'messenger'] as const)(
    'a huge answer on %s takes at most ten messages, the last saying it was shortened',
    async (platform) => {
      const huge = 'This is one more sentence of a far too long answer. '.repeat(20_000); // ~1 MB
      system = await startSystem({ model: new FakeModel(() => huge) });
      const user = platform === 'instagram' ? '3000801' : '2000801';
      await system.deliver(
        platform,
        pageText(platform === 'instagram' ? 'instagram' : 'page', user, 'tell me everything'),
      );
      await system.graph.waitFor(
        () => sentTo(user).some((text) => text.endsWith(replyTexts.answerShortened(en))),
        20_000,
      );
      await sleep(500);
      const sent = sentTo(user);
      expect(sent).toHaveLength(10);
      expect(defined(sent.at(-1)).endsWith(replyTexts.answerShortened(en))).toBe(true);
      const limit =
        platform === 'instagram'
          ? (t: string) => Buffer.byteLength(t, 'utf8') <= 1000
          : (t: string) => t.length <= 2000;
      expect(sent.every(limit)).toBe(true);
    },
  );

  it('a letter under 800 combining marks reaches Instagram in two messages, not hundreds', async () => {
    const zalgo = `Here: ${'a' + '\u0301'.repeat(800)}`;
    system = await startSystem({ model: new FakeModel(() => zalgo) });
    await system.deliver('instagram', pageText('instagram', '3000802', 'say something odd'));
    await system.graph.waitFor(() => sentTo('3000802').length >= 1);
    await sleep(800);
    const sent = sentTo('3000802');
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(sent.join('').replace(/\s/g, '')).toBe(zalgo.replace(/\s/g, ''));
    for (const text of sent) expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(1000);
  });

  it('an answer of a few parts is sent whole, with no note', async () => {
    const paragraph = 'word '.repeat(700).trim();
    const answer = [paragraph, paragraph, paragraph].join('\n\n');
    system = await startSystem({ model: new FakeModel(() => answer) });
    await system.deliver('whatsapp', whatsAppText('16505550803', 'medium please'));
    await system.graph.waitFor(() => sentTo('16505550803').length >= 1);
    await sleep(500);
    expect(sentTo('16505550803').join('\n\n')).toBe(answer);
  });
});
