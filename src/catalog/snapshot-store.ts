import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { RedisClient } from '../redis/connection';
import { SharedSnapshotStore } from '../redis/shared-snapshot';
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

export class CatalogSnapshotStore extends SharedSnapshotStore<SnapshotMeta> {
  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly options = { chunkSize: 1000, replacedTtlSeconds: 15 * 60 },
  ) {
    super(redis, prefix, 'catalog', options.replacedTtlSeconds);
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
    const previous = await this.currentMeta();
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
    await this.publish(meta, previous);
    return { version, changed: true };
  }

  protected dataKeys(meta: SnapshotMeta): string[] {
    return Array.from({ length: meta.chunks }, (_, chunk) => this.key('snapshot', meta.version, 'chunk', chunk));
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
