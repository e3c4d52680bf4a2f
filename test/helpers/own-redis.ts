import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * A redis-server of the test's own, on a free loopback port in 6400-6499, for tests that stop and
 * restart Redis (never the shared one on 6379). Data lives in a temp dir; with `appendonly` it
 * survives a graceful restart, as production Redis should.
 */
export class OwnRedis {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly appendonly: boolean,
    private readonly maxmemoryPolicy: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: { appendonly?: boolean; maxmemoryPolicy?: string } = {}): Promise<OwnRedis> {
    const dir = mkdtempSync(path.join(tmpdir(), 'threadline-redis-'));
    for (let tries = 0; tries < 50; tries += 1) {
      const port = 6400 + Math.floor(Math.random() * 100);
      if (!(await portIsFree(port))) continue;
      const redis = new OwnRedis(port, dir, options.appendonly ?? false, options.maxmemoryPolicy ?? 'noeviction');
      await redis.restart();
      return redis;
    }
    throw new Error('no free port for redis-server in 6400-6499');
  }

  /** Starts (again) on the same port and directory; resolves when it answers PING. */
  async restart(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--daemonize',
      'no',
    ];
    args.push(
      '--appendonly',
      this.appendonly ? 'yes' : 'no',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      this.maxmemoryPolicy,
    );
    this.process = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      // A short disconnectTimeout: a refused socket never closes, and ioredis's 2 s timer to destroy
      // it would keep the test process alive after the tests.
      const client = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        disconnectTimeout: 100,
      });
      client.on('error', () => undefined); // refused while it starts: expected
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        client.disconnect();
        if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** SIGTERM: Redis shuts down cleanly (flushing its AOF when on). Resolves when it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
