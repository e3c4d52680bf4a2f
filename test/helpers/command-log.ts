import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { sleep } from './replies';
import { REDIS_URL } from './system';

/**
 * The commands Redis ran on the given keys while `run` ran, scripts' inner commands included
 * (MONITOR shows those too, and filtering by key keeps other test files sharing the server out).
 *
 * MONITOR is read from a plain socket: ioredis's monitor mode can take a line that arrives in the
 * same packet as MONITOR's own `+OK` for a reply to nothing ("Command queue state error"), which
 * happens when other test files keep the shared server busy.
 */
export class CommandLog {
  private seen: string[][] = [];
  private pending = '';

  private constructor(
    private readonly client: Redis,
    private readonly monitor: net.Socket,
  ) {
    monitor.setEncoding('utf8');
    monitor.on('data', (chunk: string) => this.read(chunk));
  }

  static async open(): Promise<CommandLog> {
    const { hostname, port } = new URL(REDIS_URL);
    const socket = net.connect(Number(port || 6379), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const log = new CommandLog(new Redis(REDIS_URL), socket);
    socket.write('MONITOR\r\n');
    // Started once its own marker streams by.
    const marker = randomUUID();
    await log.client.echo(marker);
    while (!log.seen.some((args) => args.includes(marker))) await sleep(10);
    return log;
  }

  async during(keys: string[], run: () => Promise<unknown>): Promise<string[]> {
    this.seen = [];
    await run();
    // MONITOR streams in execution order: once the marker shows, everything before it has.
    const marker = randomUUID();
    await this.client.echo(marker);
    while (!this.seen.some((args) => args.includes(marker))) await sleep(10);
    return this.seen.filter((args) => keys.some((key) => args.includes(key))).map((args) => args[0]!.toLowerCase());
  }

  close(): void {
    this.monitor.destroy();
    this.client.disconnect();
  }

  /** Lines like `+1795555699.830088 [0 127.0.0.1:41316] "hset" "key" "field"`: the quoted words are the command. */
  private read(chunk: string): void {
    const lines = (this.pending + chunk).split('\r\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      const quoted = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
      if (line.startsWith('+') && quoted.length > 0) this.seen.push(quoted);
    }
  }
}
