import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { downloadFeed } from '../catalog/feed-download';
import type { ReadDocuments } from './document';
import { extractDocument, type DocumentFormat } from './extract';
import type { ReadLimits } from './read-limits';

/**
 * An https page, or a sitemap whose pages are read in turn. Every download goes through the
 * catalog feed's downloader, so the same rules hold: https (plain http only on loopback, for
 * local stand-ins), redirects checked hop by hop and never to a private address, a size cap that
 * stops the download. A sitemap is followed only within its own origin (scheme, host and port),
 * nested sitemaps included, up to KNOWLEDGE_MAX_PAGES pages.
 */

const gunzipAsync = promisify(gunzip);
const NAMING = { noun: 'document', capVariable: 'KNOWLEDGE_MAX_BYTES' };
/** Pages downloaded at once from one sitemap: quick, and gentle with the business's own site. */
const PAGE_CONCURRENCY = 4;
const MAX_SITEMAPS = 50;

type Sniffed = DocumentFormat | 'sitemap' | 'gzip';

export function sniffFormat(bytes: Buffer, url: URL): Sniffed {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'docx';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  const head = bytes
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .toLowerCase();
  if (/<(urlset|sitemapindex)[\s>]/.test(head)) return 'sitemap';
  if (/\.(md|markdown)$/i.test(url.pathname)) return 'markdown';
  if (/\.(txt|text)$/i.test(url.pathname)) return 'text';
  return /<(!doctype html|html|head|body|main|article|p|div|h[1-6])[\s>]/.test(head) ? 'html' : 'text';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The `<loc>`s of a sitemap or sitemap index, and which of the two it is. */
export function sitemapLocations(xml: string): { index: boolean; locations: string[] } {
  const locations = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/gi)].map((match) =>
    match[1]!.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!),
  );
  return { index: /<sitemapindex[\s>]/i.test(xml), locations };
}

async function download(location: string, limits: ReadLimits): Promise<{ bytes: Buffer; format: Sniffed }> {
  let bytes = await downloadFeed(location, {
    timeoutMs: limits.downloadTimeoutMs,
    maxBytes: limits.maxBytes,
    naming: NAMING,
  });
  let format = sniffFormat(bytes, new URL(location));
  if (format === 'gzip') {
    bytes = await gunzipAsync(bytes, { maxOutputLength: limits.maxBytes });
    format = sniffFormat(bytes, new URL(location.replace(/\.gz$/i, '')));
  }
  return { bytes, format };
}

async function readPage(
  location: string,
  bytes: Buffer,
  format: DocumentFormat,
  limits: ReadLimits,
  result: ReadDocuments,
) {
  const extracted = await extractDocument(bytes, format, { source: location, url: location }, limits.child);
  result.skipped.push(...extracted.skipped);
  if (extracted.document) result.documents.push(extracted.document);
}

/** Every page a sitemap lists within its origin (nested sitemaps followed), and what was left out. */
async function sitemapPages(root: URL, xml: string, limits: ReadLimits, result: ReadDocuments): Promise<string[]> {
  const pages = new Set<string>();
  const pending = [xml];
  const seenMaps = new Set([root.href]);
  while (pending.length > 0) {
    const { index, locations } = sitemapLocations(pending.shift()!);
    for (const location of locations) {
      let url: URL;
      try {
        url = new URL(location, root);
      } catch {
        result.skipped.push({ source: location, reason: 'not a URL' });
        continue;
      }
      if (url.origin !== root.origin) result.skipped.push({ source: url.href, reason: "outside the sitemap's host" });
      else if (!index) pages.add(url.href);
      else if (!seenMaps.has(url.href) && seenMaps.size < MAX_SITEMAPS) {
        seenMaps.add(url.href);
        const nested = await download(url.href, limits).catch((error: unknown) => {
          result.skipped.push({ source: url.href, reason: error instanceof Error ? error.message : String(error) });
          return undefined;
        });
        if (nested?.format === 'sitemap') pending.push(nested.bytes.toString('utf8'));
      }
    }
  }
  return [...pages];
}

async function readSitemap(root: URL, xml: string, limits: ReadLimits, result: ReadDocuments): Promise<void> {
  const all = await sitemapPages(root, xml, limits, result);
  const pages = all.slice(0, limits.maxPages);
  if (all.length > pages.length)
    result.skipped.push({
      source: root.href,
      reason: `${all.length - pages.length} more pages past KNOWLEDGE_MAX_PAGES (${limits.maxPages})`,
    });
  let next = 0;
  const worker = async () => {
    while (next < pages.length) {
      const page = pages[next++]!;
      try {
        const { bytes, format } = await download(page, limits);
        if (format === 'sitemap' || format === 'gzip')
          result.skipped.push({ source: page, reason: 'a sitemap among pages' });
        else await readPage(page, bytes, format, limits, result);
      } catch (error) {
        result.skipped.push({ source: page, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, pages.length) }, worker));
  // Pages came back in whatever order they finished: keep the sitemap's order.
  const order = new Map(pages.map((page, i) => [page, i]));
  result.documents.sort((a, b) => (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0));
}

export async function readUrl(location: string, limits: ReadLimits): Promise<ReadDocuments> {
  const result: ReadDocuments = { documents: [], skipped: [] };
  const { bytes, format } = await download(location, limits);
  if (format === 'sitemap') await readSitemap(new URL(location), bytes.toString('utf8'), limits, result);
  else if (format === 'gzip') result.skipped.push({ source: location, reason: 'compressed twice' });
  else await readPage(location, bytes, format, limits, result);
  return result;
}
