import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { checkRedisForProduction } from '../src/redis/production-check';
import { OwnRedis } from './helpers/own-redis';

/** The worker reads Redis's settings (CONFIG GET only) and warns when they can lose answers. */
describe('Redis production settings check', () => {
  const servers: OwnRedis[] = [];
  const clients: Redis[] = [];
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await Promise.all(servers.map((s) => s.destroy()));
  });

  async function warningsFor(options: { appendonly: boolean; maxmemoryPolicy: string }): Promise<string[]> {
    const server = await OwnRedis.start(options);
    servers.push(server);
    const client = new Redis(server.url);
    clients.push(client);
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    await checkRedisForProduction(client, pino({ level: 'info' }, sink));
    return lines
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((l) => l.level === 40)
      .map((l) => l.msg);
  }

  it('warns about an eviction policy and missing persistence', async () => {
    const warnings = await warningsFor({ appendonly: false, maxmemoryPolicy: 'allkeys-lru' });
    expect(warnings).toEqual([
      expect.stringContaining('maxmemory-policy is not noeviction'),
      expect.stringContaining('persistence is off'),
    ]);
  });

  it('is quiet with noeviction and AOF on', async () => {
    expect(await warningsFor({ appendonly: true, maxmemoryPolicy: 'noeviction' })).toEqual([]);
  });
});
