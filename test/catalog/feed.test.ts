import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CatalogLoadError, loadFeed, parseFeed } from '../../src/catalog/feed-source';
import { formatFeedReport, rejectedCount } from '../../src/catalog/feed-report';
import { loadConfig } from '../../config';
import { FakeHttpServer } from '../helpers/http-fake';
import { testEnv } from '../helpers/system';
import { defined } from '../helpers/present';

/**
 * Meta-format product feeds in each format we read (CSV, TSV, JSON, NDJSON), from a file and
 * from a URL: good rows become products, broken rows are skipped and counted with their reason,
 * and a feed that cannot be read at all is an error (the caller keeps its last snapshot).
 */

const HEADER = 'id,title,description,availability,condition,price,link,image_link,brand,sale_price,color,size';
const good = (id: string, extra = '') =>
  `${id},"Trail shoe, ${id}",Light shoe for rough paths,in stock,new,89.90 EUR,https://shop.example/p/${id},https://shop.example/i/${id}.jpg,Northwind,${extra},blue,42`;

describe('product feeds', () => {
  it('reads a CSV feed with quoted commas into normalised products', async () => {
    const { products, report } = await parseFeed(
      [HEADER, good('sku-1', '79.90 EUR'), good('sku-2')].join('\n'),
      'feed.csv',
    );
    expect(report).toMatchObject({ format: 'csv', rowsRead: 2, accepted: 2 });
    expect(products[0]).toEqual({
      id: 'sku-1',
      title: 'Trail shoe, sku-1',
      description: 'Light shoe for rough paths',
      availability: 'in stock',
      condition: 'new',
      price: { amount: 89.9, currency: 'EUR' },
      salePrice: { amount: 79.9, currency: 'EUR' },
      link: 'https://shop.example/p/sku-1',
      imageLink: 'https://shop.example/i/sku-1.jpg',
      additionalImageLinks: [],
      brand: 'Northwind',
      color: 'blue',
      size: '42',
    });
  });

  it('skips broken rows, counts each reason, and keeps the good ones', async () => {
    const rows = [
      HEADER,
      good('ok-1'),
      good('ok-1'), // duplicate id
      'no-price,Shoe,Desc,in stock,new,,https://s.example/p,https://s.example/i.jpg,B,,,',
      'bad-price,Shoe,Desc,in stock,new,cheap,https://s.example/p,https://s.example/i.jpg,B,,,',
      'bad-stock,Shoe,Desc,maybe,new,5 USD,https://s.example/p,https://s.example/i.jpg,B,,,',
      'bad-link,Shoe,Desc,in stock,new,5 USD,not a url,https://s.example/i.jpg,B,,,',
      'short,row',
      `long,${'x'.repeat(201)},Desc,in stock,new,5 USD,https://s.example/p,https://s.example/i.jpg,B,,,`,
      'ok-2,Shoe,Desc,in_stock,used_like_new,"1,299.00 USD",https://s.example/p,https://s.example/i.jpg,B,,,',
    ];
    const { products, report } = await parseFeed(rows.join('\n'), 'feed.csv');
    expect(products.map((p) => p.id)).toEqual(['ok-1', 'ok-2']);
    expect(products[1]).toMatchObject({ availability: 'in stock', condition: 'used', price: { amount: 1299 } });
    expect(report.rowsRead).toBe(9);
    expect(rejectedCount(report)).toBe(7);
    expect(Object.fromEntries(Object.entries(report.rejected).map(([k, v]) => [k, v.count]))).toEqual({
      'duplicate id': 1,
      'missing price': 1,
      'invalid price': 1,
      'invalid availability': 1,
      'invalid link': 1,
      'wrong number of columns (2, header has 12)': 1,
      'title too long': 1,
    });
    expect(defined(report.rejected['missing price']).rows).toEqual([4]);
    expect(report.missing.price).toBe(1);
    const printed = formatFeedReport(report);
    expect(printed).toContain('Rows read:     9');
    expect(printed).toMatch(/1 {2}missing price \(rows 4\)/);
  });

  it('reads TSV, JSON and NDJSON feeds with the same columns', async () => {
    const tsv = [
      'id\ttitle\tdescription\tavailability\tcondition\tprice\tlink\timage_link\tbrand\tadditional_image_link',
      'T1\tRain "Shell" jacket\tKeeps dry\tout of stock\tnew\t120 GBP\thttps://s.example/t1\thttps://s.example/t1.jpg\tFjell\thttps://s.example/a.jpg,https://s.example/b.jpg',
    ].join('\n');
    const fromTsv = await parseFeed(tsv, 'feed.tsv');
    expect(fromTsv.products[0]).toMatchObject({
      title: 'Rain "Shell" jacket',
      availability: 'out of stock',
      price: { amount: 120, currency: 'GBP' },
      additionalImageLinks: ['https://s.example/a.jpg', 'https://s.example/b.jpg'],
    });

    const item = (id: string) => ({
      id,
      title: `Mug ${id}`,
      description: 'Stoneware',
      availability: 'in stock',
      condition: 'new',
      price: '12.99 USD',
      link: `https://s.example/${id}`,
      image_link: `https://s.example/${id}.jpg`,
      brand: 'Kiln',
      product_type: 'Home > Kitchen > Mugs',
    });
    const fromJson = await parseFeed(JSON.stringify({ data: [item('J1'), { id: 'J2' }] }), 'https://x.example/feed');
    expect(fromJson.report).toMatchObject({ format: 'json', rowsRead: 2, accepted: 1 });
    expect(fromJson.products[0]).toMatchObject({ id: 'J1', category: 'Home > Kitchen > Mugs' });

    const ndjson = [JSON.stringify(item('N1')), '{not json', JSON.stringify(item('N2'))].join('\n');
    const fromNdjson = await parseFeed(ndjson, 'products');
    expect(fromNdjson.report.format).toBe('ndjson');
    expect(fromNdjson.products.map((p) => p.id)).toEqual(['N1', 'N2']);
    expect(defined(fromNdjson.report.rejected['malformed row: not JSON']).rows).toEqual([2]);
  });

  it('loads from a file path and from a URL; an unreachable or unusable feed is a CatalogLoadError', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'feed-'));
    const file = path.join(dir, 'feed.csv');
    await writeFile(file, [HEADER, good('F1')].join('\n'));
    expect((await loadFeed(file)).products.map((p) => p.id)).toEqual(['F1']);

    const server = await new FakeHttpServer((request) =>
      request.path === '/feed.csv'
        ? {
            status: 200,
            rawBody: Buffer.from([HEADER, good('U1')].join('\n')),
            headers: { 'content-type': 'text/csv' },
          }
        : { status: 404 },
    ).start();
    try {
      expect((await loadFeed(`${server.url}/feed.csv`)).products.map((p) => p.id)).toEqual(['U1']);
      await expect(loadFeed(`${server.url}/gone.csv`)).rejects.toThrow(CatalogLoadError);
    } finally {
      await server.stop();
    }
    await expect(loadFeed('http://shop.example/feed.csv')).rejects.toThrow(/must be https/);
    await expect(loadFeed(path.join(dir, 'missing.csv'))).rejects.toThrow(CatalogLoadError);
    await expect(parseFeed('a;b;c\n1;2;3', 'feed.csv')).rejects.toThrow(/no usable product in 1 rows/);
    await expect(parseFeed('[{"id": 1', 'feed.json')).rejects.toThrow(/could not be parsed as JSON/);
  });
});

