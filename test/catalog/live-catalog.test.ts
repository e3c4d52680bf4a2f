import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { feedCatalogSource, graphCatalogSource, type CatalogSource } from '../../src/catalog/catalog-sources';
import { LiveCatalog } from '../../src/catalog/live-catalog';
import { CatalogSnapshotStore } from '../../src/catalog/snapshot-store';
import { createGraphClient } from '../../src/platforms/graph-client';
import { FakeCatalogGraph } from '../helpers/fake-catalog-graph';
import { FakeHttpServer } from '../helpers/http-fake';
import { deleteKeysWithPrefix } from '../helpers/system';
import { defined, firstOf } from '../helpers/present';

/**
 * The shared catalog on real Redis: several workers read one versioned snapshot that one of them
 * wrote, a refresh swaps a new index in while searches keep answering from the old one, and a
 * feed that fails keeps the last good snapshot (and says why in the log).
 */

const HEADER = 'id,title,description,availability,condition,price,link,image_link,brand';
const row = (id: string, title: string, price = '20.00 EUR') =>
  `${id},${title},About ${title},in stock,new,${price},https://shop.example/${id},https://shop.example/${id}.jpg,Acme`;

describe('live catalog', () => {
  let redis: Redis;
  let prefix: string;
  let feedServer: FakeHttpServer;
  let feedBody: { status: number; text: string };
  let logLines: Array<{ msg: string; reason?: string }>;
  const catalogs: LiveCatalog[] = [];

  beforeEach(async () => {
    redis = new Redis('redis://127.0.0.1:6379');
    prefix = `t-${randomUUID().slice(0, 8)}`;
    feedBody = { status: 200, text: [HEADER, row('a1', 'Blue kettle'), row('a2', 'Red teapot')].join('\n') };
    feedServer = await new FakeHttpServer(() => ({
      status: feedBody.status,
      rawBody: Buffer.from(feedBody.text),
      headers: { 'content-type': 'text/csv' },
    })).start();
    logLines = [];
  });
  afterEach(async () => {
    for (const catalog of catalogs.splice(0)) catalog.stop();
    await feedServer.stop();
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
  const worker = (source: CatalogSource | undefined = feedCatalogSource(`${feedServer.url}/feed.csv`)) => {
    const catalog = new LiveCatalog({
      store: new CatalogSnapshotStore(redis, prefix),
      source,
      refreshIntervalMs: 60_000,
      followIntervalMs: 60_000,
      refreshLockMs: 30_000,
      logger: logger(),
    });
    catalogs.push(catalog);
    return catalog;
  };
  const titles = (catalog: LiveCatalog, query: string) =>
    catalog
      .current()
      ?.search.search(query)
      .map((hit) => hit.product.title) ?? [];

  it('has one process read the feed and every worker answer from the same snapshot', async () => {
    const workers = [worker(), worker(), worker()];
    await Promise.all(workers.map((w) => w.start()));
    expect(feedServer.requests).toHaveLength(1);
    const versions = new Set(workers.map((w) => w.current()?.meta.version));
    expect(versions.size).toBe(1);
    expect([...versions][0]).toEqual(await redis.get(`${prefix}:catalog:version`));
    for (const w of workers) expect(titles(w, 'kettle')).toEqual(['Blue kettle']);
    expect(firstOf(workers).current()?.meta).toMatchObject({ source: 'feed', productCount: 2 });
    expect(firstOf(workers).current()?.meta.catalogId).toBeUndefined();
  });

  it('swaps in a refreshed catalog on every worker; an unchanged feed keeps its version', async () => {
    const writer = worker();
    const reader = worker(undefined);
    await writer.start();
    await reader.start();
    const first = defined(reader.current()).meta.version;

    expect(await writer.refresh(true)).toBe('unchanged');
    expect(await reader.follow()).toBe(false);

    feedBody.text = [HEADER, row('a1', 'Blue kettle', '18.00 EUR'), row('a3', 'Green mug')].join('\n');
    expect(await writer.refresh(true)).toBe('refreshed');
    expect(await reader.follow()).toBe(true);
    expect(defined(reader.current()).meta.version).not.toBe(first);
    expect(titles(reader, 'mug')).toEqual(['Green mug']);
    expect(titles(reader, 'teapot')).toEqual([]);
    expect(defined(reader.current()).search.get('a1')?.price.amount).toBe(18);
    // The replaced snapshot expires; the current one does not.
    expect(await redis.ttl(`${prefix}:catalog:snapshot:${first}:meta`)).toBeGreaterThan(0);
    expect(await redis.ttl(`${prefix}:catalog:snapshot:${defined(reader.current()).meta.version}:meta`)).toBe(-1);
  });

  it('keeps the last good snapshot when the feed fails, and logs why', async () => {
    const catalog = worker();
    await catalog.start();
    const good = defined(catalog.current()).meta.version;

    feedBody = { status: 500, text: 'oops' };
    expect(await catalog.refresh(true)).toBe('failed');
    feedBody = { status: 200, text: 'id;title\n1;2' };
    expect(await catalog.refresh(true)).toBe('failed');
    await catalog.follow();
    expect(defined(catalog.current()).meta.version).toBe(good);
    expect(titles(catalog, 'teapot')).toEqual(['Red teapot']);
    const warnings = logLines.filter((line) => line.msg.includes('keeping the last good snapshot'));
    expect(warnings.map((w) => w.reason)).toEqual([
      expect.stringContaining('status code 500'),
      expect.stringContaining('no usable product'),
    ]);
  });

  it('answers searches from the old index while a large new one is built', async () => {
    const catalog = worker();
    await catalog.start();
    feedBody.text = [HEADER, ...Array.from({ length: 6000 }, (_, i) => row(`b${i}`, `Lamp model ${i}`))].join('\n');
    expect(await catalog.refresh(true)).toBe('refreshed');

    const swapping = catalog.follow();
    const answersDuringBuild: string[][] = [];
    const probe = setInterval(() => answersDuringBuild.push(titles(catalog, 'kettle')), 1);
    await swapping;
    clearInterval(probe);
    expect(answersDuringBuild.length).toBeGreaterThan(0);
    expect(answersDuringBuild[0]).toEqual(['Blue kettle']);
    expect(titles(catalog, 'lamp model 42')[0]).toBe('Lamp model 42');
  });

  it('follows a Graph catalog and records its id for product messages', async () => {
    const graph = await new FakeCatalogGraph('555').start();
    try {
      graph.items = Array.from({ length: 12 }, (_, i) => FakeCatalogGraph.item(i));
      const client = createGraphClient({
        baseUrl: graph.url,
        version: 'v25.0',
        accessToken: graph.token,
        timeoutMs: 5000,
      });
      const catalog = worker(graphCatalogSource(client, '555', { pageSize: 5 }));
      await catalog.start();
      expect(defined(catalog.current()).meta).toMatchObject({ source: 'graph', catalogId: '555', productCount: 12 });
      expect(defined(catalog.current()).search.get('sku-3')?.title).toBe('Product 3');
    } finally {
      await graph.stop();
    }
  });
});
