import { formatMoney, parseFeedPrice } from '../../src/catalog/product';
import { demoProducts, type DemoProductRow } from './demo-products';
import { DEMO_IMAGES_PATH } from './demo-shop';

/**
 * The demo shop's own product pages, where a card's "View" button leads: served by the sandbox's
 * page server at DEMO_SHOP_PATH/p/<id>, so a tap opens something real and nothing leaves this
 * computer. One plain page per product: picture, title, price, stock, and the feed's fields.
 */

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

let byId: Map<string, DemoProductRow> | undefined;

/** The product a page path names (`demo-shoes-00001`, as the feed's links write it), if any. */
export function demoProductFor(slug: string): DemoProductRow | undefined {
  byId ??= new Map(demoProducts({ imageBaseUrl: DEMO_IMAGES_PATH }).map((row) => [row.id.toLowerCase(), row]));
  return byId.get(slug.toLowerCase());
}

function priceHtml(row: DemoProductRow): string {
  const price = parseFeedPrice(row.price);
  const sale = row.sale_price ? parseFeedPrice(row.sale_price) : undefined;
  if (!price) return escapeHtml(row.price);
  if (sale && sale.amount < price.amount)
    return `<strong>${escapeHtml(formatMoney(sale))}</strong> <s>${escapeHtml(formatMoney(price))}</s>`;
  return `<strong>${escapeHtml(formatMoney(price))}</strong>`;
}

const STYLE = [
  'body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1c1e21;background:#f3f1ec}',
  'main{max-width:34rem;margin:0 auto;padding:1rem}',
  'img{width:100%;aspect-ratio:1;border-radius:12px;display:block;background:#ddd}',
  'h1{font-size:1.4rem;line-height:1.25;margin:1rem 0 .25rem}',
  '.price{font-size:1.3rem}.price s{color:#6b7280;font-size:1rem}',
  '.stock{font-weight:600}.stock.out{color:#b91c1c}.stock.in{color:#15803d}',
  'dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{color:#6b7280}dd{margin:0}',
  '.note{font-size:.85rem;color:#6b7280}',
].join('');

/** The page of one demo product, as HTML. */
export function productPageHtml(row: DemoProductRow): string {
  const inStock = row.availability === 'in stock';
  const facts: Array<[string, string]> = [
    ['Brand', row.brand],
    ['Colour', row.color],
    ['Size', row.size],
    ['Category', row.product_type],
    ['Product id', row.id],
  ];
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(row.title)} · Threadline demo shop</title><style>${STYLE}</style></head><body><main>`,
    `<img src="${escapeHtml(row.image_link)}" alt="${escapeHtml(row.title)}">`,
    `<h1>${escapeHtml(row.title)}</h1>`,
    `<p class="price">${priceHtml(row)}</p>`,
    `<p class="stock ${inStock ? 'in' : 'out'}">${inStock ? 'In stock' : 'Out of stock'}</p>`,
    `<p>${escapeHtml(row.description)}</p>`,
    `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
    '<p class="note">The Threadline sandbox’s demo shop: every product here is invented, and nothing can be bought.</p>',
    '</main></body></html>',
  ].join('');
}