/** A plain HTTP server on loopback for one test; `port` once listening. */
async function listen(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (server: net.Server) =>
  new Promise<void>((resolve) => {
    if (server instanceof http.Server) server.closeAllConnections();
    server.close(() => resolve());
  });

describe('feed downloads that leave the operator’s host', () => {
  it('refuses redirects to plain http, non-public addresses and names, and loops, connecting to none of them', async () => {
    const feed = (id: string) => [HEADER, good(id)].join('\n');
    // A service inside the network the worker must never be pointed at.
    let internalRequests = 0;
    const internal = await listen((_req, res) => {
      internalRequests += 1;
      res.end(feed('INTERNAL'));
    });
    // Where an https redirect to a loopback name would connect: counts connections.
    let probeConnections = 0;
    const probe = net.createServer((socket) => {
      probeConnections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const probePort = (probe.address() as AddressInfo).port;
    const redirects: Record<string, string> = {
      '/to-internal': `http://127.0.0.1:${internal.port}/feed.csv`,
      '/to-metadata': 'https://169.254.169.254/latest/meta-data/',
      '/to-loopback-name': `https://localhost:${probePort}/feed.csv`,
      '/to-mapped-loopback': `https://[::ffff:127.0.0.1]:${probePort}/feed.csv`,
      '/to-private': 'https://10.0.0.5/feed.csv',
      '/loop': '/loop',
      '/hop': '/feed.csv',
    };
    const shop = await listen((req, res) => {
      const target = redirects[req.url ?? ''];
      if (target) res.writeHead(302, { location: target }).end();
      else res.end(feed('SHOP'));
    });
    const at = (p: string) => loadFeed(`http://127.0.0.1:${shop.port}${p}`);
    try {
      await expect(at('/to-internal')).rejects.toThrow(/redirect to http:\/\/127\.0\.0\.1:\d+ refused: not https/);
      await expect(at('/to-metadata')).rejects.toThrow(/redirect to https:\/\/169\.254\.169\.254 refused/);
      await expect(at('/to-loopback-name')).rejects.toThrow(/localhost refused: it resolves to a non-public address/);
      await expect(at('/to-mapped-loopback')).rejects.toThrow(/refused: a non-public address/);
      await expect(at('/to-private')).rejects.toThrow(/refused: a non-public address/);
      await expect(at('/loop')).rejects.toThrow(/more than 5 redirects/);
      expect(internalRequests).toBe(0);
      expect(probeConnections).toBe(0);
      // A redirect that stays on the configured origin is followed.
      expect((await at('/hop')).products.map((p) => p.id)).toEqual(['SHOP']);
    } finally {
      await Promise.all([close(shop.server), close(internal.server), close(probe)]);
    }
  });

  it('stops a streamed feed past CATALOG_FEED_MAX_BYTES (50 MiB by default) instead of reading it whole', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let written = 0;
    let finished = false;
    const total = 60 * 1024 * 1024;
    const big = await listen((_req, res) => {
      // No Content-Length: the size shows only as the bytes arrive.
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write(`${HEADER}\n`);
      const more = () => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        finished = true;
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      more();
    });
    try {
      await expect(loadFeed(`http://127.0.0.1:${big.port}/feed.csv`)).rejects.toThrow(
        /feed could not be read: the feed is larger than 50 MiB \(CATALOG_FEED_MAX_BYTES\)/,
      );
      expect(finished).toBe(false);
      expect(written).toBeLessThan(total);
    } finally {
      await close(big.server);
    }

    const dir = await mkdtemp(path.join(tmpdir(), 'feed-'));
    const file = path.join(dir, 'feed.csv');
    await writeFile(file, [HEADER, good('F1'), good('F2')].join('\n'));
    await expect(loadFeed(file, { timeoutMs: 1000, maxBytes: 100 })).rejects.toThrow(
      /the feed file is \d+ bytes, over 100 bytes/,
    );

    const env = testEnv({ CATALOG_FEED: 'https://shop.example/feed.csv' });
    expect(loadConfig(env).catalog?.feedMaxBytes).toBe(50 * 1024 * 1024);
    expect(loadConfig({ ...env, CATALOG_FEED_MAX_BYTES: '1000000' }).catalog?.feedMaxBytes).toBe(1_000_000);
  });
});
