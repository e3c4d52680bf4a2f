import { z } from 'zod';

/**
 * The one product record every catalog source is normalised into (a Meta feed file, or the Graph
 * API's catalog edge). Search, tools and cards read only this shape, so they never care where a
 * product came from. Prices are kept as a decimal amount plus an ISO 4217 currency, the way Meta's
 * feeds write them (`12.99 USD`).
 */

/** Meta's availability values; feeds also write them with underscores (`in_stock`). */
export const AVAILABILITY = ['in stock', 'out of stock', 'preorder', 'available for order', 'discontinued'] as const;
export type Availability = (typeof AVAILABILITY)[number];

export const CONDITIONS = ['new', 'refurbished', 'used'] as const;

export const moneySchema = z.object({
  amount: z.number().nonnegative().finite(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Money = z.infer<typeof moneySchema>;

const httpUrl = z
  .string()
  .max(2000)
  .refine((value) => /^https?:\/\/[^\s/]+/i.test(value), { message: 'not an http(s) URL' });

export const productSchema = z.object({
  /** the retailer id (`id` in a feed, `retailer_id` on Graph): what WhatsApp's product messages name */
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(200),
  description: z.string().max(9999),
  availability: z.enum(AVAILABILITY),
  condition: z.enum(CONDITIONS),
  price: moneySchema,
  salePrice: moneySchema.optional(),
  link: httpUrl,
  imageLink: httpUrl,
  additionalImageLinks: z.array(httpUrl).max(20).default([]),
  brand: z.string().max(100).optional(),
  /** google_product_category, else product_type (the first is Meta's taxonomy, the second the shop's own) */
  category: z.string().max(750).optional(),
  productType: z.string().max(750).optional(),
  color: z.string().max(200).optional(),
  size: z.string().max(200).optional(),
  gender: z.string().max(20).optional(),
  ageGroup: z.string().max(20).optional(),
  itemGroupId: z.string().max(100).optional(),
});
export type Product = z.infer<typeof productSchema>;

export function isInStock(product: Pick<Product, 'availability'>): boolean {
  return product.availability === 'in stock' || product.availability === 'available for order';
}

/** What the person pays now: the sale price when there is one below the regular price. */
export function currentPrice(product: Pick<Product, 'price' | 'salePrice'>): Money {
  const sale = product.salePrice;
  return sale && sale.currency === product.price.currency && sale.amount < product.price.amount ? sale : product.price;
}

/** `in_stock`, `In Stock`, `instock` → `in stock`; unknown values → undefined. */
export function normaliseAvailability(value: string): Availability | undefined {
  const text = value.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');
  const known = AVAILABILITY.find((a) => a === text || a.replace(/ /g, '') === text);
  return known;
}

/** `used_like_new`, `Refurbished` → `used`, `refurbished` (Meta's finer used grades fold into `used`). */
export function normaliseCondition(value: string): Product['condition'] | undefined {
  const text = value.trim().toLowerCase();
  if (text.startsWith('used')) return 'used';
  return CONDITIONS.find((c) => c === text);
}

/**
 * Meta's feed price: a number and an ISO currency, `12.99 USD` (the currency may come first,
 * `USD 12.99`). Thousands separators are tolerated (`1,299.00 USD`, `1.299,00 EUR`).
 */
export function parseFeedPrice(value: string): Money | undefined {
  const match = /^\s*(?:([A-Za-z]{3})\s*)?([\d.,\s]+?)\s*(?:([A-Za-z]{3}))?\s*$/.exec(value);
  if (!match) return undefined;
  const currency = (match[1] ?? match[3])?.toUpperCase();
  if (!currency || (match[1] && match[3])) return undefined;
  const amount = parseDecimal(match[2]!);
  return amount === undefined ? undefined : { amount, currency };
}

/**
 * A number written with either separator convention. The last `.` or `,` followed by one or two
 * digits is the decimal point; every other separator groups thousands.
 */
export function parseDecimal(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^\d[\d.,]*$/.test(compact)) return undefined;
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[.,]/g, '');
  const amount = Number(decimal ? `${whole}.${decimal[1]}` : whole);
  return Number.isFinite(amount) ? amount : undefined;
}

/** `12.99 USD` in the person's terms: `$12.99`, `12,99 €` depending on `locale`. */
export function formatMoney(money: Money, locale = 'en'): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amount);
  } catch {
    return `${money.amount.toFixed(2)} ${money.currency}`;
  }
}
