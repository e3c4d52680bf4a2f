/**
 * Knowledge benchmark (a script, not a test), through Threadline's own code:
 *
 * - quality: GNOME Help (250 pages, CC BY-SA 3.0, bench/knowledge-data/README.md) read as a
 *   folder source, and 109 labelled questions: recall@5 and MRR, lexical (MiniSearch BM25) and
 *   fused (BM25 + vectors, reciprocal rank fusion). The vectors come from a loopback stand-in
 *   for /embeddings that serves hashed bags of words with a handful of synonyms, NOT a language
 *   model: the fused figures show the fusion machinery at work, not what a real embedding model
 *   would score. With EMBEDDINGS_BASE_URL and EMBEDDINGS_MODEL (and EMBEDDINGS_API_KEY) set, the
 *   bench uses that endpoint instead, for both parts.
 * - scale: PAGES pages (2,000 by default: the 250 GNOME Help pages, repeated with their
 *   paragraphs in another order) as HTML files: read + extract + cut time, index build time,
 *   index memory (heap delta after GC), snapshot write and load through Redis (skipped without
 *   one), search p50/p99 over QUERIES searches, lexical and fused.
 *
 *   npm run bench:knowledge        (PAGES=2000 QUERIES=2000 by default)
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { embedPassages } from '../src/knowledge/embed-passages';
import { createEmbedder, type Embedder } from '../src/knowledge/embeddings';
import { KnowledgeIndex, type PassageVectors } from '../src/knowledge/knowledge-index';
import type { Passage } from '../src/knowledge/passage';
import { readKnowledge } from '../src/knowledge/read-sources';
import type { ReadLimits } from '../src/knowledge/read-limits';
import { KnowledgeSnapshotStore } from '../src/knowledge/snapshot-store';
import { startFakeEmbeddings } from '../test/helpers/fake-embeddings';
import { deleteKeysWithPrefix } from '../test/helpers/system';
import { loadQuestions, measureQuality, type Question } from './knowledge-quality';

const DATA = join(__dirname, 'knowledge-data');
const PAGES = Number(process.env.PAGES ?? 2000);
const QUERIES = Number(process.env.QUERIES ?? 2000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMITS: ReadLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPages: 500,
  downloadTimeoutMs: 30_000,
  child: { timeoutMs: 30_000, maxMemoryMb: 256 },
};
/** What a small embedding model knows that words alone do not: the stand-in's whole "semantics". */
const SYNONYMS: Record<string, string> = {
  wifi: 'wireless',
  internet: 'network',
  laptop: 'battery',
  sleep: 'suspend',
  blurry: 'fuzzy',
  sound: 'audio',
  speaker: 'audio',
  dock: 'dash',
  kid: 'user',
  admin: 'administrative',
};

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** PAGES pages: the real ones, then copies with their blocks rotated and a numbered title. */
async function writePages(dir: string): Promise<void> {
  const folder = join(DATA, 'gnome-help');
  const names = (await readdir(folder)).filter((name) => name.endsWith('.html')).sort();
  for (let i = 0; i < PAGES; i += 1) {
    const name = names[i % names.length]!;
    let html = await readFile(join(folder, name), 'utf8');
    const copy = Math.floor(i / names.length);
    if (copy > 0) {
      const blocks = html.match(/<(p|li)>[\s\S]*?<\/\1>/g) ?? [];
      const turn = copy % Math.max(1, blocks.length);
      const rotated = [...blocks.slice(turn), ...blocks.slice(0, turn)];
      let k = 0;
      html = html
        .replace(/<(p|li)>[\s\S]*?<\/\1>/g, () => rotated[k++]!)
        .replace(/<h1>(.*?)<\/h1>/, `<h1>$1 (${copy})</h1>`);
    }
    await writeFile(join(dir, `${copy}-${name}`), html);
  }
}

/** Search time over the index alone (query vectors embedded beforehand), and the embedding calls' own time. */
async function searchLatency(index: KnowledgeIndex, questions: Question[], embedder?: Embedder) {
  const vectors = new Map<string, Float32Array | undefined>();
  const embedTimes: number[] = [];
  for (const { q } of questions) {
    const start = process.hrtime.bigint();
    vectors.set(q, embedder ? (await embedder.embed([q]))[0] : undefined);
    embedTimes.push(ms(start));
  }
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i += 1) {
    const query = questions[i % questions.length]!.q;
    const start = process.hrtime.bigint();
    index.search(query, 5, vectors.get(query));
    times.push(ms(start));
  }
  return {
    p50: round(percentile(times, 50), 2),
    p99: round(percentile(times, 99), 2),
    embedP50: embedder ? round(percentile(embedTimes, 50), 2) : undefined,
  };
}

