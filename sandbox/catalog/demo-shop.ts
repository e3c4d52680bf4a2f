import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatMoney, parseFeedPrice } from '../../src/catalog/product';
import type { EmulatorCatalog, ProductView } from '../emulator/card-views';
import { sandboxIds } from '../emulator/ids';
import { demoFeedCsv, demoProducts, type DemoProductRow } from './demo-products';

/**
 * The demo shop as a running sandbox uses it: the feed Threadline's worker reads (CATALOG_FEED),
 * with image and product-page links on the sandbox's own page server so the page and the
 * emulator can load them whatever PORT is, and the same products as the Commerce Manager catalog
 * the emulator looks WhatsApp product messages up in.
 */

export const DEMO_IMAGES_DIR = path.join(__dirname, 'images');
/** Where the page server serves DEMO_IMAGES_DIR. */
export const DEMO_IMAGES_PATH = '/sandbox/catalog/images';
/** Where the page server serves the demo shop's product pages (product-page.ts): `<path>/p/<id>`. */
export const DEMO_SHOP_PATH = '/sandbox/shop';

/** The demo shop with its pictures and product pages on the sandbox's own page server at `origin`. */
const sandboxProducts = (origin: string) =>
  demoProducts({ imageBaseUrl: `${origin}${DEMO_IMAGES_PATH}`, shopUrl: `${origin}${DEMO_SHOP_PATH}` });

/** Writes the demo feed under `dir` with image and product links under `origin`; returns its path. */
export async function writeSandboxFeed(dir: string, origin: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const feed = path.join(dir, 'demo-feed.csv');
  await writeFile(feed, demoFeedCsv(sandboxProducts(origin)));
  return feed;
}

function priceOf(row: DemoProductRow): string {
  const price = parseFeedPrice(row.price);
  const sale = row.sale_price ? parseFeedPrice(row.sale_price) : undefined;
  if (!price) return row.price;
  return sale && sale.amount < price.amount ? `${formatMoney(sale)} (was ${formatMoney(price)})` : formatMoney(price);
}

/** A feed row as Graph's ProductItem: prices as display strings with the currency apart, as Graph writes them. */
function graphItem(row: DemoProductRow, index: number): Record<string, unknown> {
  const display = (text: string) => {
    const money = parseFeedPrice(text);
    return money ? formatMoney(money) : undefined;
  };
  return {
    id: String(7_100_000_000_000_000 + index),
    retailer_id: row.id,
    name: row.title,
    description: row.description,
    availability: row.availability,
    condition: row.condition,
    price: display(row.price),
    ...(row.sale_price ? { sale_price: display(row.sale_price) } : {}),
    currency: parseFeedPrice(row.price)?.currency,
    url: row.link,
    image_url: row.image_link,
    brand: row.brand,
    category: row.google_product_category,
    product_type: row.product_type,
    color: row.color,
    size: row.size,
    ...(row.gender ? { gender: row.gender } : {}),
    ...(row.age_group ? { age_group: row.age_group } : {}),
    retailer_product_group_id: row.item_group_id,
    visibility: 'published',
    review_status: 'approved',
  };
}

export function demoEmulatorCatalog(origin: string): EmulatorCatalog {
  const rows = sandboxProducts(origin);
  const products = new Map<string, ProductView>();
  for (const row of rows) {
    products.set(row.id, {
      id: row.id,
      title: row.title,
      price: priceOf(row),
      imageUrl: row.image_link,
      link: row.link,
    });
  }
  return { id: sandboxIds.whatsapp.catalogId, product: (id) => products.get(id), items: rows.map(graphItem) };
}
