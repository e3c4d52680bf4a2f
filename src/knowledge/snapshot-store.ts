import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { RedisClient } from '../redis/connection';
import { SharedSnapshotStore } from '../redis/shared-snapshot';
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

export class KnowledgeSnapshotStore extends SharedSnapshotStore<KnowledgeMeta> {
  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly options = { chunkSize: 500, replacedTtlSeconds: 15 * 60 },
  ) {
    super(redis, prefix, 'knowledge', options.replacedTtlSeconds);
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
    const previous = await this.currentMeta();
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
    await this.publish(meta, previous);
    return { version, changed: true };
  }

  protected dataKeys(meta: KnowledgeMeta): string[] {
    return Array.from({ length: meta.chunks }, (_, chunk) => [
      this.key('snapshot', meta.version, 'passages', chunk),
      ...(meta.embeddings ? [this.key('snapshot', meta.version, 'vectors', chunk)] : []),
    ]).flat();
  }
}

function hashKnowledge(next: NewKnowledge): string {
  const hash = createHash('sha256');
  hash.update(`${next.vectors ? `${next.vectors.model}|${next.vectors.dimensions}` : 'lexical'}|`);
  // Places count in the version: they are read from the text by code, so the same text with
  // other places (or none) must be a new snapshot, not the one in Redis kept.
  for (const { id, place } of next.passages)
    hash.update(`${id}${place ? ` ${place.latitude},${place.longitude}` : ''}\n`);
  return hash.digest('hex');
}
