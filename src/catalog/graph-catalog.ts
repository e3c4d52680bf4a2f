import { z } from 'zod';
import type { GraphClient } from '../platforms/graph-client';
import { PRODUCT_ITEM_FIELDS, productFromGraphItem, productItemSchema } from './graph-item';
import type { Product } from './product';

/**
 * META_CATALOG_ID: the business's Commerce Manager catalog, read page by page through
 * `GET /{catalog-id}/products`. Meta warns that this edge's paging can repeat or skip items, so a
 * single pass is not trusted to be complete:
 *
 * 1. items are deduplicated by retailer_id (a repeat is counted, never doubled);
 * 2. the catalog's own `product_count` says how many to expect; a read that comes up short is
 *    read again with a smaller page size and the two are merged;
 * 3. if it is still short, items of the previous snapshot missing from this read are carried over
 *    for one more cycle (and only one: an item missing twice in a row is gone).
 *
 * Paging follows the `after` cursor on our own client rather than `paging.next`, so the token
 * stays in a header and never in a logged URL; a cursor seen twice ends the pass (a loop).
 */

export interface GraphCatalogOptions {
  pageSize: number;
  /** the retry after a short read uses pages this many times smaller */
  retryPageDivisor: number;
  maxPages: number;
}

export interface PreviousGraphSnapshot {
  products: Product[];
  /** ids carried over last time: not carried again */
  carried: string[];
}

export interface GraphCatalogRead {
  products: Product[];
  carried: string[];
  report: {
    expected: number | undefined;
    read: number;
    repeated: number;
    passes: number;
    rejected: Record<string, number>;
  };
}

const DEFAULT_OPTIONS: GraphCatalogOptions = { pageSize: 500, retryPageDivisor: 5, maxPages: 10_000 };

const pageSchema = z.object({
  data: z.array(z.unknown()),
  paging: z
    .looseObject({ cursors: z.looseObject({ after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
});

const catalogSchema = z.looseObject({ product_count: z.coerce.number().int().nonnegative().optional() });

export async function readGraphCatalog(
  graph: GraphClient,
  catalogId: string,
  previous: PreviousGraphSnapshot | undefined,
  options: Partial<GraphCatalogOptions> = {},
  signal?: AbortSignal,
): Promise<GraphCatalogRead> {
  const settings = { ...DEFAULT_OPTIONS, ...options };
  const catalogPath = `/${encodeURIComponent(catalogId)}`;
  const catalog = catalogSchema.parse(await graph.get(`${catalogPath}?fields=product_count`, signal));
  const expected = catalog.product_count;
  const seen = new Map<string, Product>();
  const tally: Tally = { read: 0, repeated: 0, rejected: {}, rejectedIds: new Set() };

  await readPass(graph, catalogPath, settings.pageSize, settings.maxPages, seen, tally, signal);
  let passes = 1;
  if (expected !== undefined && seen.size + rejectedTotal(tally.rejected) < expected) {
    const smaller = Math.max(25, Math.floor(settings.pageSize / settings.retryPageDivisor));
    await readPass(graph, catalogPath, smaller, settings.maxPages, seen, tally, signal);
    passes = 2;
  }

  const carried: string[] = [];
  const short = expected !== undefined && seen.size + rejectedTotal(tally.rejected) < expected;
  if (short && previous) {
    const carriedBefore = new Set(previous.carried);
    for (const product of previous.products) {
      if (seen.has(product.id) || carriedBefore.has(product.id)) continue;
      seen.set(product.id, product);
      carried.push(product.id);
    }
  }
  return {
    products: [...seen.values()],
    carried,
    report: { expected, read: tally.read, repeated: tally.repeated, passes, rejected: tally.rejected },
  };
}

interface Tally {
  read: number;
  /** items met again, within a pass (the edge repeating itself) or in the second pass */
  repeated: number;
  rejected: Record<string, number>;
  rejectedIds: Set<string>;
}

function rejectedTotal(rejected: Record<string, number>): number {
  return Object.values(rejected).reduce((sum, count) => sum + count, 0);
}

async function readPass(
  graph: GraphClient,
  catalogPath: string,
  pageSize: number,
  maxPages: number,
  seen: Map<string, Product>,
  tally: Tally,
  signal?: AbortSignal,
): Promise<void> {
  const cursors = new Set<string>();
  let after: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const query = new URLSearchParams({ fields: PRODUCT_ITEM_FIELDS.join(','), limit: String(pageSize) });
    if (after) query.set('after', after);
    const body = pageSchema.parse(await graph.get(`${catalogPath}/products?${query.toString()}`, signal));
    for (const raw of body.data) {
      tally.read += 1;
      const item = productItemSchema.safeParse(raw);
      if (!item.success) {
        tally.rejected['no retailer_id'] = (tally.rejected['no retailer_id'] ?? 0) + 1;
        continue;
      }
      const id = item.data.retailer_id;
      if (seen.has(id) || tally.rejectedIds.has(id)) {
        tally.repeated += 1;
        continue;
      }
      const result = productFromGraphItem(item.data);
      if ('product' in result) seen.set(id, result.product);
      else {
        tally.rejectedIds.add(id);
        tally.rejected[result.rejected] = (tally.rejected[result.rejected] ?? 0) + 1;
      }
    }
    after = body.paging?.cursors?.after;
    if (!body.paging?.next || !after || body.data.length === 0 || cursors.has(after)) return;
    cursors.add(after);
  }
}
