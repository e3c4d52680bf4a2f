import type { MediaDownloader, PlatformAdapter } from '../adapter';
import type { GraphClient } from '../graph-client';
import { createPageMediaFetcher } from '../pages/page-media';
import { classifyPageSendFailure } from '../pages/page-send-failure';
import { parsePageMessagingWebhook, sendPageMessage } from '../pages/page-messaging';
import { sendPageQuickReplies, sendSenderAction } from '../pages/page-actions';
import { sendPageBody } from '../pages/page-product-carousel';
import { citationButtonsBody } from '../pages/page-citations';
import { instagramProductCarousel } from './product-carousel';

export interface InstagramOptions {
  /** Instagram-Login apps sign with the Instagram app secret; Page-login apps with the Meta one */
  appSecret: string;
  /** a client for graph.instagram.com carrying the Instagram access token */
  graph: GraphClient;
  /** the shared downloader for attachment URLs */
  download: MediaDownloader;
}

export function createInstagramAdapter({ appSecret, graph, download }: InstagramOptions): PlatformAdapter {
  return {
    platform: 'instagram',
    appSecret,
    // "Message text must be UTF-8 and be 1000 bytes or less": bytes, not characters.
    textLimit: { max: 1000, unit: 'bytes' },
    parseWebhook: (body, skipped) => parsePageMessagingWebhook(body, 'instagram', 'instagram', skipped),
    classifySendFailure: classifyPageSendFailure,
    sendText: (to, text, signal) => sendPageMessage(graph, to.userId, text, signal),
    markRead: (to, _messageId, signal) => sendSenderAction(graph, to.userId, 'mark_seen', signal),
    showTyping: (to, _messageId, signal) => sendSenderAction(graph, to.userId, 'typing_on', signal),
    sendChoices: (to, text, choices, signal) => sendPageQuickReplies(graph, to.userId, text, choices, signal),
    fetchMedia: createPageMediaFetcher(download),
    productMessages: (to, cards, _body, t) => {
      const carousel = instagramProductCarousel(to.userId, cards.cards, t);
      return carousel ? [carousel] : [];
    },
    citationMessages: (to, citations, t) => {
      const buttons = citationButtonsBody(to.userId, citations, t);
      return buttons ? [buttons] : [];
    },
    sendProductMessage: (to, message, signal) => sendPageBody(graph, message, signal),
  };
}
