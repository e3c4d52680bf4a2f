import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { currentPrice, formatMoney, type Product } from '../catalog/product';
import type { ProductFilters, ProductSearch } from '../catalog/product-search';
import { searchHonouring, type HonouredSearch } from './honoured-search';
import { RememberedWishes } from './remembered-wishes';

/**
 * The shopping tools the model may call through the OpenAI tools API, and their executor. The
 * executor is pure (no model call, no I/O): it checks the model's arguments with zod, runs them
 * against the worker's product index and answers compact JSON. A bad call gets an error the
 * model can read and correct, never an exception. Every product the executor returns is kept in
 * the outcome, so the answer's cards can be built from exactly what the tools found. A search
 * honours the person's remembered wishes (honoured-search.ts), and its result says so to the model.
 */

export const SEARCH_PRODUCTS = 'search_products';
export const GET_PRODUCT = 'get_product';
const MAX_RESULTS = 10;
/** The longest search query the tool takes: a few words, never a paragraph. */
export const MAX_QUERY_LENGTH = 200;

export const PRODUCT_TOOLS: ChatCompletionFunctionTool[] = [
  {
    type: 'function',
    function: {
      name: SEARCH_PRODUCTS,
      description:
        "Search the shop's catalog. Use it before naming any product, price or stock: only products it returns exist.",
      // OpenAI's strict mode, which servers that constrain arguments with a grammar also follow:
      // every property required, none other allowed, the optional ones nullable (null = not given).
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'what the person is looking for, in a few words' },
          min_price: { type: ['number', 'null'], description: 'lowest price, in the catalog currency; null: any' },
          max_price: { type: ['number', 'null'], description: 'highest price, in the catalog currency; null: any' },
          brand: { type: ['string', 'null'], description: 'exact brand name; null: any' },
          category: { type: ['string', 'null'], description: 'category word, e.g. shoes, kitchen; null: any' },
          color: { type: ['string', 'null'], description: 'null: any' },
          size: { type: ['string', 'null'], description: 'null: any' },
          in_stock: { type: ['boolean', 'null'], description: 'true: only products that can be bought now' },
          limit: { type: ['integer', 'null'], description: `how many results, 1 to ${MAX_RESULTS}; null: 5` },
        },
        required: ['query', 'min_price', 'max_price', 'brand', 'category', 'color', 'size', 'in_stock', 'limit'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: GET_PRODUCT,
      description: 'Get one product of the catalog by its id (from search_products), with its description.',
      parameters: {
        type: 'object',
        properties: { id: { type: 'string', description: 'the product id' } },
        required: ['id'],
        additionalProperties: false,
      },
    },
  },
];

// Models send null (the schema's "not given") or "" for options they leave out, and numbers as strings: accept all.
const absent = (value: unknown) => (value === null || value === '' ? undefined : value);
const optionalNumber = z.preprocess(
  (value) => (typeof absent(value) === 'string' ? Number(value) : absent(value)),
  z.number().finite().nonnegative().optional(),
);
const optionalText = z.preprocess(absent, z.string().trim().max(100).optional());

export const searchArgumentsSchema = z.object({
  query: z.preprocess((value) => value ?? '', z.string().trim().max(MAX_QUERY_LENGTH)),
  min_price: optionalNumber,
  max_price: optionalNumber,
  brand: optionalText,
  category: optionalText,
  color: optionalText,
  size: optionalText,
  in_stock: z.preprocess(
    (value) => (value === 'true' ? true : value === 'false' ? false : absent(value)),
    z.boolean().optional(),
  ),
  limit: z.preprocess(absent, z.coerce.number().int().min(1).max(MAX_RESULTS).optional()),
});
export type SearchArguments = z.infer<typeof searchArgumentsSchema>;

const getArgumentsSchema = z.object({ id: z.coerce.string().trim().min(1).max(100) });

export interface ToolOutcome {
  /** the tool message content for the model */
  content: string;
  /** products this call returned (empty on error) */
  products: Product[];
  /** the search as run, for /why; undefined for get_product and errors */
  search: SearchArguments | undefined;
  error: string | undefined;
}

