import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { stat, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import axios from 'axios';
import { isNonPublicAddress } from '../media/media-hosts';

/**
 * The bytes of CATALOG_FEED, within a size cap. The URL the operator configured is fetched as
 * given: https anywhere, plain http only on loopback (a local stand-in, the sandbox). A redirect
 * is followed by hand and checked first: it may stay on the configured origin, or go to https on
 * a host with only public addresses. The address check runs in the connection's own DNS lookup,
 * so the addresses checked are the ones connected to. Otherwise a feed host (or whoever took
 * over its DNS) could point the worker at its own network, a cloud metadata service or Redis,
 * and have the answer read into the catalog people are shown.
 */

export interface FeedDownloadOptions {
  /** the whole download, redirects included */
  timeoutMs: number;
  /** a larger feed is refused, and its download stopped as soon as it passes this */
  maxBytes: number;
  /** how refusals name what was fetched and its cap (the knowledge base fetches documents by the same rules) */
  naming?: { noun: string; capVariable: string };
}

const FEED_NAMING = { noun: 'feed', capVariable: 'CATALOG_FEED_MAX_BYTES' };

export const MAX_FEED_REDIRECTS = 5;

const readable = (bytes: number) =>
  bytes < 1024 * 1024 ? `${bytes} bytes` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

function isLoopbackUrl(url: URL): boolean {
  return /^(127\.0\.0\.1|localhost|\[::1\])$/i.test(url.hostname);
}

/** Connects only to public addresses; a name with any other address is refused outright. */
async function publicLookup(hostname: string): Promise<LookupAddress[]> {
  const addresses = await lookup(hostname, { all: true, verbatim: true });
  const inside = addresses.find((a) => isNonPublicAddress(a.address));
  if (inside) throw new Error(`redirect to ${hostname} refused: it resolves to a non-public address`);
  return addresses;
}

/** The next hop of a redirect, or an error saying why it is not followed. */
function checkRedirect(location: string | undefined, from: URL, configured: URL): URL {
  if (!location) throw new Error('a redirect without a Location');
  const next = new URL(location, from);
  if (next.origin === configured.origin) return next;
  if (next.protocol !== 'https:') throw new Error(`redirect to ${next.origin} refused: not https`);
  const host = next.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isNonPublicAddress(host)) {
    throw new Error(`redirect to ${next.origin} refused: a non-public address`);
  }
  return next;
}

async function downloadUrl(configured: URL, options: FeedDownloadOptions): Promise<Buffer> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let url = configured;
  for (let hop = 0; ; hop += 1) {
    const response = await axios.get<ArrayBuffer>(url.href, {
      responseType: 'arraybuffer',
      signal,
      timeout: options.timeoutMs,
      maxContentLength: options.maxBytes,
      maxRedirects: 0,
      validateStatus: (status) => status === 200 || (status >= 300 && status < 400 && status !== 304),
      ...(url.origin === configured.origin ? {} : { lookup: publicLookup }),
    });
    if (response.status === 200) return Buffer.from(response.data);
    if (hop === MAX_FEED_REDIRECTS) throw new Error(`more than ${MAX_FEED_REDIRECTS} redirects`);
    const location = response.headers.location as unknown;
    url = checkRedirect(typeof location === 'string' ? location : undefined, url, configured);
  }
}

/** A feed path or URL's bytes; throws with a reason fit for the log (no query string, no token). */
export async function downloadFeed(location: string, options: FeedDownloadOptions): Promise<Buffer> {
  const { noun, capVariable } = options.naming ?? FEED_NAMING;
  if (!/^https?:\/\//i.test(location)) {
    const { size } = await stat(location);
    if (size > options.maxBytes)
      throw new Error(`the ${noun} file is ${readable(size)}, over ${readable(options.maxBytes)}`);
    return readFile(location);
  }
  const url = new URL(location);
  if (url.protocol !== 'https:' && !isLoopbackUrl(url)) {
    throw new Error(`a ${noun} URL must be https (plain http only on loopback)`);
  }
  try {
    return await downloadUrl(url, options);
  } catch (error) {
    if (axios.isCancel(error))
      throw new Error(`the ${noun} took longer than ${options.timeoutMs / 1000} s`, { cause: error });
    if (axios.isAxiosError(error) && /maxContentLength/.test(error.message)) {
      throw new Error(`the ${noun} is larger than ${readable(options.maxBytes)} (${capVariable})`, {
        cause: error,
      });
    }
    throw error;
  }
}
