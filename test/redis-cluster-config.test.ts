import { ConfigError, loadConfig } from '../config';
import { queuePrefix, stateKeys } from '../src/redis/keys';
import { modeStateKeys } from '../src/redis/mode-state-keys';
import { createCounterNames } from '../src/crypto/counter-names';

const required = { META_APP_SECRET: 's', META_VERIFY_TOKEN: 'v' };

/** The part of a key Redis Cluster hashes: the first non-empty `{…}`, else the whole key. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('Redis Cluster configuration', () => {
  it('reads a redis-cluster:// URL as the seed nodes, with credentials and TLS', () => {
    const config = loadConfig({ ...required, REDIS_URL: 'rediss-cluster://app:s%40cret@10.0.0.1:7000,10.0.0.2:7001' });
    expect(config.redis.cluster).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      username: 'app',
      password: 's@cret',
      tls: true,
    });
  });

  it('takes REDIS_CLUSTER_NODES as the seed list, and stays single-node without either', () => {
    const config = loadConfig({ ...required, REDIS_CLUSTER_NODES: 'redis-a:6379, redis-b:6380' });
    expect(config.redis.cluster?.nodes).toEqual([
      { host: 'redis-a', port: 6379 },
      { host: 'redis-b', port: 6380 },
    ]);
    expect(config.redis.cluster?.tls).toBe(false);
    expect(loadConfig({ ...required, REDIS_URL: 'redis://10.0.0.1:6379' }).redis.cluster).toBeNull();
  });

  it('refuses a malformed seed list or URL, naming the variable', () => {
    expect(() => loadConfig({ ...required, REDIS_CLUSTER_NODES: 'redis-a' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadConfig({ ...required, REDIS_URL: 'http://10.0.0.1:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...required, REDIS_URL: 'redis-cluster://10.0.0.1' })).toThrow(
      /REDIS_URL: cluster seed list/,
    );
  });

  it('accepts a QUEUE_PREFIX with one hash tag, and nothing else outside the plain characters', () => {
    expect(loadConfig({ ...required, QUEUE_PREFIX: '{tl}' }).redis.prefix).toBe('{tl}');
    expect(loadConfig({ ...required, QUEUE_PREFIX: 'prod-{tl}' }).redis.prefix).toBe('prod-{tl}');
    for (const bad of ['{}', '{a}{b}', 'a b', 'a:b', '{tl']) {
      expect(() => loadConfig({ ...required, QUEUE_PREFIX: bad })).toThrow(/QUEUE_PREFIX/);
    }
  });
});

describe('Redis keys on a cluster', () => {
  const conversation = 'whatsapp:106540352242922:16505551234';
  const message = 'whatsapp-wamid.HBgLMTY1';

  it("keeps a conversation's keys and its answer ledger in one hash slot", () => {
    const keys = stateKeys('threadline');
    const together = [
      keys.history(conversation),
      keys.inbox(conversation),
      keys.turnLock(conversation),
      keys.outbox(conversation),
      keys.sendLock(conversation),
      keys.windowClosed(conversation),
      keys.answer(conversation, message),
      keys.sentPart(conversation, message, 2),
      modeStateKeys('threadline', createCounterNames(Buffer.from('test counters'))).mode(conversation),
    ];
    expect(new Set(together.map(hashedPart))).toEqual(new Set([conversation]));
    expect(together.every((key) => key.startsWith('threadline:state:'))).toBe(true);
    expect(hashedPart(keys.history('messenger:1:2'))).not.toBe(hashedPart(keys.history(conversation)));
  });

  it('puts the queues under a tagged prefix, or under the prefix that already carries a tag', () => {
    expect(queuePrefix('threadline')).toBe('threadline:{queues}');
    expect(queuePrefix('{tl}')).toBe('{tl}');
    expect(hashedPart(`${queuePrefix('threadline')}:inbound:wait`)).toBe('queues');
    expect(hashedPart(`${queuePrefix('threadline')}:outbound:wait`)).toBe('queues');
  });
});
