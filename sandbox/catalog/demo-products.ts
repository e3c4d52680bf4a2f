import { seededRandom } from './seeded-random';

/**
 * The sandbox's invented demo shop, generated deterministically: the same seed always gives the
 * same products, so the committed feed can be checked against a fresh run. Every name, brand and
 * price here is made up; images are flat SVG swatches drawn from the product's colour and
 * category (see demo-images.ts), never photos.
 */

export interface DemoProductRow {
  id: string;
  title: string;
  description: string;
  availability: string;
  condition: string;
  price: string;
  sale_price: string;
  link: string;
  image_link: string;
  brand: string;
  google_product_category: string;
  product_type: string;
  color: string;
  size: string;
  gender: string;
  age_group: string;
  item_group_id: string;
}

export interface DemoCategory {
  key: string;
  productType: string;
  googleCategory: string;
  nouns: string[];
  materials: string[];
  sizes: string[];
  price: [number, number];
  glyph: string;
}

export const DEMO_CATEGORIES: DemoCategory[] = [
  {
    key: 'shoes',
    productType: 'Apparel > Shoes',
    googleCategory: 'Apparel & Accessories > Shoes',
    nouns: ['trail runners', 'sneakers', 'hiking boots', 'loafers', 'sandals'],
    materials: ['mesh', 'suede', 'leather', 'canvas'],
    sizes: ['38', '39', '40', '41', '42', '43', '44', '45'],
    price: [45, 180],
    glyph: 'S',
  },
  {
    key: 'jackets',
    productType: 'Apparel > Jackets',
    googleCategory: 'Apparel & Accessories > Clothing > Outerwear',
    nouns: ['rain jacket', 'down jacket', 'fleece', 'windbreaker', 'parka'],
    materials: ['ripstop', 'recycled nylon', 'wool blend', 'waxed cotton'],
    sizes: ['XS', 'S', 'M', 'L', 'XL'],
    price: [60, 320],
    glyph: 'J',
  },
  {
    key: 'tops',
    productType: 'Apparel > Tops',
    googleCategory: 'Apparel & Accessories > Clothing > Shirts & Tops',
    nouns: ['t-shirt', 'long-sleeve tee', 'linen shirt', 'hoodie', 'polo'],
    materials: ['organic cotton', 'linen', 'merino', 'jersey'],
    sizes: ['XS', 'S', 'M', 'L', 'XL'],
    price: [18, 90],
    glyph: 'T',
  },
  {
    key: 'bags',
    productType: 'Accessories > Bags',
    googleCategory: 'Apparel & Accessories > Handbags, Wallets & Cases',
    nouns: ['backpack', 'tote bag', 'duffel', 'sling bag', 'laptop sleeve'],
    materials: ['canvas', 'leather', 'recycled polyester', 'cork'],
    sizes: ['10 L', '18 L', '25 L', 'one size'],
    price: [25, 160],
    glyph: 'B',
  },
  {
    key: 'kitchen',
    productType: 'Home > Kitchen',
    googleCategory: 'Home & Garden > Kitchen & Dining',
    nouns: ['mug', 'teapot', 'cast iron pan', 'chef knife', 'salad bowl'],
    materials: ['stoneware', 'porcelain', 'cast iron', 'olive wood'],
    sizes: ['small', 'medium', 'large'],
    price: [9, 140],
    glyph: 'K',
  },
  {
    key: 'lighting',
    productType: 'Home > Lighting',
    googleCategory: 'Home & Garden > Lighting',
    nouns: ['desk lamp', 'floor lamp', 'pendant light', 'string lights', 'reading light'],
    materials: ['brass', 'rattan', 'matte steel', 'frosted glass'],
    sizes: ['one size'],
    price: [22, 260],
    glyph: 'L',
  },
  {
    key: 'plants',
    productType: 'Home > Garden',
    googleCategory: 'Home & Garden > Lawn & Garden',
    nouns: ['plant pot', 'watering can', 'hanging planter', 'seed kit', 'garden gloves'],
    materials: ['terracotta', 'ceramic', 'galvanised steel', 'jute'],
    sizes: ['S', 'M', 'L'],
    price: [7, 75],
    glyph: 'P',
  },
  {
    key: 'sport',
    productType: 'Sport > Fitness',
    googleCategory: 'Sporting Goods > Exercise & Fitness',
    nouns: ['yoga mat', 'water bottle', 'resistance band set', 'jump rope', 'gym towel'],
    materials: ['natural rubber', 'stainless steel', 'cork', 'microfibre'],
    sizes: ['one size', '500 ml', '750 ml', '1 L'],
    price: [8, 95],
    glyph: 'F',
  },
];

