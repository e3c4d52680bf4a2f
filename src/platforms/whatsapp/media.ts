import { isTransientStatus } from '../../core/transient-failure';
import type { Attachment } from '../../core/inbound';
import type { DownloadedMedia } from '../../media/download';
import { MediaError, MediaUrlExpiredError } from '../../media/errors';
import type { MediaDownloader } from '../adapter';
import { GraphApiError, pathSegment, type GraphClient } from '../graph-client';
import { whatsAppMediaUrlResponse } from '../graph-responses';
import { isNumericId } from '../platform-ids';

/**
 * WhatsApp media: `GET /{version}/{media-id}` (bearer) answers a URL that lives 5 minutes; that
 * URL is downloaded with the same bearer token (and a User-Agent: the lookaside host refuses
 * requests without one). The webhook's own `url`, when present, is tried first and saves the
 * lookup. A 401/403/404 means the URL expired: one fresh URL is fetched and tried, no more.
 */

/** Lookaside wants a browser-like or app User-Agent; an empty one is refused. */
const USER_AGENT = 'Threadline/0.1 (+https://github.com/threadline)';

export interface WhatsAppMediaOptions {
  graph: GraphClient;
  accessToken: string;
  download: MediaDownloader;
}

export function createWhatsAppMediaFetcher({ graph, accessToken, download }: WhatsAppMediaOptions) {
  const headers = { Authorization: `Bearer ${accessToken}`, 'User-Agent': USER_AGENT };

  async function freshUrl(mediaId: string, signal?: AbortSignal): Promise<string> {
    // The lookup carries the bearer token: an id that could move the path is never looked up.
    if (!isNumericId(mediaId)) throw new MediaError('unavailable', 'WhatsApp media id is not a numeric Meta id');
    let response: unknown;
    try {
      response = await graph.get(`/${pathSegment(mediaId)}`, signal);
    } catch (error) {
      const transient = isTransientStatus(error instanceof GraphApiError ? error.httpStatus : undefined);
      throw new MediaError(transient ? 'download-failed' : 'unavailable', 'WhatsApp media lookup failed', transient, {
        cause: error,
      });
    }
    const parsed = whatsAppMediaUrlResponse.safeParse(response);
    if (!parsed.success) throw new MediaError('unavailable', 'WhatsApp media lookup answered without a url');
    return parsed.data.url;
  }

  return async function fetchMedia(
    attachment: Attachment,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<DownloadedMedia> {
    const { mediaId } = attachment;
    if (!attachment.url && !mediaId) throw new MediaError('unavailable', 'WhatsApp attachment has neither url nor id');
    const firstUrl = attachment.url ?? (await freshUrl(mediaId!, signal));
    try {
      return await download({ url: firstUrl, headers, maxBytes, signal });
    } catch (error) {
      if (!(error instanceof MediaUrlExpiredError) || !mediaId) throw error;
    }
    return download({ url: await freshUrl(mediaId, signal), headers, maxBytes, signal });
  };
}
