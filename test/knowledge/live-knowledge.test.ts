import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createEmbedder } from '../../src/knowledge/embeddings';
import { LiveKnowledge } from '../../src/knowledge/live-knowledge';
import { startKnowledge } from '../../src/knowledge/knowledge-setup';
import { KnowledgeSnapshotStore } from '../../src/knowledge/snapshot-store';
import type { ReadLimits } from '../../src/knowledge/read-limits';
import { startFakeEmbeddings, type FakeEmbeddings } from '../helpers/fake-embeddings';
import { deleteKeysWithPrefix } from '../helpers/system';
import { defined } from '../helpers/present';

/**
 * The shared knowledge base on real Redis: one worker reads the sources and writes a snapshot,
 * every worker searches the same version; with EMBEDDINGS_MODEL set, passages are embedded once
 * (by the writer, and again only when their text changes) and search fuses vectors with words.
 */

const LIMITS: ReadLimits = {
  maxBytes: 1024 * 1024,
  maxPages: 10,
  downloadTimeoutMs: 5000,
  child: { timeoutMs: 20_000, maxMemoryMb: 256 },
};

const FAQ = `# Help

## Returns

You may return unworn items within 30 days of delivery for a full refund.

## Shipping to Canada

Orders to Canada arrive within 7 working days; duties are paid by us.

## Store hours

The store opens Monday to Saturday, 10 am to 7 pm, and Sunday 11 am to 5 pm.
`;

