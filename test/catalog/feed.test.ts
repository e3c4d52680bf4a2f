import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CatalogLoadError, loadFeed, parseFeed } from '../../src/catalog/feed-source';
import { formatFeedReport, rejectedCount } from '../../src/catalog/feed-report';
import { FakeHttpServer } from '../helpers/http-fake';

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
    expect(report.rejected['missing price']!.rows).toEqual([4]);
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
    expect(fromNdjson.report.rejected['malformed row: not JSON']!.rows).toEqual([2]);
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
