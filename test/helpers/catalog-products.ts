import type { Product } from '../../src/catalog/product';

/** A catalog product for tests: in stock, new, 50 EUR, on shop.example, unless `fields` say otherwise. */
export const testProduct = (id: string, fields: Partial<Product>): Product => ({
  id,
  title: id,
  description: '',
  availability: 'in stock',
  condition: 'new',
  price: { amount: 50, currency: 'EUR' },
  link: `https://shop.example/${id}`,
  imageLink: `https://shop.example/${id}.jpg`,
  additionalImageLinks: [],
  ...fields,
});
