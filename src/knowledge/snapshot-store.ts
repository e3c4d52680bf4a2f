import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { RedisClient } from '../redis/connection';
import type { SkippedPart } from './document';
import type { PassageVectors } from './knowledge-index';
import type { Passage } from './passage';

/**
 * The one shared knowledge base every worker answers from, in Redis under `<prefix>:knowledge:`,
 * laid out like the catalog's snapshot:
 *
 * - `version`: the current snapshot's version;
 * - `snapshot:<version>:meta`: counts, the embeddings model and what was skipped;
 * - `snapshot:<version>:passages:<n>`: gzip-compressed JSON, CHUNK passages at a time;
 * - `snapshot:<version>:vectors:<n>`: the same passages' vectors as raw little-endian float32;
 * - `refresh-lock` (one process refreshes at a time) and `refreshed-at`.
 *
 * Vectors are computed once, by the process that writes the snapshot, and read by every worker;
 * a passage whose text did not change keeps its vector from the previous snapshot. A replaced
 * snapshot expires a while later. Nothing here is about a person.
 */

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface KnowledgeMeta {
  version: string;
  /** sha256 over passage ids and the embeddings model: an unchanged knowledge base keeps its version */
  hash: string;
  createdAt: number;
  passageCount: number;
  documentCount: number;
  chunks: number;
  chunkSize: number;
  embeddings: { model: string; dimensions: number } | null;
  /** the first SKIPPED_KEPT skipped parts, for whoever wonders why something is missing */
  skipped: SkippedPart[];
}

export interface NewKnowledge {
  passages: Passage[];
  documentCount: number;
  vectors: PassageVectors | undefined;
  skipped: SkippedPart[];
}

const SKIPPED_KEPT = 100;
const UNLOCK_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export class KnowledgeSnapshotStore {
  readonly owner = randomUUID();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly options = { chunkSize: 500, replacedTtlSeconds: 15 * 60 },
  ) {}

  private key(...parts: Array<string | number>): string {
    return [this.prefix, 'knowledge', ...parts].join(':');
  }

  currentVersion(): Promise<string | null> {
    return this.redis.get(this.key('version'));
  }

  async readMeta(version: string): Promise<KnowledgeMeta | null> {
    const text = await this.redis.get(this.key('snapshot', version, 'meta'));
    return text ? (JSON.parse(text) as KnowledgeMeta) : null;
  }

  /** The snapshot's passages and vectors, chunk by chunk; null when it expired meanwhile. */
  async read(meta: KnowledgeMeta): Promise<{ passages: Passage[]; vectors: PassageVectors | undefined } | null> {
    const passages: Passage[] = [];
    const dimensions = meta.embeddings?.dimensions ?? 0;
    const data = meta.embeddings ? new Float32Array(meta.passageCount * dimensions) : undefined;
    for (let chunk = 0; chunk < meta.chunks; chunk += 1) {
      const packed = await this.redis.getBuffer(this.key('snapshot', meta.version, 'passages', chunk));
      if (!packed) return null;
      const offset = passages.length;
      // Our own bytes, written by write() below: parsed without re-validating every passage.
      passages.push(...(JSON.parse((await gunzipAsync(packed)).toString('utf8')) as Passage[]));
      if (data) {
        const raw = await this.redis.getBuffer(this.key('snapshot', meta.version, 'vectors', chunk));
        if (!raw) return null;
        data.set(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)), offset * dimensions);
      }
    }
    const vectors = meta.embeddings && data ? { model: meta.embeddings.model, dimensions, data } : undefined;
    return { passages, vectors };
  }

  /** Writes the snapshot and makes it current; an unchanged knowledge base keeps the current version. */
  async write(next: NewKnowledge, now = Date.now()): Promise<{ version: string; changed: boolean }> {
    const hash = hashKnowledge(next);
    const previousVersion = await this.currentVersion();
    const previous = previousVersion ? await this.readMeta(previousVersion) : null;
    if (previous && previous.hash === hash) return { version: previous.version, changed: false };

    const version = `${now.toString(36)}-${hash.slice(0, 10)}`;
    const { chunkSize } = this.options;
    const chunks = Math.ceil(next.passages.length / chunkSize);
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      const slice = next.passages.slice(chunk * chunkSize, (chunk + 1) * chunkSize);
      await this.redis.set(this.key('snapshot', version, 'passages', chunk), await gzipAsync(JSON.stringify(slice)));
      if (next.vectors) {
        const { data, dimensions } = next.vectors;
        const rows = data.subarray(chunk * chunkSize * dimensions, (chunk * chunkSize + slice.length) * dimensions);
        await this.redis.set(
          this.key('snapshot', version, 'vectors', chunk),
          Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength),
        );
      }
    }
    const meta: KnowledgeMeta = {
      version,
      hash,
      createdAt: now,
      passageCount: next.passages.length,
      documentCount: next.documentCount,
      chunks,
      chunkSize,
      embeddings: next.vectors ? { model: next.vectors.model, dimensions: next.vectors.dimensions } : null,
      skipped: next.skipped.slice(0, SKIPPED_KEPT),
    };
    await this.redis.set(this.key('snapshot', version, 'meta'), JSON.stringify(meta));
    await this.redis.set(this.key('version'), version);
    if (previous) await this.expireSnapshot(previous);
    return { version, changed: true };
  }

  private async expireSnapshot(meta: KnowledgeMeta): Promise<void> {
    const ttl = this.options.replacedTtlSeconds;
    const keys = [this.key('snapshot', meta.version, 'meta')];
    for (let chunk = 0; chunk < meta.chunks; chunk += 1) {
      keys.push(this.key('snapshot', meta.version, 'passages', chunk));
      if (meta.embeddings) keys.push(this.key('snapshot', meta.version, 'vectors', chunk));
    }
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

function hashKnowledge(next: NewKnowledge): string {
  const hash = createHash('sha256');
  hash.update(`${next.vectors ? `${next.vectors.model}|${next.vectors.dimensions}` : 'lexical'}|`);
  for (const passage of next.passages) hash.update(`${passage.id}\n`);
  return hash.digest('hex');
}
