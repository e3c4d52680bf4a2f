import { ProductSearch } from '../src/catalog/product-search';
import { parseFeed } from '../src/catalog/feed-source';
import { demoFeedCsv, demoProducts } from '../sandbox/catalog/demo-products';
async function main() {
  const rows = demoProducts({ count: 50000, seed: 7 });
  const { products } = await parseFeed(demoFeedCsv(rows), 'x.csv');
  const s = await ProductSearch.build('v', products);
  const qs = ['black', 'boots', 'hiking boots', 'navy blue', 'stoneware mug', 'stonwe mug', 'sneakres', 'black mug cork', 'terracotta plant pot', 'mug', 'yoga mat cork', 'xyzzy'];
  for (const q of qs) {
    for (const f of [{}, { maxPrice: 50, inStock: true }]) {
      const t: number[] = [];
      for (let i = 0; i < 5; i++) { const st = process.hrtime.bigint(); s.search(q, f, 5); t.push(Number(process.hrtime.bigint() - st) / 1e6); }
      t.sort((a, b) => a - b);
      console.log(q.padEnd(22), JSON.stringify(f).padEnd(30), t[2]!.toFixed(2));
    }
  }
}
void main();