export function filtersFrom(args: SearchArguments): ProductFilters {
  return {
    minPrice: args.min_price,
    maxPrice: args.max_price,
    brand: args.brand,
    category: args.category,
    color: args.color,
    size: args.size,
    inStock: args.in_stock,
  };
}

/** A search in words, as /why shows it (quoted there): `running shoes, under 100, size 42, in stock`. */
export function describeSearch(query: string, filters: ProductFilters): string {
  const price =
    filters.minPrice !== undefined && filters.maxPrice !== undefined
      ? `between ${filters.minPrice} and ${filters.maxPrice}`
      : filters.maxPrice !== undefined
        ? `under ${filters.maxPrice}`
        : filters.minPrice !== undefined
          ? `over ${filters.minPrice}`
          : undefined;
  const named = (label: string, value: string | undefined) => (value ? `${label} ${value}` : undefined);
  return [
    query || 'anything',
    price,
    named('brand', filters.brand),
    named('category', filters.category),
    named('colour', filters.color),
    named('size', filters.size),
    filters.inStock ? 'in stock' : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** What the model sees of a product: enough to recommend it, nothing it must not invent from. */
export function compactProduct(product: Product, withDescription = false): Record<string, unknown> {
  const now = currentPrice(product);
  return {
    id: product.id,
    title: product.title,
    price: formatMoney(now),
    ...(now === product.price ? {} : { regular_price: formatMoney(product.price) }),
    availability: product.availability,
    ...(product.brand ? { brand: product.brand } : {}),
    ...(product.color ? { color: product.color } : {}),
    ...(product.size ? { size: product.size } : {}),
    link: product.link,
    image: product.imageLink,
    ...(withDescription ? { description: product.description.slice(0, 500) } : {}),
  };
}

/** What the model is told about the remembered wishes a search applied (nothing when there are none). */
function wishNote(found: HonouredSearch, wishes: RememberedWishes): Record<string, string> {
  if (wishes.size === 0 || found.products.length === 0) return {};
  const facts = (list: typeof wishes.wishes) => [...new Set(list.map((wish) => `"${wish.fact.text}"`))].join(', ');
  if (found.unmet.length === 0) {
    return { remembered: `Only products that honour ${facts(wishes.wishes)} (as the person asked you to remember).` };
  }
  return {
    remembered: `No product matching this search honours ${facts(found.unmet)}; these are the closest. Say so plainly.`,
  };
}

/** A search's result as the model reads it, with what it was told about remembered wishes. */
export function searchResultContent(products: Product[], extra: Record<string, string> = {}): string {
  return JSON.stringify({ results: products.map((p) => compactProduct(p)), count: products.length, ...extra });
}

function failure(error: string): ToolOutcome {
  return { content: JSON.stringify({ error }), products: [], search: undefined, error };
}

/**
 * Runs one tool call of the model's (`argumentsJson` as the API delivers it: a JSON string);
 * `wishes`, the person's remembered budget, sizes, brands and colours, narrow every search.
 */
export function executeProductTool(
  search: ProductSearch,
  name: string,
  argumentsJson: string,
  wishes = RememberedWishes.none,
): ToolOutcome {
  let raw: unknown;
  try {
    raw = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
  } catch {
    return failure('arguments are not valid JSON');
  }
  if (name === SEARCH_PRODUCTS) {
    const args = searchArgumentsSchema.safeParse(raw);
    if (!args.success)
      return failure(`invalid arguments: ${args.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const found = searchHonouring(search, args.data.query, filtersFrom(args.data), args.data.limit ?? 5, wishes);
    const { products } = found;
    return {
      content: searchResultContent(products, wishNote(found, wishes)),
      products,
      search: args.data,
      error: undefined,
    };
  }
  if (name === GET_PRODUCT) {
    const args = getArgumentsSchema.safeParse(raw);
    if (!args.success) return failure('invalid arguments: id');
    const product = search.get(args.data.id);
    if (!product) return failure(`no product with id ${args.data.id}`);
    return {
      content: JSON.stringify(compactProduct(product, true)),
      products: [product],
      search: undefined,
      error: undefined,
    };
  }
  return failure(`unknown tool ${name}`);
}
