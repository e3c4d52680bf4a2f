import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Finds a Redis for the sandbox: REDIS_URL when set; else 127.0.0.1:6379 when it answers; else a
 * redis-server from PATH on a free port with its data under .sandbox/redis; else an error that
 * says how to install one.
 */
export interface SandboxRedis {
  url: string;
  /** how it was found, for the console */
  origin: 'REDIS_URL' | 'local-6379' | 'started';
  stop(): Promise<void>;
}

export class RedisNotAvailableError extends Error {}

/** Sends PING and waits for +PONG (or -NOAUTH, which still means a Redis is there). */
export function pingRedis(host: string, port: number, timeoutMs = 800): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export const INSTALL_REDIS_HELP = [
  'The sandbox needs Redis, and none was found:',
  '  - nothing answers on 127.0.0.1:6379, and',
  '  - there is no redis-server on PATH to start.',
  'Install it, then run npm run sandbox again:',
  '  Debian/Ubuntu:  sudo apt-get install -y redis-server',
  '  macOS:          brew install redis',
  '  Fedora:         sudo dnf install -y redis',
  '  or Docker:      docker run -d -p 6379:6379 redis:7   (then it is found on 127.0.0.1:6379)',
  'Or point REDIS_URL at a Redis you already have.',
].join('\n');

export interface FindRedisOptions {
  redisUrl: string | undefined;
  dataDir: string;
  /** the port probed on 127.0.0.1 (6379; tests pass an unused one) */
  localPort?: number;
  /** the program started when nothing answers (tests pass one that does not exist) */
  redisServer?: string;
}

export async function findRedis(options: FindRedisOptions): Promise<SandboxRedis> {
  const localPort = options.localPort ?? 6379;
  const redisServer = options.redisServer ?? 'redis-server';
  const none = () => Promise.resolve();
  if (options.redisUrl) return { url: options.redisUrl, origin: 'REDIS_URL', stop: none };
  if (await pingRedis('127.0.0.1', localPort))
    return { url: `redis://127.0.0.1:${localPort}`, origin: 'local-6379', stop: none };

  const found = spawnSync(redisServer, ['--version'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) throw new RedisNotAvailableError(INSTALL_REDIS_HELP);

  const dir = path.resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    redisServer,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--save',
      '60 1',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 5000;
  while (!(await pingRedis('127.0.0.1', port, 300))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new RedisNotAvailableError(`redis-server did not start on port ${port} (data dir ${dir}).`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    origin: 'started',
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // Redis refuses SIGTERM when its final save fails (say, the data dir was removed): force it.
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(force);
    },
  };
}
