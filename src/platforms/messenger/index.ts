import type { MediaDownloader, PlatformAdapter } from '../adapter';
import type { GraphClient } from '../graph-client';
import { createPageMediaFetcher } from '../pages/page-media';
import { classifyPageSendFailure } from '../pages/page-send-failure';
import { parsePageMessagingWebhook, sendPageMessage } from '../pages/page-messaging';
import { sendPageQuickReplies, sendSenderAction } from '../pages/page-actions';
import { sendPageBody } from '../pages/page-product-carousel';
import { citationButtonsBody } from '../pages/page-citations';
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

export function createMessengerAdapter({ appSecret, graph, download }: MessengerOptions): PlatformAdapter {
  return {
    platform: 'messenger',
    appSecret,
    // "Must be UTF-8 and has a 2000 character limit."
    textLimit: { max: 2000, unit: 'chars' },
    parseWebhook: (body, skipped) => parsePageMessagingWebhook(body, 'messenger', 'page', skipped),
    classifySendFailure: classifyPageSendFailure,
    sendText: (to, text, signal) => sendPageMessage(graph, to.userId, text, signal),
    markRead: (to, _messageId, signal) => sendSenderAction(graph, to.userId, 'mark_seen', signal),
    showTyping: (to, _messageId, signal) => sendSenderAction(graph, to.userId, 'typing_on', signal),
    sendChoices: (to, text, choices, signal) => sendPageQuickReplies(graph, to.userId, text, choices, signal),
    fetchMedia: createPageMediaFetcher(download),
    productMessages: (to, cards, _body, t) => {
      const carousel = messengerProductCarousel(to.userId, cards.cards, t);
      return carousel ? [carousel] : [];
    },
    citationMessages: (to, citations, t) => {
      const buttons = citationButtonsBody(to.userId, citations, t);
      return buttons ? [buttons] : [];
    },
    sendProductMessage: (to, message, signal) => sendPageBody(graph, message, signal),
    sendFile: (to, file, signal) => sendMessengerFile(graph, to, file, signal),
    userLocale: (userId, signal) => messengerUserLocale(graph, userId, signal),
  };
}
