import { join } from 'node:path';
import { loadFeed } from '../../src/catalog/feed-source';
import { currentPrice, type Product } from '../../src/catalog/product';
import { ProductSearch } from '../../src/catalog/product-search';
import type { RememberedFact } from '../../src/core/remembered-fact';
import { searchHonouring, verdictOn } from '../../src/shopping/honoured-search';
import { RememberedWishes } from '../../src/shopping/remembered-wishes';
import { firstOf } from '../helpers/present';

/**
 * Remembered facts as the catalog can check them: which facts become a price ceiling, sizes,
 * brands or colours (and which cannot be checked), where each applies (a shoe size never narrows
 * jackets), a search that keeps to them or else returns the closest products, and the verdict
 * that decides which facts an answer may say it honoured.
 */
const FEED = join(__dirname, '..', '..', 'sandbox', 'catalog', 'demo-feed.csv');
let search: ProductSearch;
beforeAll(async () => {
  search = await ProductSearch.build('test', (await loadFeed(FEED)).products);
});

const wishesOf = (...facts: RememberedFact[]) => RememberedWishes.from(facts, search);
const price = (product: Product) => currentPrice(product).amount;
const first = (query: string) => firstOf(search.search(query, {}, 1)).product;

describe('remembered wishes', () => {
  it('reads a price ceiling, sizes, brands and colours the catalog has, and nothing it cannot check', () => {
    const wishes = wishesOf(
      { text: 'my budget is 50 euros', category: 'budget' },
      { text: 'I can spend between 20 and 80 €', category: 'budget' },
      { text: 'at least 100 dollars', category: 'budget' },
      { text: 'my shoe size is 43', category: 'sizes' },
      { text: "I'm 180 cm tall", category: 'sizes' },
      { text: 'I wear M', category: 'sizes' },
      { text: 'my favourite brand is Alder & Oak.', category: 'brands' },
      { text: "I don't like Kestrel", category: 'brands' },
      { text: 'I prefer forest green', category: 'style' },
      { text: 'I like a relaxed fit', category: 'style' },
    );
    expect(
      wishes.wishes.map(({ fact, kind, max, currency, values }) => [fact.text, kind, max, currency, values]),
    ).toEqual([
      ['my budget is 50 euros', 'budget', 50, 'EUR', []],
      ['I can spend between 20 and 80 €', 'budget', 80, 'EUR', []],
      ['my shoe size is 43', 'size', undefined, undefined, ['43']],
      ['I wear M', 'size', undefined, undefined, ['m']],
      ['my favourite brand is Alder & Oak.', 'brand', undefined, undefined, ['alder & oak']],
      ['I prefer forest green', 'colour', undefined, undefined, ['forest', 'green']],
    ]);
  });

  it('applies a size only to the categories that come in it', () => {
    const wishes = wishesOf({ text: 'my shoe size is 43', category: 'sizes' });
    const size = firstOf(wishes.wishes);
    expect(wishes.applies(size, first('sneakers'))).toBe(true);
    expect(wishes.applies(size, first('parka'))).toBe(false);
    expect(wishes.applies(size, first('backpack'))).toBe(false);
  });

  it('keeps a search to the budget, or returns the closest products and says which wish they miss', () => {
    const wishes = wishesOf({ text: 'my budget is 50 euros', category: 'budget' });
    const sneakers = searchHonouring(search, 'sneakers', {}, 5, wishes);
    expect(sneakers.products.length).toBeGreaterThan(0);
    for (const product of sneakers.products) expect(price(product)).toBeLessThanOrEqual(50);
    expect(sneakers.unmet).toEqual([]);

    const jackets = searchHonouring(search, 'jackets', {}, 3, wishes);
    expect(jackets.unmet.map((wish) => wish.fact.text)).toEqual(['my budget is 50 euros']);
    const cheapest = Math.min(...search.search('jackets', {}, 100).map((hit) => price(hit.product)));
    expect(price(firstOf(jackets.products))).toBe(cheapest);
    expect(jackets.products.map(price)).toEqual([...jackets.products.map(price)].sort((a, b) => a - b));
  });

  it('names a fact as honoured only when the products shown keep it, and names the closest otherwise', () => {
    const budget: RememberedFact = { text: 'my budget is 50 euros', category: 'budget' };
    const size: RememberedFact = { text: 'my shoe size is 43', category: 'sizes' };
    const wishes = wishesOf(budget, size);
    const cheapShoe = firstOf(search.search('sneakers', { maxPrice: 50, size: '43' }, 1)).product;
    const dearShoe = firstOf(search.search('sneakers', { minPrice: 100, size: '43' }, 1)).product;
    const jacket = first('parka');
    expect(verdictOn([cheapShoe], wishes)).toEqual({ honoured: [budget, size], unmet: [] });
    const mixed = verdictOn([cheapShoe, dearShoe], wishes);
    expect(mixed.honoured).toEqual([size]);
    expect(mixed.unmet.map(({ wish, closest }) => [wish.fact, closest.id])).toEqual([[budget, dearShoe.id]]);
    // a jacket says nothing about a shoe size: neither honoured nor missed
    expect(verdictOn([jacket], wishesOf(size))).toEqual({ honoured: [], unmet: [] });
    expect(verdictOn([], wishes)).toEqual({ honoured: [], unmet: [] });
  });
});
