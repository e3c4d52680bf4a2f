import type { MediaDownloader, PlatformAdapter } from '../adapter';
import type { GraphClient } from '../graph-client';
import { createPageAdapter } from '../pages/page-adapter';
import { instagramProductCarousel } from './product-carousel';

export interface InstagramOptions {
  /** Instagram-Login apps sign with the Instagram app secret; Page-login apps with the Meta one */
  appSecret: string;
  /** a client for graph.instagram.com carrying the Instagram access token */
  graph: GraphClient;
  /** the shared downloader for attachment URLs */
  download: MediaDownloader;
}

/**
 * Instagram: what it shares with Messenger is in pages/; its own quirks are in NOTES.md here. No
 * file sends (Instagram takes a file only as a PDF) and no locale lookup (its profile API has none).
 */
export function createInstagramAdapter({ appSecret, graph, download }: InstagramOptions): PlatformAdapter {
  return createPageAdapter({
    platform: 'instagram',
    webhookObject: 'instagram',
    appSecret,
    graph,
    download,
    // "Message text must be UTF-8 and be 1000 bytes or less": bytes, not characters.
    textLimit: { max: 1000, unit: 'bytes' },
    productCarousel: instagramProductCarousel,
  });
}
