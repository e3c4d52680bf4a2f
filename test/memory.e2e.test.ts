import { createSealer } from '../src/crypto/sealing';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeModel, type ChatBody, type ToolMove } from './helpers/fake-model';
import { pageQuickReplyTap, pageText, whatsAppButtonTap, whatsAppDelivery, whatsAppText } from './helpers/payloads';
import { dumpPrefix } from './helpers/redis-dump';
import { choiceOf, replies, yesNoIds, type SeenReply } from './helpers/replies';
import { afterLastReply } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

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
    return defined(replies(system.graph, user)[before]);
  }
  /** Typed, after reading the last reply (a typed yes counts only when written after its question). */
  const wa = (user: string, text: string) =>
    say(
      'whatsapp',
      user,
      whatsAppText(user, text, { timestamp: Math.floor(afterLastReply(system.graph, user) / 1000) }),
    );
  const page = (object: 'page' | 'instagram', user: string, text: string) =>
    say(
      object === 'page' ? 'messenger' : 'instagram',
      user,
      pageText(object, user, text, { timestamp: afterLastReply(system.graph, user) }),
    );
  /** Taps the Yes or No button of the last reply the person got. */
  const tap = (platform: 'whatsapp' | 'messenger', user: string, answer: 'yes' | 'no') => {
    const id = choiceOf(defined(replies(system.graph, user).at(-1)), answer);
    const title = answer === 'yes' ? 'Yes' : 'No';
    return say(
      platform,
      user,
      platform === 'whatsapp' ? whatsAppButtonTap(user, id, title) : pageQuickReplyTap('page', user, id, title),
    );
  };
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
    expect(question.choices).toEqual(yesNoIds());
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
    await tap('messenger', user, 'yes');
    const offer = await page('page', user, "I'm vegetarian, what should I cook?");
    expect(offer.text).toBe('Then try the lentil curry.\n\nShall I remember this about you: "I\'m vegetarian"?');
    expect(offer.choices).toEqual(yesNoIds());
    expect((await tap('messenger', user, 'yes')).text).toMatch(/I'll remember: "I'm vegetarian"/);
    await page('page', user, 'and for dessert?');
    const second = defined(system.model.chatRequests()[1]?.messages);
    expect(second.find((m) => m.role === 'assistant')?.content).toBe('Then try the lentil curry.');
    expect(systemMessages(1)[0]).toMatch(/- I'm vegetarian \(diet\)/);
    // Already kept: the same proposal asks nothing.
    const again = await page('page', user, 'I am still vegetarian');
    expect(again.text).toBe('Then try the lentil curry.');
    expect(again.choices).toEqual([]);
    // Memory belongs to the person, not the thread: the same account writing to another Page has it.
    const otherPage = pageText('page', user, 'what about breakfast?');
    firstOf(otherPage.entry).id = '100000000000002';
    firstOf(firstOf(otherPage.entry).messaging).recipient.id = '100000000000002';
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
    expect(special.choices).toEqual(yesNoIds());
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
    const second = await tap('whatsapp', user, 'yes');
    expect(second.text).toMatch(/looks like health information, which privacy law protects specially/);
    expect(second.choices).toEqual(yesNoIds());
    expect((await tap('whatsapp', user, 'no')).text).toBe("OK, I won't remember that.");
    expect((await wa(user, '/memory')).text).toMatch(/you have not asked me to remember anything yet/);
  });

  describe('consent comes after the question', () => {
    it('takes no "ok" sent with the message that led to a proposal as its yes; the question stays open to its button', async () => {
      await start();
      const user = '16505550303';
      await wa(user, '/memory on');
      await tap('whatsapp', user, 'yes');
      const stamp = String(Math.floor(Date.now() / 1000));
      const text = (id: string, body: string) => ({ from: user, id, timestamp: stamp, type: 'text', text: { body } });
      const before = replies(system.graph, user).length;
      await system.deliver(
        'whatsapp',
        whatsAppDelivery([
          text('wamid.SAMEDELIVERY1', "I'm vegetarian, what should I cook?"),
          text('wamid.SAMEDELIVERY2', 'ok'),
        ]),
      );
      await system.graph.waitFor(() => replies(system.graph, user).length >= before + 2);
      const [offer, ok] = replies(system.graph, user).slice(before);
      expect(offer!.text).toMatch(/Shall I remember this about you: "I'm vegetarian"\?$/);
      expect(ok!.text).toBe('echo: ok (history: 2)');
      // The person had not seen the question when they wrote "ok": its own Yes still answers it.
      const yes = whatsAppButtonTap(user, choiceOf(offer!, 'yes'), 'Yes');
      expect((await say('whatsapp', user, yes)).text).toMatch(/I'll remember: "I'm vegetarian"/);
    });

    it('takes no yes typed while the model was still answering as the first yes of a health fact', async () => {
      await start();
      const user = '3000303';
      await page('page', user, '/memory on');
      await tap('messenger', user, 'yes');
      const proposal = "Go easy on the dessert.\n[remember: I'm diabetic | diet]";
      system.model.script({ status: 200, body: FakeModel.completion('fake-fast', proposal), delayMs: 1500 });
      const before = replies(system.graph, user).length;
      const asked = system.model.chatRequests().length;
      await system.deliver('messenger', pageText('page', user, "I'm diabetic, which cake can I have?"));
      await system.model.waitFor(() => system.model.chatRequests().length > asked);
      await system.deliver('messenger', pageText('page', user, 'yes'));
      await system.graph.waitFor(() => replies(system.graph, user).length >= before + 2);
      const [offer, yes] = replies(system.graph, user).slice(before);
      expect(offer!.text).toMatch(/Shall I remember this about you: "I'm diabetic"\?$/);
      expect(yes!.text).toBe('echo: yes (history: 2)');
      expect((await page('page', user, '/memory')).text).toMatch(/you have not asked me to remember anything yet/);
    });

    it('takes a typed yes to a question whose answer the send queue delivered in parts', async () => {
      await start();
      const user = '3000304';
      await page('page', user, '/memory on');
      await tap('messenger', user, 'yes');
      const long = `${'Lentils are good. '.repeat(150)}\n[remember: I'm vegetarian | diet]`;
      system.model.script({ status: 200, body: FakeModel.completion('fake-fast', long) });
      await page('page', user, "I'm vegetarian, what should I cook?");
      await system.graph.waitFor(() => defined(replies(system.graph, user).at(-1)).choices.length > 0);
      expect(
        replies(system.graph, user)
          .slice(-2)
          .map((r) => r.choices.length),
      ).toEqual([0, 2]);
      expect((await page('page', user, 'yes')).text).toMatch(/I'll remember: "I'm vegetarian"/);
    });

    it("takes no tap on an older question's Yes as consent to the open one", async () => {
      await start();
      const user = '16505550304';
      const consent = await wa(user, '/memory on');
      await tap('whatsapp', user, 'yes');
      expect((await wa(user, "I'm vegetarian, what should I cook?")).choices).toEqual(yesNoIds());
      const old = await say('whatsapp', user, whatsAppButtonTap(user, choiceOf(consent, 'yes'), 'Yes'));
      expect(old.text).toMatch(/expired/);
      expect((await wa(user, '/memory')).text).toMatch(/you have not asked me to remember anything yet/);
    });
  });

  describe('only special-category facts about the person, in their own words', () => {
    /** Proposes what the test says it should, whatever the person wrote. */
    const modelProposing = (fact: string) =>
      new FakeModel((body) => {
        const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
        return /^\//.test(String(last?.content)) ? FakeModel.echo(body) : `Noted.\n[remember: ${fact}]`;
      });

    it('asks the second, explicit yes for a health fact in words the model labelled other', async () => {
      system = await startSystem({ model: modelProposing('I have schizophrenia and take clozapine | other') });
      const user = '16505550305';
      await wa(user, '/memory on');
      await tap('whatsapp', user, 'yes');
      const offer = await wa(user, 'I have schizophrenia and take clozapine, can I drink coffee?');
      expect(offer.text).toMatch(/Shall I remember this about you: "I have schizophrenia and take clozapine"\?$/);
      const second = await tap('whatsapp', user, 'yes');
      expect(second.text).toMatch(/looks like health information, which privacy law protects specially/);
      expect(second.choices).toEqual(yesNoIds());
      expect((await wa(user, '/memory')).text).toMatch(/you have not asked me to remember anything yet/);
    });

    it('never proposes nor keeps a fact about someone else', async () => {
      system = await startSystem({ model: modelProposing('my neighbour Bob is HIV positive | other') });
      const user = '3000305';
      await page('page', user, '/memory on');
      await tap('messenger', user, 'yes');
      const answer = await page('page', user, 'my neighbour Bob is HIV positive, should I worry?');
      expect(answer.text).toBe('Noted.');
      expect(answer.choices).toEqual([]);
      expect((await page('page', user, '/remember I hate my boss Carl Jones')).text).toBe(
        "I keep only facts about you, not about other people (they haven't agreed to it), so I didn't keep that.",
      );
      expect((await page('page', user, '/memory')).text).toMatch(/you have not asked me to remember anything yet/);
    });

    it("proposes nothing the person's own message does not state (a product description a tool returned)", async () => {
      const feed = join(mkdtempSync(join(tmpdir(), 'memory-feed-')), 'feed.csv');
      writeFileSync(
        feed,
        'id,title,description,availability,condition,price,link,image_link,brand\n' +
          'COOKIE-1,Oat cookies,"Sugar-free oat cookies, made for diabetics.",in stock,new,4.50 EUR,' +
          'https://shop.example/p/cookie-1,https://shop.example/i/cookie-1.jpg,Oaty\n',
      );
      // A shop assistant that looks the product up, then proposes what its description says.
      const tools = (body: ChatBody): ToolMove => {
        const messages = body.messages ?? [];
        const found = messages.find((m) => m.role === 'tool');
        if (!found) return { toolCalls: [{ name: 'get_product', arguments: { id: 'COOKIE-1' } }] };
        const forDiabetics = /diabetics/.test(String(found.content));
        return { text: `Try the Oat cookies at 4.50 EUR.${forDiabetics ? "\n[remember: I'm diabetic | diet]" : ''}` };
      };
      system = await startSystem({ env: { CATALOG_FEED: feed }, model: new FakeModel(FakeModel.echo, { tools }) });
      const user = '16505550306';
      await wa(user, '/memory on');
      await tap('whatsapp', user, 'yes');
      await wa(user, '/shop');
      const answer = await wa(user, 'any cookies for me?');
      expect(answer.text).toBe('Try the Oat cookies at 4.50 EUR.');
      expect(answer.choices).toEqual([]);
      // The model did propose, from the description the tool gave it.
      const lastCall = defined(system.model.chatRequests().at(-1)?.messages);
      expect(lastCall.find((m) => m.role === 'tool')?.content).toMatch(/made for diabetics/);
    });
  });

  it('keeps facts sealed, under a TTL of MEMORY_TTL_DAYS', async () => {
    await start({ DATA_ENCRYPTION_KEY: KEY, MEMORY_TTL_DAYS: '10' });
    const user = '16505550301';
    await wa(user, '/memory on');
    await tap('whatsapp', user, 'yes');
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
    const fact = defined(
      Object.entries(await system.redis.hgetall(key)).find(([field]) => field.startsWith('fact:')),
    )[1];
    expect(sealer.open(fact, `whatsapp:${user}`)).toMatch(/dark colours/);
  });
});
