import type { EmulatorCatalog } from './card-views';
import { graphError, type GraphReply } from './graph-reply';

/**
 * The business's Commerce Manager catalog as the Graph API serves it to Threadline's catalog
 * sync: `GET /{v}/{catalog-id}?fields=product_count` and `GET /{v}/{catalog-id}/products` with
 * `limit` and the `after` cursor, `paging.cursors` and `paging.next` while more remain.
 */

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
function offsetOf(after: string | null): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(after ?? '', 'base64url').toString('utf8'));
  return match ? Number(match[1]) : 0;
}

export function catalogNode(catalog: EmulatorCatalog): GraphReply {
  return { status: 200, body: { id: catalog.id, product_count: catalog.items.length } };
}

/** `url` as requested; `baseUrl` is the emulator's own, for `paging.next`. */
export function catalogProducts(catalog: EmulatorCatalog, url: URL, baseUrl: string): GraphReply {
  const limit = Number(url.searchParams.get('limit') ?? DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1) return graphError(400, 100, 'Param limit must be a positive integer');
  const start = offsetOf(url.searchParams.get('after'));
  const end = Math.min(start + Math.min(limit, MAX_LIMIT), catalog.items.length);
  const data = catalog.items.slice(start, end);
  const more = end < catalog.items.length;
  const next = new URL(`${url.pathname}${url.search}`, baseUrl);
  next.searchParams.set('after', cursor(end));
  return {
    status: 200,
    body: {
      data,
      paging: {
        cursors: { before: cursor(start), after: cursor(end) },
        ...(more ? { next: next.toString() } : {}),
      },
    },
  };
}
