import { queuePrefix } from '../src/redis/keys';
import { pageText, whatsAppText } from './helpers/payloads';
import { dumpPrefix } from './helpers/redis-dump';
import { replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { EVENTS_STREAM_MAX_LENGTH } from '../src/queues/queues';
import { defined, firstOf } from './helpers/present';

/**
 * Retention everywhere: after an ordinary conversation on the three apps, every key that names a
 * person or holds what they wrote expires on its own, and the jobs BullMQ keeps after finishing
 * hold nothing about anyone.
 */

const WA = '16505550399';
const PSID = '7384920156300055';
const IGSID = '1784140211230066';

describe('retention', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('leaves no key about a person without a TTL, and no finished job with their text', async () => {
    system = await startSystem();
    // One answer fails its first send, so it goes through the send queue and leaves a send job.
    system.graph.script({ status: 503, body: { error: { message: 'try later', code: 2 } } }, 1, (r) => {
      // Lookups (a GET has no body) are not sends.
      const body = JSON.stringify(r.body) ?? '';
      return body.includes(PSID) && body.includes('"message"');
    });
    const texts = ['where is my parcel 4471', 'book a table for two', 'is the blue scarf wool'];
    await system.deliver('whatsapp', whatsAppText(WA, firstOf(texts)));
    await system.deliver('messenger', pageText('page', PSID, '/think'));
    await system.deliver('messenger', pageText('page', PSID, defined(texts[1])));
    await system.deliver('instagram', pageText('instagram', IGSID, defined(texts[2])));
    await system.deliver('instagram', pageText('instagram', IGSID, '/link'));
    // Five answers, one of them tried twice.
    await system.graph.waitFor(() => replies(system.graph).length >= 6, 10_000);
    await sleep(300); // the sender's bookkeeping after the last Send API call

    const needles = [WA, PSID, IGSID, ...texts];
    const dump = await dumpPrefix(system.redis, system.config.redis.prefix);
    const personal = dump.filter((e) => needles.some((n) => e.key.includes(n) || e.values.some((v) => v.includes(n))));
    expect(personal.map((e) => e.key)).toContainEqual(expect.stringContaining(':state:history:'));
    const withoutTtl = [];
    for (const entry of personal) if ((await system.redis.pttl(entry.key)) < 0) withoutTtl.push(entry.key);
    expect(withoutTtl).toEqual([]);

    // Finished message jobs are gone; send jobs are kept a while (inspection) but stripped of content.
    const prefix = system.config.redis.prefix;
    const jobHashes = (queue: string) =>
      dump.filter((e) => new RegExp(`:${queue}:[^:]+$`).test(e.key) && e.values.includes('data'));
    expect(jobHashes('inbound')).toEqual([]);
    expect(jobHashes('outbound').length).toBeGreaterThanOrEqual(1);
    for (const job of jobHashes('outbound')) {
      expect(job.values[job.values.indexOf('data') + 1]).toBe('{"stripped":true}');
    }
    // The events streams are capped.
    for (const queue of ['inbound', 'outbound']) {
      expect(await system.redis.hget(`${queuePrefix(prefix)}:${queue}:meta`, 'opts.maxLenEvents')).toBe(
        String(EVENTS_STREAM_MAX_LENGTH),
      );
    }
  });

  it('gives an inbox holding a message that was never answered a lifetime', async () => {
    system = await startSystem({ workers: false });
    expect((await system.deliver('whatsapp', whatsAppText(WA, 'nobody is answering yet'))).status).toBe(200);
    const inbox = (await dumpPrefix(system.redis, system.config.redis.prefix)).find((e) => e.key.includes(':inbox:'));
    expect(inbox?.key).toContain(WA);
    const ttl = await system.redis.ttl(inbox!.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(system.config.dedupeTtlSeconds);
  });
});
