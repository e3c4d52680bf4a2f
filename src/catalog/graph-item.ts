import { z } from 'zod';
import {
  normaliseAvailability,
  normaliseCondition,
  parseDecimal,
  productSchema,
  type Money,
  type Product,
} from './product';

/**
 * One item of the Graph API's `GET /{catalog-id}/products` edge (a ProductItem) → a Product.
 * Graph writes `price` and `sale_price` as display strings in the catalog's currency ("$1,299.00",
 * "12,99 €") and the currency apart; `retailer_id` is the business's own id, the one WhatsApp's
 * product messages name.
 */

/** The ProductItem fields we ask for (names as Meta's Marketing API reference gives them). */
export const PRODUCT_ITEM_FIELDS = [
  'id',
  'retailer_id',
  'name',
  'description',
  'availability',
  'condition',
  'price',
  'sale_price',
  'currency',
  'url',
  'image_url',
  'additional_image_urls',
  'brand',
  'category',
  'product_type',
  'color',
  'size',
  'gender',
  'age_group',
  'retailer_product_group_id',
  'visibility',
  'review_status',
] as const;

const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

export const productItemSchema = z.looseObject({
  id: z.string().optional(),
  retailer_id: z.string().min(1),
  name: optionalText,
  description: optionalText,
  availability: optionalText,
  condition: optionalText,
  price: z.union([z.string(), z.number()]).nullish(),
  sale_price: z.union([z.string(), z.number()]).nullish(),
  currency: optionalText,
  url: optionalText,
  image_url: optionalText,
  additional_image_urls: z.array(z.string()).nullish(),
  brand: optionalText,
  category: optionalText,
  product_type: optionalText,
  color: optionalText,
  size: optionalText,
  gender: optionalText,
  age_group: optionalText,
  retailer_product_group_id: optionalText,
  visibility: optionalText,
  review_status: optionalText,
});
export type ProductItem = z.infer<typeof productItemSchema>;

/** "$1,299.00", "12,99 €", 1299 → 1299 / 12.99 in `currency`. */
function graphMoney(value: string | number | null | undefined, currency: string | undefined): Money | undefined {
  if (value === null || value === undefined || !currency) return undefined;
  const amount = typeof value === 'number' ? value : parseDecimal(value.replace(/[^\d.,]/g, ''));
  return amount === undefined ? undefined : { amount, currency: currency.toUpperCase() };
}

export function productFromGraphItem(item: ProductItem): { product: Product } | { rejected: string } {
  // Hidden items are staged, not for sale; rejected ones cannot be shown in product messages.
  if (item.visibility?.toLowerCase() === 'hidden') return { rejected: 'hidden' };
  if (item.review_status?.toLowerCase() === 'rejected') return { rejected: 'rejected in review' };
  const price = graphMoney(item.price, item.currency);
  if (!price) return { rejected: 'invalid price' };
  const availability = normaliseAvailability(item.availability ?? '');
  if (!availability) return { rejected: 'invalid availability' };
  const parsed = productSchema.safeParse({
    id: item.retailer_id,
    title: item.name,
    description: item.description ?? '',
    availability,
    condition: normaliseCondition(item.condition ?? 'new') ?? 'new',
    price,
    salePrice: graphMoney(item.sale_price, item.currency),
    link: item.url,
    imageLink: item.image_url,
    additionalImageLinks: (item.additional_image_urls ?? []).slice(0, 20),
    brand: item.brand,
    category: item.category ?? item.product_type,
    productType: item.product_type,
    color: item.color,
    size: item.size,
    gender: item.gender,
    ageGroup: item.age_group,
    itemGroupId: item.retailer_product_group_id,
  });
  if (!parsed.success) return { rejected: `invalid ${String(parsed.error.issues[0]?.path[0] ?? 'item')}` };
  return { product: parsed.data };
}
