import { isTransientStatus } from '../core/transient-failure';
import { MediaError, MediaUrlExpiredError } from './errors';
import { checkMediaUrl } from './media-hosts';

/**
 * The one place media bytes come from the internet. Platform adapters decide WHICH url to fetch
 * (and with which token); this decides WHETHER and HOW: only hosts on the allow list, over https
 * on 443, resolving to public addresses (media-hosts.ts), checked again on every redirect
 * (redirects are followed by hand for that reason), bounded in bytes while streaming and in time.
 */

export interface DownloadLimits {
  allowedHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
}

export interface DownloadRequest extends DownloadLimits {
  url: string;
  /** sent to the first host only; dropped if a redirect leaves it (a token is not for everyone) */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface DownloadedMedia {
  bytes: Buffer;
  /** what the server claimed; informative only, the type is sniffed from the bytes */
  contentType: string | undefined;
}

const MAX_REDIRECTS = 5;

export { isHostAllowed } from './media-hosts';

export async function downloadMedia(request: DownloadRequest): Promise<DownloadedMedia> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let url = await checkMediaUrl(request.url, undefined, request.allowedHosts);
  const firstOrigin = url.origin;
  for (let hop = 0; ; hop += 1) {
    const headers = url.origin === firstOrigin ? (request.headers ?? {}) : {};
    let response: Response;
    try {
      response = await fetch(url, { headers, redirect: 'manual', signal });
    } catch (error) {
      throw new MediaError('download-failed', `media download failed: ${describe(error, timeout)}`, true, {
        cause: error,
      });
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new MediaError('download-failed', 'too many redirects');
      url = await checkMediaUrl(response.headers.get('location')!, url.href, request.allowedHosts);
      continue;
    }
    if (response.status === 401 || response.status === 403 || response.status === 404 || response.status === 410) {
      await response.body?.cancel().catch(() => undefined);
      throw new MediaUrlExpiredError(response.status, `media URL answered ${response.status}`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      const transient = isTransientStatus(response.status);
      throw new MediaError(
        transient ? 'download-failed' : 'unavailable',
        `media URL answered ${response.status}`,
        transient,
      );
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > request.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new MediaError('too-big', `media is ${declared} bytes, over the ${request.maxBytes} byte cap`);
    }
    const bytes = await readCapped(response.body, request.maxBytes, timeout);
    return { bytes, contentType: response.headers.get('content-type') ?? undefined };
  }
}

/** Reads the body, stopping (and cancelling the transfer) as soon as it passes the cap. */
async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number, timeout: AbortSignal): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new MediaError('too-big', `media passed the ${maxBytes} byte cap while downloading`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw new MediaError('download-failed', `media download failed: ${describe(error, timeout)}`, true, {
      cause: error,
    });
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}

function describe(error: unknown, timeout: AbortSignal): string {
  if (timeout.aborted) return 'timed out';
  return error instanceof Error ? error.message : String(error);
}
