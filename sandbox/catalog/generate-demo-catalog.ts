import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { demoImages } from './demo-images';
import { demoFeedCsv, demoProducts } from './demo-products';

/**
 * `npm run sandbox:catalog [outDir]`: writes the demo shop's feed (demo-feed.csv, Meta's CSV
 * format) and its SVG images (images/) to sandbox/catalog, or to `outDir`. Deterministic: run it
 * twice and nothing changes.
 */
export async function writeDemoCatalog(outDir: string): Promise<{ feed: string; products: number; images: number }> {
  const rows = demoProducts();
  const images = demoImages();
  await mkdir(path.join(outDir, 'images'), { recursive: true });
  const feed = path.join(outDir, 'demo-feed.csv');
  await writeFile(feed, demoFeedCsv(rows));
  for (const [name, svg] of images) await writeFile(path.join(outDir, 'images', name), svg);
  return { feed, products: rows.length, images: images.size };
}

if (require.main === module) {
  const outDir = process.argv[2] ?? path.join(__dirname);
  void writeDemoCatalog(outDir).then((written) =>
    process.stdout.write(`${written.products} products in ${written.feed}, ${written.images} images\n`),
  );
}
