import { readGraphCatalog } from '../../src/catalog/graph-catalog';
import { createGraphClient } from '../../src/platforms/graph-client';
import { FakeCatalogGraph } from '../helpers/fake-catalog-graph';
import { firstOf } from '../helpers/present';

/**
 * Reading a Commerce Manager catalog through `GET /{catalog-id}/products` on a loopback Graph:
 * every page is followed, repeats are deduplicated by retailer_id, a short read (fewer than the
 * catalog's product_count) is read again with smaller pages, and an item still missing is kept
 * from the previous snapshot for one cycle only.
 */
describe('Graph catalog sync', () => {
  let graph: FakeCatalogGraph;
  beforeEach(async () => {
    graph = await new FakeCatalogGraph().start();
  });
  afterEach(() => graph.stop());

  const client = () =>
    createGraphClient({ baseUrl: graph.url, version: 'v25.0', accessToken: graph.token, timeoutMs: 5000 });
  const ids = (products: Array<{ id: string }>) => products.map((p) => p.id).sort();
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `sku-${from + i}`).sort();

  it('follows every page and maps Graph fields onto the product record', async () => {
    graph.items = Array.from({ length: 23 }, (_, i) =>
      FakeCatalogGraph.item(i, i === 7 ? { price: '$1,299.00', sale_price: '$999.00', color: 'red', size: 'M' } : {}),
    );
    const read = await readGraphCatalog(client(), graph.catalogId, undefined, { pageSize: 10 });
    expect(ids(read.products)).toEqual(range(0, 23));
    expect(read.report).toMatchObject({ expected: 23, read: 23, repeated: 0, passes: 1 });
    expect(graph.productRequests()).toHaveLength(3);
    expect(read.products.find((p) => p.id === 'sku-7')).toMatchObject({
      title: 'Product 7',
      price: { amount: 1299, currency: 'USD' },
      salePrice: { amount: 999, currency: 'USD' },
      link: 'https://shop.example/p/7',
      imageLink: 'https://shop.example/i/7.jpg',
      color: 'red',
      size: 'M',
    });
    const first = firstOf(graph.productRequests());
    expect(new URLSearchParams(first.query).get('fields')).toContain('retailer_id');
    expect(first.query).not.toContain('access_token');
  });

  it('dedupes repeated items and re-reads with smaller pages when the edge skips some', async () => {
    graph.items = Array.from({ length: 60 }, (_, i) => FakeCatalogGraph.item(i));
    graph.flaw = { fromLimit: 20, repeat: 3, skip: 5 };
    const read = await readGraphCatalog(client(), graph.catalogId, undefined, { pageSize: 20, retryPageDivisor: 4 });
    expect(ids(read.products)).toEqual(range(0, 60));
    expect(read.products).toHaveLength(60);
    expect(read.report.passes).toBe(2);
    expect(read.report.repeated).toBeGreaterThanOrEqual(3);
    const limits = graph.productRequests().map((r) => new URLSearchParams(r.query).get('limit'));
    expect(limits).toContain('25');
  });

  it('keeps items missing from a short read for one more cycle, then lets them go', async () => {
    graph.items = Array.from({ length: 40 }, (_, i) => FakeCatalogGraph.item(i));
    const firstRead = await readGraphCatalog(client(), graph.catalogId, undefined, { pageSize: 10 });
    expect(firstRead.products).toHaveLength(40);

    // Now the edge leaves four items out at every page size.
    graph.unlisted = new Set(range(20, 24));
    const secondRead = await readGraphCatalog(
      client(),
      graph.catalogId,
      { products: firstRead.products, carried: [] },
      {
        pageSize: 10,
      },
    );
    expect(ids(secondRead.products)).toEqual(range(0, 40));
    expect(secondRead.carried.sort()).toEqual(range(20, 24));

    const thirdRead = await readGraphCatalog(client(), graph.catalogId, secondRead, { pageSize: 10 });
    expect(ids(thirdRead.products)).toEqual(range(0, 40).filter((id) => !range(20, 24).includes(id)));
    expect(thirdRead.carried).toEqual([]);
  });

  it('skips hidden items and items without a usable price, counting why', async () => {
    graph.items = [
      FakeCatalogGraph.item(1),
      FakeCatalogGraph.item(2, { visibility: 'hidden' }),
      FakeCatalogGraph.item(3, { price: null }),
      FakeCatalogGraph.item(4, { availability: 'sometimes' }),
    ];
    const read = await readGraphCatalog(client(), graph.catalogId, undefined, { pageSize: 10 });
    expect(ids(read.products)).toEqual(['sku-1']);
    expect(read.report.rejected).toEqual({ hidden: 1, 'invalid price': 1, 'invalid availability': 1 });
    expect(read.report.passes).toBe(1);
  });

  it('fails with the Graph error when the token is refused', async () => {
    const refused = createGraphClient({ baseUrl: graph.url, version: 'v25.0', accessToken: 'old', timeoutMs: 5000 });
    await expect(readGraphCatalog(refused, graph.catalogId, undefined)).rejects.toMatchObject({ code: 190 });
  });
});
