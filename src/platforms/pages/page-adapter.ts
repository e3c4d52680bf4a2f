import type { Platform } from '../../core/inbound';
import type { ProductCard } from '../../core/product-card';
import type { TextLimit } from '../../core/split';
import type { Translator } from '../../i18n/translator';
import type { MediaDownloader, OutgoingFile, PlatformAdapter, ReplyAddress, SentMessage } from '../adapter';
import type { GraphClient } from '../graph-client';
import { createPageMediaFetcher } from './page-media';
import { classifyPageSendFailure } from './page-send-failure';
import { parsePageMessagingWebhook } from './page-messaging';
import { sendPageQuickReplies, sendSenderAction } from './page-actions';
import { sendPageBody, sendPageMessage } from './page-send';
import { citationButtonsBody } from './page-citations';

/**
 * What a Messenger Platform app differs in (Messenger, Instagram): everything else, from the
 * webhook's event shape to `POST /me/messages`, sender actions, quick replies, button templates,
 * media URLs and the reading of Graph's codes, is the same code for both (pages/NOTES.md).
 */
export interface PageAdapterOptions {
  platform: Extract<Platform, 'messenger' | 'instagram'>;
  /** the `object` of this platform's webhook deliveries: `page` or `instagram` */
  webhookObject: string;
  /** the secret that signs this platform's webhooks */
  appSecret: string;
  /** a client for this platform's Graph host carrying its access token */
  graph: GraphClient;
  /** the shared downloader for attachment URLs */
  download: MediaDownloader;
  textLimit: TextLimit;
  /** the Send API body that shows product cards, null when there is nothing to show */
  productCarousel: (recipientId: string, cards: ProductCard[], t?: Translator) => Record<string, unknown> | null;
  /** sends a file into the thread; absent where the platform takes none */
  sendFile?: (graph: GraphClient, to: ReplyAddress, file: OutgoingFile, signal?: AbortSignal) => Promise<SentMessage>;
  /** the locale the person set in the app; absent where the platform does not tell it */
  userLocale?: (graph: GraphClient, userId: string, signal?: AbortSignal) => Promise<string | undefined>;
}

export function createPageAdapter(options: PageAdapterOptions): PlatformAdapter {
  const { platform, webhookObject, graph, productCarousel, sendFile, userLocale } = options;
  return {
    platform,
    appSecret: options.appSecret,
    textLimit: options.textLimit,
    parseWebhook: (body, skipped) => parsePageMessagingWebhook(body, platform, webhookObject, skipped),
    classifySendFailure: classifyPageSendFailure,
    sendText: (to, text, signal, tag) => sendPageMessage(graph, to.userId, text, signal, tag),
    markRead: (to, _messageId, signal) => sendSenderAction(graph, to.userId, 'mark_seen', signal),
    showTyping: (to, _messageId, signal) => sendSenderAction(graph, to.userId, 'typing_on', signal),
    sendChoices: (to, text, choices, signal) => sendPageQuickReplies(graph, to.userId, text, choices, signal),
    fetchMedia: createPageMediaFetcher(options.download),
    productMessages: (to, cards, _body, t) => {
      const carousel = productCarousel(to.userId, cards.cards, t);
      return carousel ? [carousel] : [];
    },
    citationMessages: (to, citations, t) => {
      const buttons = citationButtonsBody(to.userId, citations, t);
      return buttons ? [buttons] : [];
    },
    sendProductMessage: (_to, message, signal) => sendPageBody(graph, message, signal),
    // A capability the platform lacks is left out of the adapter, not set to undefined.
    ...(sendFile
      ? { sendFile: (to: ReplyAddress, file: OutgoingFile, signal?: AbortSignal) => sendFile(graph, to, file, signal) }
      : {}),
    ...(userLocale ? { userLocale: (userId: string, signal?: AbortSignal) => userLocale(graph, userId, signal) } : {}),
  };
}
