import type { GraphClient } from '../platforms/graph-client';
import { loadFeed, type FeedOptions } from './feed-source';
import { readGraphCatalog, type GraphCatalogOptions, type PreviousGraphSnapshot } from './graph-catalog';
import type { Product } from './product';

/**
 * Where a catalog comes from: a feed (CATALOG_FEED) or a Commerce Manager catalog through the
 * Graph API (META_CATALOG_ID). Both give the same products; a Graph catalog also gives its id,
 * which WhatsApp's native product messages need.
 */
export interface CatalogSource {
  readonly kind: 'feed' | 'graph';
  readonly catalogId: string | undefined;
  /** for logs: never a URL with credentials in it */
  readonly description: string;
  load(previous: PreviousGraphSnapshot | undefined): Promise<LoadedCatalog>;
}

export interface LoadedCatalog {
  products: Product[];
  carried: string[];
  summary: Record<string, unknown>;
}

/** A URL's query may carry a token: logs get the origin and path only. */
function describeLocation(location: string): string {
  try {
    const url = new URL(location);
    return `${url.origin}${url.pathname}`;
  } catch {
    return location;
  }
}

export function feedCatalogSource(location: string, options?: FeedOptions): CatalogSource {
  return {
    kind: 'feed',
    catalogId: undefined,
    description: `feed ${describeLocation(location)}`,
    async load() {
      const { products, report } = await loadFeed(location, options);
      const { source: _source, ...summary } = report;
      return { products, carried: [], summary: { ...summary, source: describeLocation(location) } };
    },
  };
}

export function graphCatalogSource(
  graph: GraphClient,
  catalogId: string,
  options?: Partial<GraphCatalogOptions>,
): CatalogSource {
  return {
    kind: 'graph',
    catalogId,
    description: `Graph catalog ${catalogId}`,
    async load(previous) {
      const read = await readGraphCatalog(graph, catalogId, previous, options);
      return { products: read.products, carried: read.carried, summary: { ...read.report } };
    },
  };
}
