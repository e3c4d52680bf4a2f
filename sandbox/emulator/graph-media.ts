import type { GraphApiContext } from './graph-api';
import { graphError, type GraphReply } from './graph-reply';
import type { SandboxPlatform } from './ids';
import { MediaStore } from './media-store';

/**
 * Media as Graph serves it: WhatsApp `GET /{v}/{media-id}` and the download URL it returns (bearer
 * token, expires after five minutes), and the no-token CDN URLs Messenger and Instagram put in
 * webhooks.
 */

const MEDIA_URL_TTL_MS = 5 * 60 * 1000;

export function createMediaRoutes(ctx: Pick<GraphApiContext, 'tokens' | 'media' | 'log' | 'baseUrl' | 'urlSecret'>) {
  function mediaLookup(token: string | undefined, mediaId: string): GraphReply {
    if (token !== ctx.tokens.whatsapp) return graphError(401, 190, 'Invalid OAuth access token');
    const media = ctx.media.get(mediaId);
    if (!media)
      return graphError(400, 100, `Unsupported get request. Object with ID '${mediaId}' does not exist.`, {
        error_subcode: 33,
      });
    const expires = Date.now() + MEDIA_URL_TTL_MS;
    const url = `${ctx.baseUrl()}/whatsapp_business/attachments/?mid=${media.id}&ext=${expires}&hash=${MediaStore.urlHash(media.id, expires, ctx.urlSecret)}`;
    ctx.log.log('whatsapp', 'graph', `media lookup ${mediaId} (${media.mimeType}, ${media.bytes.length} bytes)`);
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        url,
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: media.bytes.length,
        id: media.id,
      },
    };
  }

  /** Signed, expiring URLs: a wrong hash or an old URL answers 404, as Meta's CDN does. */
  function mediaBytes(url: URL, token: string | undefined, needsToken: boolean): GraphReply {
    const id = url.searchParams.get('mid') ?? '';
    const expires = Number(url.searchParams.get('ext'));
    const hash = url.searchParams.get('hash') ?? '';
    if (needsToken && token !== ctx.tokens.whatsapp) return graphError(401, 190, 'Invalid OAuth access token');
    const media = ctx.media.get(id);
    if (!media || hash !== MediaStore.urlHash(id, expires, ctx.urlSecret) || !(expires > Date.now())) {
      return { status: 404, body: { error: 'URL signature expired or media not found' } };
    }
    const platform: SandboxPlatform | 'system' = needsToken ? 'whatsapp' : 'system';
    ctx.log.log(platform, 'graph', `media download ${id} (${media.bytes.length} bytes)`);
    return { status: 200, bytes: { data: media.bytes, mimeType: media.mimeType } };
  }

  return { mediaLookup, mediaBytes };
}

/** A CDN URL for Messenger/Instagram attachments: no token, signed, valid for a day. */
export function cdnUrl(baseUrl: string, mediaId: string, urlSecret: string): string {
  const expires = Date.now() + 24 * 3600 * 1000;
  return `${baseUrl}/cdn/attachments/?mid=${mediaId}&ext=${expires}&hash=${MediaStore.urlHash(mediaId, expires, urlSecret)}`;
}
