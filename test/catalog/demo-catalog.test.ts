import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFeed } from '../../src/catalog/feed-source';
import { writeDemoCatalog } from '../../sandbox/catalog/generate-demo-catalog';

/**
 * The sandbox's demo shop: about 200 invented products across several categories, generated the
 * same way every time, every row a valid Meta feed row, and the committed files equal to a fresh
 * generation (so nobody edits the feed by hand and drifts from the generator).
 */
describe('demo catalog', () => {
  it('is deterministic, valid, varied, and matches the committed feed and images', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'demo-catalog-'));
    const written = await writeDemoCatalog(dir);
    expect(written).toMatchObject({ products: 200, images: 64 });

    const { products, report } = await loadFeed(written.feed);
    expect(report).toMatchObject({ rowsRead: 200, accepted: 200, rejected: {} });
    const categories = new Set(products.map((p) => p.productType));
    expect(categories.size).toBeGreaterThanOrEqual(6);
    expect(products.filter((p) => p.availability === 'out of stock').length).toBeGreaterThan(5);
    expect(products.filter((p) => p.salePrice).length).toBeGreaterThan(10);

    const committed = path.join(__dirname, '../../sandbox/catalog');
    expect(await readFile(written.feed, 'utf8')).toBe(await readFile(path.join(committed, 'demo-feed.csv'), 'utf8'));
    const images = (await readdir(path.join(dir, 'images'))).sort();
    expect((await readdir(path.join(committed, 'images'))).sort()).toEqual(images);
    for (const name of images) {
      const svg = await readFile(path.join(dir, 'images', name), 'utf8');
      expect(svg.length).toBeLessThan(800);
      expect(svg).toBe(await readFile(path.join(committed, 'images', name), 'utf8'));
    }
    // Every product's picture is one of the generated files.
    for (const p of products) expect(images).toContain(path.basename(p.imageLink));
  });
});
