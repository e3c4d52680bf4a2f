import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { sleep } from './replies';
import { REDIS_URL } from './system';

/**
 * The commands Redis ran on the given keys while `run` ran, scripts' inner commands included
 * (MONITOR shows those too, and filtering by key keeps other test files sharing the server out).
 */
export class CommandLog {
  private seen: string[][] = [];

  private constructor(
    private readonly client: Redis,
    private readonly monitor: Redis,
  ) {
    monitor.on('monitor', (_time: string, args: string[]) => this.seen.push(args));
  }

  static async open(): Promise<CommandLog> {
    const client = new Redis(REDIS_URL);
    return new CommandLog(client, await client.monitor());
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
    this.monitor.disconnect();
    this.client.disconnect();
  }
}
