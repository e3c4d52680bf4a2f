import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { RedisClient } from '../redis/connection';
import type { Product } from './product';

/**
 * The one shared catalog every worker answers from, in Redis under `<prefix>:catalog:`:
 *
 * - `version`: the current snapshot's version;
 * - `snapshot:<version>:meta`: where it came from, how many products, how many chunks;
 * - `snapshot:<version>:chunk:<n>`: the products, gzip-compressed JSON, a thousand at a time, so
 *   reading and parsing a large catalog happens in small steps that never hold a worker up;
 * - `refresh-lock` (a short lock: one process refreshes at a time) and `refreshed-at`.
 *
 * A new snapshot is written in full before `version` points at it; the one it replaces expires a
 * while later, so a worker still reading it finishes. Nothing here is about a person.
 */

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface SnapshotMeta {
  version: string;
  /** sha256 of the products: an unchanged catalog keeps its version and nobody re-indexes */
  hash: string;
  source: 'feed' | 'graph';
  /** the Commerce Manager catalog, when the products came from one (WhatsApp product messages need it) */
  catalogId: string | undefined;
  createdAt: number;
  productCount: number;
  chunks: number;
  /** ids kept from the previous snapshot because the Graph read missed them (kept once only) */
  carried: string[];
  summary: Record<string, unknown>;
}

export interface NewSnapshot {
  source: SnapshotMeta['source'];
  catalogId: string | undefined;
  products: Product[];
  carried: string[];
  summary: Record<string, unknown>;
}

const UNLOCK_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export class CatalogSnapshotStore {
  readonly owner = randomUUID();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly options = { chunkSize: 1000, replacedTtlSeconds: 15 * 60 },
  ) {}

  private key(...parts: Array<string | number>): string {
    return [this.prefix, 'catalog', ...parts].join(':');
  }

  currentVersion(): Promise<string | null> {
    return this.redis.get(this.key('version'));
  }

  async readMeta(version: string): Promise<SnapshotMeta | null> {
    const text = await this.redis.get(this.key('snapshot', version, 'meta'));
    return text ? (JSON.parse(text) as SnapshotMeta) : null;
  }

  /** The snapshot's products, chunk by chunk; null when it expired meanwhile. */
  async readProducts(meta: SnapshotMeta): Promise<Product[] | null> {
    const products: Product[] = [];
    for (let chunk = 0; chunk < meta.chunks; chunk += 1) {
      const packed = await this.redis.getBuffer(this.key('snapshot', meta.version, 'chunk', chunk));
      if (!packed) return null;
      // Our own bytes, written by write() below: parsed without re-validating every product.
      products.push(...(JSON.parse((await gunzipAsync(packed)).toString('utf8')) as Product[]));
    }
    return products;
  }

  /** Writes the snapshot and makes it current; an unchanged catalog keeps the current version. */
  async write(snapshot: NewSnapshot, now = Date.now()): Promise<{ version: string; changed: boolean }> {
    const hash = await hashProducts(snapshot);
    const previousVersion = await this.currentVersion();
    const previous = previousVersion ? await this.readMeta(previousVersion) : null;
    if (previous && previous.hash === hash) return { version: previous.version, changed: false };

    const version = `${now.toString(36)}-${hash.slice(0, 10)}`;
    const { chunkSize } = this.options;
    const chunks = Math.ceil(snapshot.products.length / chunkSize);
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      const slice = snapshot.products.slice(chunk * chunkSize, (chunk + 1) * chunkSize);
      await this.redis.set(this.key('snapshot', version, 'chunk', chunk), await gzipAsync(JSON.stringify(slice)));
    }
    const meta: SnapshotMeta = {
      version,
      hash,
      source: snapshot.source,
      catalogId: snapshot.catalogId,
      createdAt: now,
      productCount: snapshot.products.length,
      chunks,
      carried: snapshot.carried,
      summary: snapshot.summary,
    };
    await this.redis.set(this.key('snapshot', version, 'meta'), JSON.stringify(meta));
    await this.redis.set(this.key('version'), version);
    if (previous) await this.expireSnapshot(previous);
    return { version, changed: true };
  }

  private async expireSnapshot(meta: SnapshotMeta): Promise<void> {
    const ttl = this.options.replacedTtlSeconds;
    const keys = [this.key('snapshot', meta.version, 'meta')];
    for (let chunk = 0; chunk < meta.chunks; chunk += 1) keys.push(this.key('snapshot', meta.version, 'chunk', chunk));
    // One key at a time: the keys may live in different Redis Cluster slots.
    await Promise.all(keys.map((key) => this.redis.expire(key, ttl)));
  }

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

async function hashProducts(snapshot: NewSnapshot): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${snapshot.source}|${snapshot.catalogId ?? ''}|`);
  for (const [i, product] of snapshot.products.entries()) {
    hash.update(JSON.stringify(product));
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  return hash.digest('hex');
}
