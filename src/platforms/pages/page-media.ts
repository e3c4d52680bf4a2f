import type { Attachment } from '../../core/inbound';
import type { DownloadedMedia } from '../../media/download';
import { MediaError } from '../../media/errors';
import type { MediaDownloader } from '../adapter';

/**
 * Messenger and Instagram media: the webhook's `payload.url` is a signed CDN URL that needs no
 * token (so none is sent). It expires after a while; there is no way to renew it, so an expired
 * one is reported as unavailable.
 */
export function createPageMediaFetcher(download: MediaDownloader) {
  return async function fetchMedia(
    attachment: Attachment,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<DownloadedMedia> {
    if (!attachment.url) throw new MediaError('unavailable', 'attachment has no url');
    return download({ url: attachment.url, maxBytes, signal });
  };
}
