import type { MediaDownloader, PlatformAdapter, ReplyAddress, SentMessage } from '../adapter';
import { pathSegment, type GraphClient } from '../graph-client';
import { whatsAppMessageId } from '../graph-responses';
import { createWhatsAppMediaFetcher } from './media';
import { classifyWhatsAppSendFailure } from './send-failure';
import { parseWhatsAppWebhook } from './webhook';
import { markWhatsAppRead, sendWhatsAppButtons, showWhatsAppTyping } from './interactive';
import { whatsAppProductMessages } from './product-messages';
import { whatsAppCitationMessages } from './citation-messages';
import { sendWhatsAppDocument } from './document';
import { whatsAppTemplateMessage } from './template';

export interface WhatsAppOptions {
  appSecret: string;
  graph: GraphClient;
  /** media downloads: the bearer token and the shared downloader */
  media: { accessToken: string; download: MediaDownloader };
}

/** WhatsApp Cloud API: sends go to /{version}/{phone_number_id}/messages with a bearer token. */
export function createWhatsAppAdapter({ appSecret, graph, media }: WhatsAppOptions): PlatformAdapter {
  return {
    platform: 'whatsapp',
    appSecret,
    textLimit: { max: 4096, unit: 'chars' },
    parseWebhook: parseWhatsAppWebhook,
    classifySendFailure: classifyWhatsAppSendFailure,
    async sendText(to: ReplyAddress, text: string, signal?: AbortSignal): Promise<SentMessage> {
      const body = {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        // Phone number or business-scoped user id: the Cloud API accepts either in `to`.
        to: to.userId,
        type: 'text',
        text: { preview_url: false, body: text },
      };
      const response = await graph.post(`/${pathSegment(to.channelId)}/messages`, body, signal);
      return { messageId: whatsAppMessageId(response) };
    },
    markRead: (to, messageId, signal) => markWhatsAppRead(graph, to, messageId, signal),
    showTyping: (to, messageId, signal) => showWhatsAppTyping(graph, to, messageId, signal),
    typingMarksRead: true,
    sendChoices: (to, text, choices, signal) => sendWhatsAppButtons(graph, to, text, choices, signal),
    fetchMedia: createWhatsAppMediaFetcher({ graph, ...media }),
    productMessages: (to, cards, body, t) => whatsAppProductMessages(to.userId, cards, body, t),
    citationMessages: (to, citations, t) => whatsAppCitationMessages(to.userId, citations, t),
    templateMessage: (to, template, parameters) => whatsAppTemplateMessage(to.userId, template, parameters),
    async sendProductMessage(to, message, signal) {
      const response = await graph.post(`/${pathSegment(to.channelId)}/messages`, message, signal);
      return { messageId: whatsAppMessageId(response) };
    },
    sendFile: (to, file, signal) => sendWhatsAppDocument(graph, to, file, signal),
  };
}
