import { afterLastReply } from './helpers/say';
import { Queue } from 'bullmq';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import { createLogger } from '../src/logging';
import { INBOUND_QUEUE, OUTBOUND_QUEUE, createJobIds } from '../src/queues/jobs';
import { queuePrefix } from '../src/redis/keys';
import { startWorkers } from '../workers/worker';
import { pageText, realisticWamid, whatsAppText } from './helpers/payloads';
import { replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, only } from './helpers/present';

/**
 * A WhatsApp message id is base64 that carries the sender's phone number. Job ids show on the
 * queue dashboard, in BullMQ's key names and in its events streams, so they are keyed hashes:
 * nothing there decodes to a number, a redelivery still finds its job, and `/forget all` leaves
 * no events line about the person's jobs.
 */

const PHONE = '5491155557777';
const OTHER = '7384920156300577';

describe('job ids', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  /** Every field of every line of both queues' events streams. */
  async function eventsLines(): Promise<string[][]> {
    const prefix = queuePrefix(system.config.redis.prefix);
    const lines: string[][] = [];
    for (const queue of [INBOUND_QUEUE, OUTBOUND_QUEUE]) {
      for (const [, fields] of await system.redis.xrange(`${prefix}:${queue}:events`, '-', '+')) lines.push(fields);
    }
    return lines;
  }

  /** The WhatsApp ids and the number, and the base64 that carries it, in any of these texts. */
  function traces(texts: string[], wamids: string[]): string[] {
    const needles = [PHONE, ...wamids.flatMap((wamid) => [wamid, wamid.slice('wamid.'.length, 'wamid.'.length + 16)])];
    return texts.filter((text) => needles.some((needle) => text.includes(needle)));
  }

  it('names a WhatsApp delivery and its redelivery by one keyed hash: no wamid or number in ids or events', async () => {
    system = await startSystem({ workers: false });
    const wamid = realisticWamid(PHONE);
    const delivery = whatsAppText(PHONE, 'hello there', { id: wamid });
    for (let i = 0; i < 2; i += 1) expect((await system.deliver('whatsapp', delivery)).status).toBe(200);

    const queue = new Queue(INBOUND_QUEUE, {
      connection: system.redis,
      prefix: queuePrefix(system.config.redis.prefix),
    });
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    await queue.close();
    // Meta's redelivery found the same job: one job, whose id holds neither the wamid nor the number.
    expect(jobs).toHaveLength(1);
    expect(only(jobs).id).toMatch(/^whatsapp-m_[\w-]{12}-u_[\w-]{12}$/);
    expect(traces([defined(only(jobs).id)], [wamid])).toEqual([]);

    system.workers = await startWorkers(system.config, createLogger({ level: 'silent', name: 'test' }));
    await system.graph.waitFor(() => replies(system.graph, PHONE).length >= 1);
    expect((await system.deliver('whatsapp', delivery)).status).toBe(200);
    await sleep(500);
    expect(replies(system.graph, PHONE).map((r) => r.text)).toEqual(['echo: hello there (history: 0)']);

    const lines = await eventsLines();
    expect(lines.length).toBeGreaterThan(0);
    expect(traces(lines.flat(), [wamid])).toEqual([]);
    const keys = await system.redis.keys(`${queuePrefix(system.config.redis.prefix)}:*`);
    expect(traces(keys, [wamid])).toEqual([]);
  });

  it("leaves no events line about the person's jobs after /forget all, and everyone else's in place", async () => {
    system = await startSystem();
    const wamids: string[] = [];
    const say = async (text: string) => {
      const before = replies(system.graph, PHONE).length;
      wamids.push(realisticWamid(PHONE));
      // Written after the last reply, as a person would: a yes counts only after its question.
      const timestamp = Math.floor(afterLastReply(system.graph, PHONE) / 1000);
      await system.deliver('whatsapp', whatsAppText(PHONE, text, { id: wamids.at(-1), timestamp }));
      await system.graph.waitFor(() => replies(system.graph, PHONE).length > before);
    };
    await say('my first question');
    await say('/think');
    await say('my second question');
    await system.deliver('messenger', pageText('page', OTHER, 'someone else'));
    await system.graph.waitFor(() => replies(system.graph, OTHER).length >= 1);
    const ids = createJobIds(createPseudonyms(system.config.privacy.logPseudonymKey));
    const about = (suffix: string, lines: string[][]) =>
      lines.filter((fields) => fields.some((value) => value.endsWith(suffix)));
    // Lines about the person's jobs: by their ids in plain, or by the keyed hash of their user.
    const left = async () => {
      const lines = await eventsLines();
      return [...traces(lines.flat(), wamids), ...about(ids.userSuffix(PHONE), lines).map((f) => f.join(' '))];
    };
    expect((await left()).length).toBeGreaterThan(0);

    await say('/forget all');
    await say('yes');
    expect(defined(replies(system.graph, PHONE).at(-1)).text).toMatch(/erased everything/);
    // The confirmation's own lines are written as its send job finishes: give it a moment.
    const deadline = Date.now() + 5000;
    while ((await left()).length > 0 && Date.now() < deadline) await sleep(100);
    expect(await left()).toEqual([]);
    expect(about(ids.userSuffix(OTHER), await eventsLines()).length).toBeGreaterThan(0);
  });
});
