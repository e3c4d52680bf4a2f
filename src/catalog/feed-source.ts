import { downloadFeed, type FeedDownloadOptions } from './feed-download';
import { detectFeedFormat, readFeedRows } from './feed-format';
import { countMissing, countRejection, emptyReport, type FeedReport } from './feed-report';
import { productFromRow } from './feed-rows';
import type { Product } from './product';

/**
 * CATALOG_FEED: a product feed file or URL in Meta's feed format, read whole, every row checked.
 * A broken row is skipped and counted with its reason; a feed that cannot be fetched or parsed at
 * all throws CatalogLoadError, and the caller keeps the last good snapshot.
 */

export class CatalogLoadError extends Error {
  /** what was read before giving up, when the feed could be read at all */
  readonly report: FeedReport | undefined;
  constructor(message: string, options?: { cause?: unknown; report?: FeedReport }) {
    super(message, { cause: options?.cause });
    this.name = 'CatalogLoadError';
    this.report = options?.report;
  }
}

export type FeedOptions = FeedDownloadOptions;

export interface LoadedFeed {
  products: Product[];
  report: FeedReport;
}

/** CATALOG_FEED_MAX_BYTES's default (config/env.ts): far above a 10,000-product feed (a few MB). */
export const DEFAULT_FEED_MAX_BYTES = 50 * 1024 * 1024;
/** The whole download of a feed, redirects included. */
export const FEED_TIMEOUT_MS = 60_000;
const DEFAULT_FEED_OPTIONS: FeedOptions = { timeoutMs: FEED_TIMEOUT_MS, maxBytes: DEFAULT_FEED_MAX_BYTES };

export async function readFeedText(location: string, options: FeedOptions = DEFAULT_FEED_OPTIONS): Promise<string> {
  try {
    return (await downloadFeed(location, options)).toString('utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CatalogLoadError(`feed could not be read: ${reason}`, { cause: error });
  }
}

export async function parseFeed(text: string, source: string): Promise<LoadedFeed> {
  const format = detectFeedFormat(source, text);
  const report = emptyReport(source, format);
  const byId = new Map<string, Product>();
  try {
    for await (const raw of readFeedRows(text, format)) {
      report.rowsRead += 1;
      // Rows arrive on microtasks; let the event loop turn now and then so turns are not held up.
      if (report.rowsRead % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (raw.columns === undefined) {
        countRejection(report, raw.unreadable, raw.row);
        continue;
      }
      countMissing(report, raw.columns);
      const result = productFromRow(raw.columns);
      if ('rejected' in result) countRejection(report, result.rejected, raw.row);
      else if (byId.has(result.product.id)) countRejection(report, 'duplicate id', raw.row);
      else byId.set(result.product.id, result.product);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CatalogLoadError(`feed could not be parsed as ${format.toUpperCase()}: ${reason}`, {
      cause: error,
      report,
    });
  }
  report.accepted = byId.size;
  if (report.rowsRead > 0 && byId.size === 0) {
    // Every row rejected is a broken feed (wrong columns, wrong delimiter), not an empty shop.
    throw new CatalogLoadError(`feed has no usable product in ${report.rowsRead} rows`, { report });
  }
  return { products: [...byId.values()], report };
}

export async function loadFeed(location: string, options?: FeedOptions): Promise<LoadedFeed> {
  return parseFeed(await readFeedText(location, options), location);
}
