import type { MediaDownloader, PlatformAdapter } from '../adapter';
import type { GraphClient } from '../graph-client';
import { createPageAdapter } from '../pages/page-adapter';
import { messengerProductCarousel } from './product-carousel';
import { sendMessengerFile } from './file-attachment';
import { messengerUserLocale } from './user-locale';

export interface MessengerOptions {
  appSecret: string;
  /** a client for graph.facebook.com carrying the Page access token */
  graph: GraphClient;
  /** the shared downloader for attachment URLs */
  download: MediaDownloader;
}

/** Messenger: what it shares with Instagram is in pages/; its own quirks are in NOTES.md here. */
export function createMessengerAdapter({ appSecret, graph, download }: MessengerOptions): PlatformAdapter {
  return createPageAdapter({
    platform: 'messenger',
    webhookObject: 'page',
    appSecret,
    graph,
    download,
    // "Must be UTF-8 and has a 2000 character limit."
    textLimit: { max: 2000, unit: 'chars' },
    productCarousel: messengerProductCarousel,
    sendFile: sendMessengerFile,
    userLocale: messengerUserLocale,
  });
}
