import type { Product } from '../../src/catalog/product';
import { ProductSearch } from '../../src/catalog/product-search';
import { filtersFromMessage, searchWithMessage } from '../../src/shopping/message-search';
import { executeProductTool, PRODUCT_TOOLS } from '../../src/shopping/product-tools';
import { testProduct } from '../helpers/catalog-products';
import { firstOf } from '../helpers/present';

/**
 * The shopping tools as a model calls them: definitions in the OpenAI tools format, arguments
 * checked (with the null/"" and number-as-string sloppiness models show), results grounded in the
 * catalog, and the tool-less fallback that turns the person's message into a search.
 */

const product = (id: string, fields: Partial<Product>): Product =>
  testProduct(id, { description: 'A fine thing. '.repeat(60), ...fields });

describe('shopping tools', () => {
  let search: ProductSearch;
  beforeAll(async () => {
    search = await ProductSearch.build('v1', [
      product('boot-1', {
        title: 'Leather hiking boots',
        brand: 'Fjell',
        price: { amount: 149, currency: 'EUR' },
        salePrice: { amount: 119, currency: 'EUR' },
        size: '42',
      }),
      product('boot-2', {
        title: 'Winter hiking boots',
        brand: 'Fjell',
        price: { amount: 99, currency: 'EUR' },
        availability: 'out of stock',
        size: '42',
      }),
      product('boot-3', {
        title: 'Light hiking boots',
        brand: 'Swift',
        price: { amount: 79, currency: 'EUR' },
        size: '40',
      }),
      product('sock-1', { title: 'Wool hiking socks', brand: 'Swift', price: { amount: 15, currency: 'EUR' } }),
    ]);
  });

  it('defines search_products and get_product in the OpenAI tools format', () => {
    expect(PRODUCT_TOOLS.map((t) => [t.type, t.function.name])).toEqual([
      ['function', 'search_products'],
      ['function', 'get_product'],
    ]);
    const searchParams = firstOf(PRODUCT_TOOLS).function.parameters as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(searchParams.properties)).toEqual(
      expect.arrayContaining(['query', 'min_price', 'max_price', 'brand', 'category', 'color', 'size', 'in_stock']),
    );
    // strict mode: every property listed as required (the optional ones nullable: tool-schemas.test.ts)
    expect(searchParams.required).toEqual(Object.keys(searchParams.properties));
    expect(JSON.parse(JSON.stringify(PRODUCT_TOOLS))).toEqual(PRODUCT_TOOLS);
  });

  it('runs a search with filters and answers compact JSON from the catalog only', () => {
    const outcome = executeProductTool(
      search,
      'search_products',
      JSON.stringify({ query: 'hiking boots', max_price: '120', in_stock: true, brand: null, size: '' }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.products.map((p) => p.id).sort()).toEqual(['boot-1', 'boot-3']);
    const content = JSON.parse(outcome.content) as { results: Array<Record<string, unknown>>; count: number };
    expect(content.count).toBe(2);
    expect(content.results.find((r) => r.id === 'boot-1')).toEqual({
      id: 'boot-1',
      title: 'Leather hiking boots',
      price: '€119.00',
      regular_price: '€149.00',
      availability: 'in stock',
      brand: 'Fjell',
      size: '42',
      link: 'https://shop.example/boot-1',
      image: 'https://shop.example/boot-1.jpg',
    });
    expect(outcome.search).toMatchObject({ query: 'hiking boots', max_price: 120, in_stock: true });
    // Grounding: every product returned meets the filters asked for.
    for (const p of outcome.products) expect(p.availability).toBe('in stock');
  });

  it('gets one product with its description, and answers errors the model can read', () => {
    const one = executeProductTool(search, 'get_product', '{"id":"sock-1"}');
    const sock = JSON.parse(one.content) as { id: string; price: string; description: string };
    expect(sock).toMatchObject({ id: 'sock-1', price: '€15.00' });
    expect(sock.description.length).toBeGreaterThan(100);
    expect(sock.description.length).toBeLessThanOrEqual(500);

    expect(JSON.parse(executeProductTool(search, 'get_product', '{"id":"made-up"}').content)).toEqual({
      error: 'no product with id made-up',
    });
    expect(executeProductTool(search, 'search_products', '{"query": "boots", "max_price": -4}').error).toMatch(
      /max_price/,
    );
    expect(executeProductTool(search, 'search_products', '{not json').error).toBe('arguments are not valid JSON');
    expect(executeProductTool(search, 'buy_now', '{}').error).toBe('unknown tool buy_now');
    expect(executeProductTool(search, 'search_products', '{"query":"boots","limit":50}').products).toEqual([]);
  });

  it('searches with the person message when the model server has no tools', () => {
    expect(filtersFromMessage('hiking boots under 100 €, in stock please')).toEqual({
      query: 'hiking boots , please',
      filters: { maxPrice: 100, inStock: true },
    });
    expect(filtersFromMessage('socks between $10 and 20').filters).toEqual({ minPrice: 10, maxPrice: 20 });
    // the longer currency word wins: "euros" leaves no stray "os" in the query
    expect(filtersFromMessage('rain jacket under 150 euros')).toEqual({
      query: 'rain jacket',
      filters: { maxPrice: 150 },
    });
    const result = searchWithMessage(search, 'hiking boots under 100');
    expect(result.products.map((p) => p.id).sort()).toEqual(['boot-2', 'boot-3']);
    expect(result.promptText.split('\n')).toHaveLength(3);
    expect(result.promptText).toContain('"id":"boot-3"');
    expect(searchWithMessage(search, 'a tuxedo').promptText).toBe('Catalog search found no matching product.');
  });
});