describe('the shared knowledge base', () => {
  let redis: Redis;
  let prefix: string;
  let folder: string;
  let embeddings: FakeEmbeddings;
  let logLines: Array<{ msg: string; reason?: string }>;
  const running: LiveKnowledge[] = [];

  beforeEach(async () => {
    redis = new Redis('redis://127.0.0.1:6379');
    prefix = `t-${randomUUID().slice(0, 8)}`;
    folder = mkdtempSync(path.join(tmpdir(), 'knowledge-live-'));
    writeFileSync(path.join(folder, 'faq.md'), FAQ);
    // The fake "understands" two words the documents never use, as a real embedding model would.
    embeddings = await startFakeEmbeddings({ synonyms: { money: 'refund', back: 'return', parcel: 'order' } });
    logLines = [];
  });
  afterEach(async () => {
    for (const live of running.splice(0)) live.close();
    await embeddings.stop();
    rmSync(folder, { recursive: true, force: true });
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  const logger = () =>
    pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(JSON.parse(chunk.toString()) as { msg: string; reason?: string });
          done();
        },
      }),
    );
  const worker = (options: { embed?: boolean; sources?: string[] } = {}) => {
    const live = new LiveKnowledge({
      store: new KnowledgeSnapshotStore(redis, prefix),
      sources: options.sources ?? [folder],
      limits: LIMITS,
      embedder: options.embed
        ? createEmbedder({ model: 'fake-embed', baseUrl: embeddings.url, apiKey: 'k', timeoutMs: 5000 })
        : undefined,
      refreshIntervalMs: 60 * 60_000,
      followIntervalMs: 60 * 60_000,
      refreshLockMs: 10_000,
      logger: logger(),
    });
    running.push(live);
    return live;
  };
  const titles = (found: Array<{ passage: { titlePath: readonly string[] } }>) =>
    found.map((f) => f.passage.titlePath.at(-1));

  it('is read once and shared: a second worker loads the same version without reading the sources', async () => {
    const first = worker();
    await first.start();
    writeFileSync(path.join(folder, 'late.md'), '# Late\n\nWritten after the first read.\n');
    const second = worker();
    await second.start();

    const version = defined(first.current()).version;
    expect(defined(second.current()).version).toBe(version);
    expect(second.size).toBe(3);
    expect(titles(await second.search('when can I return my shoes?'))).toEqual(['Returns']);
    expect(titles(await second.search('sunday opening'))).toEqual(['Store hours']);
    expect(await second.search('quantum chromodynamics')).toEqual([]);
    expect(logLines.filter((line) => line.msg === 'knowledge refreshed')).toHaveLength(1);

    // A forced refresh picks the new file up; the other worker follows to the same version.
    expect(await second.refresh(true)).toBe('refreshed');
    await Promise.all([first.follow(), second.follow()]);
    expect(defined(first.current()).version).toBe(defined(second.current()).version);
    expect(defined(first.current()).version).not.toBe(version);
    expect(titles(await first.search('written after'))).toEqual(['Late']);
  });

  it('keeps the last good snapshot when a source cannot be read', async () => {
    const live = worker();
    await live.start();
    const version = defined(live.current()).version;
    rmSync(folder, { recursive: true, force: true });
    expect(await live.refresh(true)).toBe('failed');
    await live.follow();
    expect(defined(live.current()).version).toBe(version);
    expect(titles(await live.search('canada duties'))).toEqual(['Shipping to Canada']);
    expect(logLines.map((line) => line.reason)).toContain('1 of 1 knowledge sources could not be read');
  });

  it('keeps a passage’s place in the snapshot, and a new place makes a new version', async () => {
    const store = new KnowledgeSnapshotStore(redis, prefix);
    const passage = { id: 'p1', titlePath: ['Stores', 'Madrid'], text: 'Sol', url: undefined, source: 's.md' };
    const place = { latitude: 40.4169, longitude: -3.7035 };
    const plain = await store.write({ passages: [passage], documentCount: 1, vectors: undefined, skipped: [] });
    const placed = await store.write({
      passages: [{ ...passage, place }],
      documentCount: 1,
      vectors: undefined,
      skipped: [],
    });
    expect(placed.changed).toBe(true);
    expect(placed.version).not.toBe(plain.version);
    const read = defined(await store.read(defined(await store.readMeta(placed.version))));
    expect(read.passages[0]!.place).toEqual(place);
  });

  it('embeds each passage once, stores the vectors with the snapshot, and fuses them with the word ranking', async () => {
    const writer = worker({ embed: true });
    await writer.start();
    const reader = worker({ embed: true });
    await reader.start();
    expect(embeddings.inputs).toHaveLength(3);
    expect(embeddings.inputs.every((input) => input.startsWith('Help › '))).toBe(true);
    expect(defined(reader.current()).embeddings).toEqual({ model: 'fake-embed', dimensions: 256 });

    // No word of "money back" is in the documents: words alone find nothing, the vectors find Returns.
    const lexicalOnly = worker({ embed: false, sources: [] });
    await lexicalOnly.start();
    expect(await lexicalOnly.search('money back')).toEqual([]);
    expect(titles(await reader.search('money back'))).toEqual(['Returns']);
    expect(embeddings.inputs.slice(3)).toEqual(['money back']);
    expect(titles(await reader.search('store hours sunday'))[0]).toBe('Store hours');

    // One passage changed: only it is embedded again; the other two keep their stored vectors.
    writeFileSync(path.join(folder, 'faq.md'), FAQ.replace('7 working days', '6 working days'));
    const before = embeddings.inputs.length;
    expect(await writer.refresh(true)).toBe('refreshed');
    expect(embeddings.inputs.slice(before)).toEqual([
      'Help › Shipping to Canada\nOrders to Canada arrive within 6 working days; duties are paid by us.',
    ]);
  });

  it('searches by words alone when the embeddings endpoint fails, and says so', async () => {
    const live = worker({ embed: true });
    await live.start();
    embeddings.server.script({ status: 503, body: { error: 'overloaded' } });
    expect(titles(await live.search('return refund'))).toEqual(['Returns']);
    expect(logLines).toContainEqual(
      expect.objectContaining({
        msg: 'query embedding failed; searching by words alone',
        reason: 'the embeddings endpoint answered 503',
      }),
    );
  });

  it('is not started, and writes nothing, when KNOWLEDGE_SOURCES is unset', async () => {
    const none = await startKnowledge({ knowledge: null, redis: { prefix } }, redis, logger());
    expect(none).toBeNull();
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });
});
