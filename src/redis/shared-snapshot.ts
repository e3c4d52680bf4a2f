import { randomUUID } from 'node:crypto';
import type { RedisClient } from './connection';

/**
 * What every snapshot shared through Redis has in common (the catalog's, the knowledge base's):
 * under `<prefix>:<name>:` a `version` naming the current snapshot, its `snapshot:<version>:meta`,
 * a short `refresh-lock` so one process refreshes at a time, and `refreshed-at`. A new snapshot is
 * written in full before `version` points at it; the one it replaces expires a while later, so a
 * worker still reading it finishes. The data itself (chunks, vectors) is each store's own.
 */

const UNLOCK_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export abstract class SharedSnapshotStore<Meta extends { version: string }> {
  readonly owner = randomUUID();

  protected constructor(
    protected readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly name: string,
    private readonly replacedTtlSeconds: number,
  ) {}

  protected key(...parts: Array<string | number>): string {
    return [this.prefix, this.name, ...parts].join(':');
  }

  currentVersion(): Promise<string | null> {
    return this.redis.get(this.key('version'));
  }

  async readMeta(version: string): Promise<Meta | null> {
    const text = await this.redis.get(this.key('snapshot', version, 'meta'));
    return text ? (JSON.parse(text) as Meta) : null;
  }

  /** The current snapshot's meta, to compare a new one's hash with; null when there is none. */
  protected async currentMeta(): Promise<Meta | null> {
    const version = await this.currentVersion();
    return version ? this.readMeta(version) : null;
  }

  /** Makes `meta`'s snapshot (its data already written) current, and lets `previous` expire. */
  protected async publish(meta: Meta, previous: Meta | null): Promise<void> {
    await this.redis.set(this.key('snapshot', meta.version, 'meta'), JSON.stringify(meta));
    await this.redis.set(this.key('version'), meta.version);
    if (!previous) return;
    const keys = [this.key('snapshot', previous.version, 'meta'), ...this.dataKeys(previous)];
    // One key at a time: the keys may live in different Redis Cluster slots.
    await Promise.all(keys.map((key) => this.redis.expire(key, this.replacedTtlSeconds)));
  }

  /** The keys holding a snapshot's data, besides its meta. */
  protected abstract dataKeys(meta: Meta): string[];

  async tryLock(ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.key('refresh-lock'), this.owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unlock(): Promise<void> {
    await this.redis.eval(UNLOCK_IF_OWNER, 1, this.key('refresh-lock'), this.owner);
  }

  async refreshedAt(): Promise<number | undefined> {
    const value = await this.redis.get(this.key('refreshed-at'));
    return value ? Number(value) : undefined;
  }

  async markRefreshed(at = Date.now()): Promise<void> {
    await this.redis.set(this.key('refreshed-at'), String(at));
  }
}
