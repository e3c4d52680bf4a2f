import { normaliseAvailability, normaliseCondition, parseFeedPrice, productSchema, type Product } from './product';

/**
 * One feed row (Meta's column names) → one Product, or the reason it is skipped. Reasons are
 * short fixed phrases so a diagnostics report can count them, the way Commerce Manager groups
 * feed errors ("missing price", "invalid availability", ...).
 */

export const REQUIRED_COLUMNS = [
  'id',
  'title',
  'description',
  'availability',
  'condition',
  'price',
  'link',
  'image_link',
  'brand',
] as const;

export const OPTIONAL_COLUMNS = [
  'sale_price',
  'google_product_category',
  'product_type',
  'color',
  'size',
  'gender',
  'age_group',
  'item_group_id',
  'additional_image_link',
] as const;

export type RowResult = { product: Product } | { rejected: string };

/** A cell as trimmed text; empty, null and non-scalar cells are absent. */
export function cellText(value: unknown): string | undefined {
  let asText: string;
  if (typeof value === 'string') asText = value;
  else if (typeof value === 'number' || typeof value === 'boolean') asText = String(value);
  else if (Array.isArray(value)) asText = value.map(cellText).filter(Boolean).join(',');
  else return undefined;
  const trimmed = asText.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Meta writes several extra images comma-separated in one cell; JSON feeds may use an array. */
function imageList(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

export function productFromRow(columns: Record<string, unknown>): RowResult {
  const get = (name: string) => cellText(columns[name]);
  for (const name of REQUIRED_COLUMNS) {
    // Meta accepts gtin or mpn in place of brand.
    if (name === 'brand' && (get('gtin') || get('mpn'))) continue;
    if (!get(name)) return { rejected: `missing ${name}` };
  }
  const price = parseFeedPrice(get('price')!);
  if (!price) return { rejected: 'invalid price' };
  const salePriceText = get('sale_price');
  const salePrice = salePriceText === undefined ? undefined : parseFeedPrice(salePriceText);
  if (salePriceText !== undefined && !salePrice) return { rejected: 'invalid sale_price' };
  const availability = normaliseAvailability(get('availability')!);
  if (!availability) return { rejected: 'invalid availability' };
  const condition = normaliseCondition(get('condition')!);
  if (!condition) return { rejected: 'invalid condition' };
  const candidate = {
    id: get('id'),
    title: get('title'),
    description: get('description'),
    availability,
    condition,
    price,
    salePrice,
    link: get('link'),
    imageLink: get('image_link'),
    additionalImageLinks: imageList(columns.additional_image_link).slice(0, 20),
    brand: get('brand'),
    category: get('google_product_category') ?? get('product_type'),
    productType: get('product_type'),
    color: get('color'),
    size: get('size'),
    gender: get('gender'),
    ageGroup: get('age_group'),
    itemGroupId: get('item_group_id'),
  };
  const parsed = productSchema.safeParse(candidate);
  if (!parsed.success) return { rejected: reasonFor(parsed.error.issues[0]) };
  return { product: parsed.data };
}

const FEED_NAMES: Record<string, string> = { imageLink: 'image_link', additionalImageLinks: 'additional_image_link' };

function reasonFor(issue: { path: PropertyKey[]; code: string } | undefined): string {
  const field = String(issue?.path[0] ?? 'row');
  const name = FEED_NAMES[field] ?? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return issue?.code === 'too_big' ? `${name} too long` : `invalid ${name}`;
}