async function quality(embedder: Embedder) {
  const read = await readKnowledge([join(DATA, 'gnome-help')], LIMITS);
  const questions = loadQuestions(DATA);
  const lexicalIndex = await KnowledgeIndex.build(read.passages);
  const { vectors } = await embedPassages(read.passages, embedder, undefined);
  const fusedIndex = await KnowledgeIndex.build(read.passages, vectors);
  const lexical = await measureQuality(lexicalIndex, questions, undefined);
  const fused = await measureQuality(fusedIndex, questions, embedder);
  return { documents: read.documents.length, passages: read.passages.length, lexical, fused };
}

async function snapshotRoundTrip(passages: Passage[], vectors: PassageVectors) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
  } catch {
    return undefined;
  }
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const store = new KnowledgeSnapshotStore(redis, prefix);
    let start = process.hrtime.bigint();
    await store.write({ passages, documentCount: PAGES, vectors, skipped: [] });
    const writeMs = ms(start);
    start = process.hrtime.bigint();
    const meta = (await store.readMeta((await store.currentVersion())!))!;
    await store.read(meta);
    const loadMs = ms(start);
    const keys = await redis.keys(`${prefix}:knowledge:snapshot:*`);
    const sizes = await Promise.all(keys.map((key) => redis.strlen(key)));
    const storedMb = sizes.reduce((sum, size) => sum + size, 0) / 1024 / 1024;
    return { writeMs: round(writeMs), loadMs: round(loadMs), storedMb: round(storedMb) };
  } finally {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  }
}

async function scale(questions: Question[], embedder: Embedder) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-knowledge-'));
  try {
    await writePages(dir);
    let start = process.hrtime.bigint();
    const read = await readKnowledge([dir], LIMITS);
    const readMs = ms(start);
    const before = heapMb();
    start = process.hrtime.bigint();
    const lexicalIndex = await KnowledgeIndex.build(read.passages);
    const buildMs = ms(start);
    const indexMb = heapMb() - before;
    const { vectors } = await embedPassages(read.passages, embedder, undefined);
    const fusedIndex = await KnowledgeIndex.build(read.passages, vectors);
    return {
      pages: PAGES,
      passages: read.passages.length,
      readMs: round(readMs),
      indexBuildMs: round(buildMs),
      indexMb: round(indexMb),
      vectorsMb: round(vectors.data.byteLength / 1024 / 1024),
      lexicalSearchMs: await searchLatency(lexicalIndex, questions),
      fusedSearchMs: await searchLatency(fusedIndex, questions, embedder),
      snapshot: await snapshotRoundTrip(read.passages, vectors),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const fake = await startFakeEmbeddings({ dimensions: 256, synonyms: SYNONYMS });
  const { EMBEDDINGS_BASE_URL: realUrl, EMBEDDINGS_MODEL: realModel, EMBEDDINGS_API_KEY: realKey } = process.env;
  const embedder =
    realUrl && realModel
      ? createEmbedder({ model: realModel, baseUrl: realUrl, apiKey: realKey, timeoutMs: 60_000 })
      : createEmbedder({ model: 'hashed-bow-256', baseUrl: fake.url, apiKey: undefined, timeoutMs: 30_000 });
  const vectorsName = realUrl && realModel ? realModel : 'hashed-BoW stand-in';
  try {
    const measured = await quality(embedder);
    const scaled = await scale(loadQuestions(DATA), embedder);
    const machine = { cpus: cpus().length, node: process.version, load: round(loadavg()[0]!) };
    const report = { machine, quality: measured, scale: scaled };
    const show = (name: string, q: { recallAt5: number; mrr: number }) =>
      `${name.padEnd(34)} recall@5 ${round(q.recallAt5 * 100)} %   MRR ${round(q.mrr, 3)}`;
    process.stdout.write(
      [
        `Quality: ${measured.documents} GNOME Help pages, ${measured.passages} passages, ${measured.lexical.questions} questions`,
        show('  lexical (BM25)', measured.lexical),
        show(`  fused (BM25 + ${vectorsName})`, measured.fused),
        `Scale: ${scaled.pages} pages, ${scaled.passages} passages (load average ${machine.load} on ${machine.cpus} cores)`,
        `  read + extract + cut   ${scaled.readMs} ms`,
        `  index build            ${scaled.indexBuildMs} ms, ${scaled.indexMb} MB heap (+ ${scaled.vectorsMb} MB of vectors)`,
        `  search lexical         p50 ${scaled.lexicalSearchMs.p50} ms, p99 ${scaled.lexicalSearchMs.p99} ms`,
        `  search fused           p50 ${scaled.fusedSearchMs.p50} ms, p99 ${scaled.fusedSearchMs.p99} ms (+ the query's embedding: ${scaled.fusedSearchMs.embedP50} ms p50)`,
        scaled.snapshot
          ? `  snapshot via Redis     ${scaled.snapshot.storedMb} MB stored; write ${scaled.snapshot.writeMs} ms, load ${scaled.snapshot.loadMs} ms`
          : '  snapshot via Redis     skipped (no Redis)',
        '',
        JSON.stringify(report),
        '',
      ].join('\n'),
    );
  } finally {
    await fake.stop();
  }
}

void main();
