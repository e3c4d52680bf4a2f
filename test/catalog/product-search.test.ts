import type { Product } from '../../src/catalog/product';
import { ProductSearch } from '../../src/catalog/product-search';
import { testProduct } from '../helpers/catalog-products';

/** The product index: words with typos and prefixes find products, and every filter holds. */

const product = testProduct;

const catalog: Product[] = [
  product('run-1', {
    title: 'Trail running shoes',
    brand: 'Northwind',
    color: 'Navy blue',
    size: '42',
    category: 'Shoes > Running',
    price: { amount: 95, currency: 'EUR' },
  }),
  product('run-2', {
    title: 'Road running shoes',
    brand: 'Swift',
    color: 'red',
    size: '44',
    category: 'Shoes > Running',
    price: { amount: 140, currency: 'EUR' },
    salePrice: { amount: 89, currency: 'EUR' },
  }),
  product('run-3', {
    title: 'Running shoes for kids',
    brand: 'Swift',
    color: 'blue',
    size: '32',
    category: 'Shoes > Running',
    availability: 'out of stock',
  }),
  product('mug-1', {
    title: 'Stoneware café mug',
    brand: 'Kiln',
    color: 'white',
    category: 'Home > Kitchen',
    price: { amount: 12, currency: 'EUR' },
  }),
  product('jkt-1', {
    title: 'Rain shell jacket',
    brand: 'Fjell',
    color: 'yellow',
    size: 'M/L',
    category: 'Apparel > Jackets',
    description: 'Waterproof and breathable',
  }),
];

describe('product search', () => {
  let search: ProductSearch;
  beforeAll(async () => {
    search = await ProductSearch.build('v1', catalog, 2);
  });
  const ids = (query: string, filters = {}, limit = 10) =>
    search.search(query, filters, limit).map((h) => h.product.id);

  it('finds products by words, with typos, prefixes and folded accents', () => {
    expect(ids('running shoes')).toEqual(expect.arrayContaining(['run-1', 'run-2', 'run-3']));
    expect(ids('runing sheos')[0]).toMatch(/^run-/);
    expect(ids('jack')).toEqual(['jkt-1']);
    expect(ids('cafe mug')[0]).toBe('mug-1');
    expect(ids('shell')).toEqual(['jkt-1']);
    // Descriptions are not indexed (see product-search.ts): a word only there finds nothing.
    expect(ids('breathable')).toEqual([]);
    expect(ids('northwnd')).toEqual(['run-1']);
  });

  it('applies price (the sale price when lower), stock, brand, category, colour and size filters', () => {
    expect(ids('running shoes', { maxPrice: 100 })).toEqual(expect.arrayContaining(['run-1', 'run-2']));
    expect(ids('running shoes', { minPrice: 90, maxPrice: 100 })).toEqual(['run-1']);
    expect(ids('running shoes', { inStock: true }).sort()).toEqual(['run-1', 'run-2']);
    expect(ids('running shoes', { brand: 'swift' }).sort()).toEqual(['run-2', 'run-3']);
    expect(ids('shoes', { color: 'blue' }).sort()).toEqual(['run-1', 'run-3']);
    expect(ids('shoes', { size: '44' })).toEqual(['run-2']);
    expect(ids('jacket', { size: 'm' })).toEqual(['jkt-1']);
    expect(ids('', { category: 'kitchen' })).toEqual(['mug-1']);
    expect(ids('mug', { category: 'running' })).toEqual([]);
  });

  it('browses by filters alone when the query has no words, and honours the limit', () => {
    expect(ids('', { inStock: true, maxPrice: 60 }).sort()).toEqual(['jkt-1', 'mug-1']);
    expect(ids('the for', {}, 2)).toHaveLength(2);
    expect(ids('shoes', {}, 1)).toHaveLength(1);
    expect(search.get('mug-1')?.title).toBe('Stoneware café mug');
    expect(search.size).toBe(5);
  });
});

describe('product search on a large catalog', () => {
  // Words in more than 1% of a large catalog act as filters; typos of them are corrected.
  const colours = ['black', 'white', 'navy'];
  const big = Array.from({ length: 2000 }, (_, i) =>
    product(`p-${i}`, {
      title: `${colours[i % 3]} ${i % 2 ? 'mug' : 'teapot'} model${i}`,
      color: colours[i % 3],
      price: { amount: 10 + (i % 50), currency: 'EUR' },
    }),
  );
  let search: ProductSearch;
  beforeAll(async () => {
    search = await ProductSearch.build('big', big);
  });
  const ids = (query: string, filters = {}, limit = 50) => search.search(query, filters, limit).map((h) => h.product);

  it('finds products by common words with filters, and corrects typos of common words', () => {
    for (const p of ids('black mug', { maxPrice: 20 })) {
      expect(p.title).toMatch(/^black mug/);
      expect(p.price.amount).toBeLessThanOrEqual(20);
    }
    expect(ids('black mug')).toHaveLength(50);
    expect(ids('blakc teapto').every((p) => p.title.startsWith('black teapot'))).toBe(true);
    expect(ids('blakc teapto').length).toBeGreaterThan(0);
    expect(ids('navy mug model1001').map((p) => p.id)).toEqual(['p-1001']);
    // p-1001 is navy: no black model1001, so the common word the person surely meant is kept.
    expect(ids('model1001 black').every((p) => p.color === 'black')).toBe(true);
  });
});
