import { createSealer } from '../src/crypto/sealing';
import { FakeModel } from './helpers/fake-model';
import { pageQuickReplyTap, pageText, whatsAppButtonTap, whatsAppText } from './helpers/payloads';
import { dumpPrefix } from './helpers/redis-dump';
import { replies, type SeenReply } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Memory as the person meets it through the fake Send API: off until they say yes, facts kept
 * only on their word (typed, or a proposal they confirm), a second yes for special categories,
 * listed and deleted one by one, given to the model apart from the conversation, and explained
 * by /why. WhatsApp, Messenger and Instagram each carry part of the story.
 */
const KEY = Buffer.alloc(32, 7).toString('base64');

/** Proposes a fact when the person says they are vegetarian; otherwise echoes. */
const proposingModel = () =>
  new FakeModel((body) => {
    const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
    if (typeof last?.content === 'string' && /vegetarian/i.test(last.content)) {
      return "Then try the lentil curry.\n[remember: I'm vegetarian | diet]";
    }
    // A proposal labelled with an ordinary category although its words are health data.
    if (typeof last?.content === 'string' && /diabetic/i.test(last.content)) {
      return "Go easy on the dessert.\n[remember: I'm diabetic | diet]";
    }
    return FakeModel.echo(body);
  });

describe('memory the person controls', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const start = async (env: Record<string, string> = {}) => {
    system = await startSystem({ model: proposingModel(), env: { LIMIT_BURST: 'off', ...env } });
  };

  /** Sends one message and returns the reply it got. */
  async function say(
    platform: 'whatsapp' | 'messenger' | 'instagram',
    user: string,
    payload: unknown,
  ): Promise<SeenReply> {
    const before = replies(system.graph, user).length;
    await system.deliver(platform, payload);
    await system.graph.waitFor(() => replies(system.graph, user).length > before);
    return replies(system.graph, user)[before]!;
  }
  const wa = (user: string, text: string) => say('whatsapp', user, whatsAppText(user, text));
  const page = (object: 'page' | 'instagram', user: string, text: string) =>
    say(object === 'page' ? 'messenger' : 'instagram', user, pageText(object, user, text));
  // One system message, first (the memory block is merged into the prompt: chat templates refuse a second).
  const systemMessages = (request: number) =>
    (system.model.chatRequests()[request]?.messages ?? [])
      .filter((m, index) => m.role === 'system' || index === 0)
      .map((m) => (m.role === 'system' ? String(m.content) : `not a system message: ${m.role}`));
  const memoryOff = [expect.not.stringMatching(/Memory is on/)];

  it('on WhatsApp: off by default, on after a typed yes, facts listed, given to the model, explained and deleted', async () => {
    await start();
    const user = '16505550300';
    expect((await wa(user, "/remember I'm vegetarian")).text).toMatch(/Memory is off/);
    const question = await wa(user, '/memory on');
    expect(question.text.split('\n')).toHaveLength(3);
    expect(question.text).toMatch(/Turn memory on\?$/);
    expect(question.choices).toEqual(['/yes', '/no']);
    expect((await wa(user, 'yes')).text).toMatch(/^Memory is on/);
    expect((await wa(user, '/remember I wear size 42 shoes')).text).toBe(
      'I\'ll remember: "I wear size 42 shoes". /memory lists what I keep.',
    );
    await wa(user, '/remember my budget is under 80 euros');
    const list = (await wa(user, '/memory')).text;
    expect(list).toMatch(/^1\. I wear size 42 shoes \(sizes; WhatsApp, \d{4}-\d\d-\d\d\)$/m);
    expect(list).toMatch(/^2\. my budget is under 80 euros \(budget;/m);

    expect((await wa(user, 'which trainers should I buy?')).text).toBe(
      'echo: which trainers should I buy? (history: 0)',
    );
    const [memory] = systemMessages(0);
    expect(systemMessages(0)).toHaveLength(1);
    expect(memory).toMatch(/Things the person asked you to remember/);
    expect(memory).toMatch(/- I wear size 42 shoes \(sizes\)\n- my budget is under 80 euros \(budget\)/);

    const why = (await wa(user, '/why')).text;
    expect(why).toMatch(/fast mode by the model fake-fast/);
    expect(why).toMatch(/1\. I wear size 42 shoes\n2\. my budget is under 80 euros/);
    expect(why).toMatch(/no catalog search/);
    await wa(user, '/reset');
    expect((await wa(user, '/why')).text).toMatch(/^I haven't answered anything/);

    expect((await wa(user, '/forget 1')).text).toBe('Deleted: "I wear size 42 shoes".');
    expect((await wa(user, '/forget 5')).text).toMatch(/There is no fact 5: I keep 1 fact/);
    expect((await wa(user, '/memory')).text).toMatch(/^1\. my budget is under 80 euros/m);
    expect((await wa(user, '/memory off')).text).toMatch(/delete the 1 fact I keep/);
    expect((await wa(user, 'no')).text).toMatch(/^Memory is off; I kept the facts but won't use them/);
    expect((await wa(user, '/memory')).text).toMatch(/^Memory is off: I don't use these\. .*\n1\. my budget/);
    await wa(user, 'any ideas?');
    expect(systemMessages(1)).toEqual(memoryOff);
  });

  it('on Messenger: a fact the model proposes is asked about, kept on a tapped Yes, and never shown or re-read as a tag', async () => {
    await start();
    const user = '3000300';
    await page('page', user, '/memory on');
    await say('messenger', user, pageQuickReplyTap('page', user, '/yes', 'Yes'));
    const offer = await page('page', user, "I'm vegetarian, what should I cook?");
    expect(offer.text).toBe('Then try the lentil curry.\n\nShall I remember this about you: "I\'m vegetarian"?');
    expect(offer.choices).toEqual(['/yes', '/no']);
    expect((await say('messenger', user, pageQuickReplyTap('page', user, '/yes', 'Yes'))).text).toMatch(
      /I'll remember: "I'm vegetarian"/,
    );
    await page('page', user, 'and for dessert?');
    const second = system.model.chatRequests()[1]!.messages!;
    expect(second.find((m) => m.role === 'assistant')?.content).toBe('Then try the lentil curry.');
    expect(systemMessages(1)[0]).toMatch(/- I'm vegetarian \(diet\)/);
    // Already kept: the same proposal asks nothing.
    const again = await page('page', user, 'I am still vegetarian');
    expect(again.text).toBe('Then try the lentil curry.');
    expect(again.choices).toEqual([]);
    // Memory belongs to the person, not the thread: the same account writing to another Page has it.
    const otherPage = pageText('page', user, 'what about breakfast?');
    otherPage.entry[0]!.id = '100000000000002';
    otherPage.entry[0]!.messaging[0]!.recipient.id = '100000000000002';
    expect((await say('messenger', user, otherPage)).text).toBe('echo: what about breakfast? (history: 0)');
    expect(systemMessages(3)[0]).toMatch(/- I'm vegetarian \(diet\)/);
  });

  it('with memory off, the model hears nothing of memory and a proposal tag is cut without a question', async () => {
    await start();
    const reply = await page('page', '3000301', "I'm vegetarian");
    expect(reply.text).toBe('Then try the lentil curry.');
    expect(reply.choices).toEqual([]);
    expect(systemMessages(0)).toEqual(memoryOff);
    expect((await page('page', '3000301', '/memory')).text).toMatch(/Memory is off/);
  });

  it('on Instagram: a special-category fact needs a second yes that says why; /memory off offers to delete', async () => {
    await start();
    const user = '3000302';
    await page('instagram', user, '/memory on');
    await page('instagram', user, 'yes');
    const special = await page('instagram', user, "/remember I'm diabetic");
    expect(special.text).toMatch(/looks like health information, which privacy law protects specially/);
    expect(special.choices).toEqual(['/yes', '/no']);
    expect((await page('instagram', user, 'no')).text).toBe("OK, I won't remember that.");
    await page('instagram', user, "/remember I'm diabetic");
    expect((await page('instagram', user, 'yes')).text).toMatch(/I'll remember: "I'm diabetic"/);
    expect((await page('instagram', user, '/memory')).text).toMatch(/1\. I'm diabetic \(health; Instagram/);
    const off = await page('instagram', user, '/memory off');
    expect(off.text).toMatch(/delete the 1 fact I keep/);
    expect((await page('instagram', user, 'yes')).text).toBe('Done: memory is off and I deleted the 1 fact I kept.');
    expect((await page('instagram', user, '/memory')).text).toMatch(/^Memory is off, so I remember nothing/);
  });

  it('asks a second question for a proposed fact whose words are special, and keeps nothing on its No', async () => {
    await start();
    const user = '16505550302';
    await wa(user, '/memory on');
    await wa(user, 'yes');
    const offer = await wa(user, "I'm diabetic, which cake can I have?");
    expect(offer.text).toMatch(/Shall I remember this about you: "I'm diabetic"\?$/);
    const second = await say('whatsapp', user, whatsAppButtonTap(user, '/yes', 'Yes'));
    expect(second.text).toMatch(/looks like health information, which privacy law protects specially/);
    expect(second.choices).toEqual(['/yes', '/no']);
    expect((await say('whatsapp', user, whatsAppButtonTap(user, '/no', 'No'))).text).toBe("OK, I won't remember that.");
    expect((await wa(user, '/memory')).text).toMatch(/you have not asked me to remember anything yet/);
  });

  it('keeps facts sealed, under a TTL of MEMORY_TTL_DAYS', async () => {
    await start({ DATA_ENCRYPTION_KEY: KEY, MEMORY_TTL_DAYS: '10' });
    const user = '16505550301';
    await wa(user, '/memory on');
    await say('whatsapp', user, whatsAppButtonTap(user, '/yes', 'Yes'));
    await wa(user, '/remember I prefer dark colours');
    const key = `${system.config.redis.prefix}:state:memory:whatsapp:${user}`;
    const ttl = await system.redis.ttl(key);
    expect(ttl).toBeGreaterThan(9 * 86_400);
    expect(ttl).toBeLessThanOrEqual(10 * 86_400);
    await wa(user, 'what should I wear tonight?');
    expect((await wa(user, '/why')).text).toMatch(/dark colours/);
    // Not in the fact nor the history, where /why reads it (job payloads are the queues' business).
    const state = (await dumpPrefix(system.redis, system.config.redis.prefix)).filter((k) => k.key.includes(':state:'));
    expect(state.map((k) => k.key).join(' ')).toMatch(/state:history:.*state:memory:|state:memory:.*state:history:/);
    expect(JSON.stringify(state)).not.toMatch(/dark colours|wear tonight/);
    const sealer = createSealer({ current: Buffer.from(KEY, 'base64') });
    const fact = Object.entries(await system.redis.hgetall(key)).find(([field]) => field.startsWith('fact:'))![1];
    expect(sealer.open(fact, `whatsapp:${user}`)).toMatch(/dark colours/);
  });
});
