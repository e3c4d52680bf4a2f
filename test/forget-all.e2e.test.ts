import { dumpPrefix } from './helpers/redis-dump';
import { replies, sleep, yesNoIds } from './helpers/replies';
import { codeIn, say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * `/forget all` as the person meets it: a question first, then, on yes, everything about them
 * gone on every app they linked. "Gone" is checked the hard way: every key and every value under
 * QUEUE_PREFIX, whatever its Redis type, is searched for their ids and for every text they sent
 * or received.
 */

const WA = '16505550377';
const PSID = '7384920156300011';
const IGSID = '1784140211230022';
const OTHER = '7384920156399999';

describe('/forget all', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  /** Where the texts and ids show up in Redis (key or value), as `key` lines. */
  async function mentions(needles: string[]): Promise<string[]> {
    const dump = await dumpPrefix(system.redis, system.config.redis.prefix);
    return dump
      .filter((entry) => needles.some((n) => entry.key.includes(n) || entry.values.some((v) => v.includes(n))))
      .map((entry) => entry.key);
  }

  it('asks first, then erases every linked app: no key or value holds their ids or their texts', async () => {
    system = await startSystem();
    // One person on three apps, linked; each writes something personal and gets it echoed back.
    const waCode = codeIn(await say(system, 'whatsapp', WA, '/link'));
    expect(await say(system, 'messenger', PSID, `/link ${waCode}`)).toMatch(/Linked with WhatsApp/);
    // WhatsApp is told through the send queue; the next /link's answer must not be taken for it.
    await system.graph.waitFor(() => replies(system.graph, WA).length >= 2);
    const secondCode = codeIn(await say(system, 'whatsapp', WA, '/link'));
    expect(await say(system, 'instagram', IGSID, `/link ${secondCode}`)).toMatch(/Linked with/);
    await say(system, 'messenger', PSID, '/think');
    const texts = ['my recipe uses saffron rice', 'I live at 7 Birch Lane', 'my shoe size is 42 wide'];
    await say(system, 'whatsapp', WA, firstOf(texts));
    await say(system, 'messenger', PSID, defined(texts[1]));
    await say(system, 'instagram', IGSID, defined(texts[2]));
    await say(system, 'messenger', OTHER, 'someone else entirely');
    // What the memory module keeps lives under state:memory:<person>*; erased by that pattern.
    const prefix = system.config.redis.prefix;
    await system.redis.set(`${prefix}:state:memory:whatsapp:${WA}:facts`, 'likes saffron rice', 'EX', 600);
    await system.redis.set(`${prefix}:state:memory:messenger:${PSID}`, 'lives on Birch Lane', 'EX', 600);
    const ids = [WA, PSID, IGSID];
    expect(await mentions([...ids, ...texts])).not.toEqual([]);

    const question = await say(system, 'messenger', PSID, '/forget all');
    expect(question).toMatch(/cannot be undone/);
    expect(defined(replies(system.graph, PSID).at(-1)).choices).toEqual(yesNoIds());
    expect(await mentions(texts)).not.toEqual([]); // nothing erased before the yes
    expect(await say(system, 'messenger', PSID, 'yes')).toMatch(/erased everything/);

    // The confirmation's own traces go once it is sent; give the sender a moment to settle.
    const deadline = Date.now() + 5000;
    let left = await mentions([...ids, ...texts, 'saffron', 'Birch Lane']);
    while (left.length > 0 && Date.now() < deadline) {
      await sleep(100);
      left = await mentions([...ids, ...texts, 'saffron', 'Birch Lane']);
    }
    expect(left).toEqual([]);
    // Someone else's conversation is untouched.
    expect(await mentions([OTHER, 'someone else entirely'])).not.toEqual([]);
    // And the person starts from nothing: default mode, empty history.
    expect(await say(system, 'messenger', PSID, 'hello again')).toBe('echo: hello again (history: 0)');
  });

  it('erases nothing on no, and a later yes is an ordinary message', async () => {
    system = await startSystem();
    await say(system, 'whatsapp', WA, 'remember my saffron rice');
    await say(system, 'whatsapp', WA, '/forget all');
    expect(await say(system, 'whatsapp', WA, 'no')).toBe('Nothing was erased.');
    expect(await say(system, 'whatsapp', WA, 'yes')).toMatch(/^echo: yes/);
    expect(await mentions(['saffron rice'])).not.toEqual([]);
  });
});
