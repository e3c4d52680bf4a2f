import net from 'node:net';
import { loadConfig } from '../config';
import { redactRedisUrl } from '../src/redis/reachability';
import { PortTakenError, startWeb } from '../webhooks/web';
import { ChildWorker, childEnv } from './helpers/child-worker';
import checkRedis from './helpers/redis-check';
import { testEnv } from './helpers/system';
import { startTestSandbox } from './sandbox/start-test-sandbox';
import { defined } from './helpers/present';

/**
 * An operator's first run, with the two mistakes it most often has: a REDIS_URL where nothing
 * answers, and a port another process holds. `web` and `worker` must say so within seconds,
 * naming Redis and the URL (its password hidden) or the port and PORT; `npm test` must stop at
 * once with the same sentence rather than time out test by test.
 */

jest.setTimeout(60_000);

/** A loopback port nothing listens on (taken, then released). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a REDIS_URL where nothing answers', () => {
  let child: ChildWorker | undefined;
  afterEach(async () => {
    await child?.stop();
    child = undefined;
  });

  it('hides the password of a Redis URL, and only the password', () => {
    expect(redactRedisUrl('redis://:s3cret@10.0.0.5:6380/2')).toBe('redis://:***@10.0.0.5:6380/2');
    expect(redactRedisUrl('rediss://app:s3cret@cache.example.com:6380')).toBe(
      'rediss://app:***@cache.example.com:6380',
    );
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it.each([
    ['worker', 'workers/main.ts', 'no message is answered until it does'],
    ['web', 'webhooks/main.ts', 'webhooks answer 503 until it does'],
  ])(
    '%s says within seconds that Redis does not answer, naming the URL without its password',
    async (_, entry, meanwhile) => {
      const port = await deadPort();
      const config = loadConfig(testEnv());
      const env = childEnv(config, { REDIS_URL: `redis://:s3cret@127.0.0.1:${port}`, PORT: '0' });
      const started = Date.now();
      child = new ChildWorker(env, entry);
      await child.waitForLog(/"msg":"Redis does not answer at /, 15_000);
      // Two seconds after start, plus a process start-up on a loaded machine.
      expect(Date.now() - started).toBeLessThan(12_000);
      const line = defined(child.output.find((l) => l.includes('Redis does not answer at')));
      const logged = JSON.parse(line) as { msg: string; redis: string; level: number };
      expect(logged.msg).toContain(`Redis does not answer at redis://:***@127.0.0.1:${port} (connect ECONNREFUSED`);
      expect(logged.msg).toContain(meanwhile);
      expect(logged.msg).toContain('set REDIS_URL');
      expect(logged.level).toBe(50);
      expect(child.output.join('\n')).not.toContain('s3cret');
      expect(child.stderr.filter((l) => /Unhandled error event/.test(l))).toEqual([]);
    },
  );

  it('stops `npm test` at once with the same sentence (the Jest global setup)', async () => {
    const port = await deadPort();
    const before = process.env.REDIS_URL;
    process.env.REDIS_URL = `redis://:s3cret@127.0.0.1:${port}`;
    try {
      const started = Date.now();
      const failure = await checkRedis().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(Date.now() - started).toBeLessThan(3000);
      expect(failure?.message).toMatch(
        new RegExp(`^Redis does not answer at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(connect ECONNREFUSED`),
      );
      expect(failure?.message).toContain('set REDIS_URL');
      expect(failure?.message).not.toContain('s3cret');
    } finally {
      if (before === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = before;
    }
    await expect(checkRedis()).resolves.toBeUndefined();
  });
});

describe('a port another process holds', () => {
  it('web refuses to start saying the port is taken and to set PORT', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const config = loadConfig(testEnv());
      const failure = await startWeb(config, undefined, port).then(
        async (web) => {
          await web.close();
          return undefined;
        },
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PortTakenError);
      expect((failure as Error).message).toMatch(new RegExp(`^port ${port} is taken; set PORT to another`));
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('the sandbox says the same of its page port, and stops what it had started', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      await expect(startTestSandbox({ PORT: String(port) })).rejects.toThrow(
        `port ${port} is taken; set PORT to another (PORT=${port + 1} npm run sandbox)`,
      );
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