export const DEMO_COLORS: Array<{ name: string; hex: string }> = [
  { name: 'black', hex: '#222222' },
  { name: 'white', hex: '#f4f1ea' },
  { name: 'navy blue', hex: '#1f3a68' },
  { name: 'forest green', hex: '#2f5d3a' },
  { name: 'rust red', hex: '#a4442c' },
  { name: 'mustard', hex: '#d4a017' },
  { name: 'sand', hex: '#cdb891' },
  { name: 'grey', hex: '#8a8d91' },
];

const BRANDS = [
  'Kestrel',
  'Alder & Oak',
  'Tidewater',
  'Lumen Works',
  'Fennel Home',
  'Brightfold',
  'Cobble Lane',
  'Marrow Studio',
];
const ADJECTIVES = [
  'Classic',
  'Everyday',
  'Featherweight',
  'Rugged',
  'Soft',
  'Compact',
  'Heritage',
  'Urban',
  'Coastal',
  'Nordic',
];
const USES = [
  'for daily use',
  'for weekends outdoors',
  'that lasts for years',
  'made to be repaired',
  'for small spaces',
  'for travel',
];

export interface DemoOptions {
  count: number;
  seed: number;
  /** where the SVG swatches are served from */
  imageBaseUrl: string;
  shopUrl: string;
  currency: string;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  count: 200,
  seed: 12,
  imageBaseUrl: 'http://localhost:3000/sandbox/catalog/images',
  shopUrl: 'https://demo-shop.example',
  currency: 'EUR',
};

export const imageName = (category: DemoCategory, color: { name: string }) =>
  `${category.key}-${color.name.replace(/\s+/g, '-')}.svg`;

export function demoProducts(options: Partial<DemoOptions> = {}): DemoProductRow[] {
  const o = { ...DEFAULT_DEMO_OPTIONS, ...options };
  const random = seededRandom(o.seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const rows: DemoProductRow[] = [];
  for (let i = 0; i < o.count; i += 1) {
    const category = DEMO_CATEGORIES[i % DEMO_CATEGORIES.length]!;
    const noun = pick(category.nouns);
    const material = pick(category.materials);
    const color = pick(DEMO_COLORS);
    const brand = pick(BRANDS);
    const adjective = pick(ADJECTIVES);
    const [low, high] = category.price;
    const price = Math.round((low + random() * (high - low)) * 100) / 100;
    const onSale = random() < 0.15;
    const id = `DEMO-${category.key.toUpperCase()}-${String(i + 1).padStart(5, '0')}`;
    rows.push({
      id,
      title: `${brand} ${adjective} ${material} ${noun}`,
      description: `${adjective} ${noun} in ${color.name} ${material}, ${pick(USES)}. An invented product of the Threadline demo shop.`,
      availability: random() < 0.1 ? 'out of stock' : 'in stock',
      condition: 'new',
      price: `${price.toFixed(2)} ${o.currency}`,
      sale_price: onSale ? `${(Math.round(price * 75) / 100).toFixed(2)} ${o.currency}` : '',
      link: `${o.shopUrl}/p/${id.toLowerCase()}`,
      image_link: `${o.imageBaseUrl}/${imageName(category, color)}`,
      brand,
      google_product_category: category.googleCategory,
      product_type: category.productType,
      color: color.name,
      size: pick(category.sizes),
      gender:
        category.key === 'shoes' || category.key === 'tops' || category.key === 'jackets'
          ? pick(['female', 'male', 'unisex'])
          : '',
      age_group: category.key === 'shoes' || category.key === 'tops' || category.key === 'jackets' ? 'adult' : '',
      item_group_id: `${category.key}-${noun.replace(/\s+/g, '-')}-${brand.replace(/\W+/g, '').toLowerCase()}`,
    });
  }
  return rows;
}

/** The rows as a Meta-format CSV feed (header of Meta's column names, RFC 4180 quoting). */
export function demoFeedCsv(rows: DemoProductRow[]): string {
  const columns = Object.keys(rows[0] ?? {}) as Array<keyof DemoProductRow>;
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [columns.join(','), ...rows.map((row) => columns.map((c) => quote(row[c])).join(','))].join('\n') + '\n';
}
