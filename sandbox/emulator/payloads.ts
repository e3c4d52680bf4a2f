import { sandboxIds, type SandboxPlatform } from './ids';

/**
 * Webhook events shaped as Meta documents them (the webhook sections of
 * src/platforms/whatsapp/NOTES.md and src/platforms/pages/NOTES.md). Each builder returns one
 * event; `deliveryBody` wraps a batch of events of one platform into the body Meta POSTs.
 */

export type WhatsAppContent =
  | { type: 'text'; text: { body: string } }
  | { type: 'interactive'; interactive: { type: 'button_reply'; button_reply: { id: string; title: string } } }
  | { type: 'image'; image: { caption?: string; mime_type: string; sha256: string; id: string } }
  | { type: 'audio'; audio: { mime_type: string; sha256: string; id: string; voice: boolean } };

/** A WhatsApp `value` object: one change of field `messages`. */
export type WhatsAppValue = Record<string, unknown>;
/** A Messenger Platform event (one item of `entry[].messaging`). */
export type PageEvent = Record<string, unknown>;

/** `messageId` is set on the user's own messages, so the page can tick them once delivered. */
export type WebhookEvent =
  | { platform: 'whatsapp'; value: WhatsAppValue; messageId?: string }
  | { platform: 'messenger' | 'instagram'; event: PageEvent; messageId?: string };

const wa = sandboxIds.whatsapp;
const metadata = { display_phone_number: wa.displayPhoneNumber, phone_number_id: wa.phoneNumberId };

/** What the user sent, as a WhatsApp message's content: text, or an image or audio by media id. */
export function whatsAppUserContent(
  input:
    | { kind: 'text'; text: string; quickReplyPayload?: string }
    | { kind: 'image' | 'audio'; caption?: string; voice?: boolean },
  media: { mimeType: string; sha256: string; id: string } | undefined,
): WhatsAppContent {
  // A tapped reply button arrives as an interactive button_reply, not as text.
  if (input.kind === 'text' && input.quickReplyPayload !== undefined) {
    const reply = { id: input.quickReplyPayload, title: input.text };
    return { type: 'interactive', interactive: { type: 'button_reply', button_reply: reply } };
  }
  if (input.kind === 'text') return { type: 'text', text: { body: input.text } };
  const file = { mime_type: media?.mimeType ?? '', sha256: media?.sha256 ?? '', id: media?.id ?? '' };
  if (input.kind === 'image')
    return { type: 'image', image: { ...(input.caption ? { caption: input.caption } : {}), ...file } };
  return { type: 'audio', audio: { ...file, voice: input.voice ?? false } };
}

export function whatsAppMessageValue(id: string, content: WhatsAppContent, nowMs: number): WhatsAppValue {
  return {
    messaging_product: 'whatsapp',
    metadata,
    contacts: [{ profile: { name: wa.userName }, wa_id: wa.userWaId }],
    messages: [{ from: wa.userWaId, id, timestamp: String(Math.floor(nowMs / 1000)), ...content }],
  };
}

export function whatsAppStatusValue(
  messageId: string,
  status: 'sent' | 'delivered' | 'read',
  nowMs: number,
): WhatsAppValue {
  return {
    messaging_product: 'whatsapp',
    metadata,
    statuses: [
      {
        id: messageId,
        status,
        timestamp: String(Math.floor(nowMs / 1000)),
        recipient_id: wa.userWaId,
        pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
      },
    ],
  };
}

export function pageIds(platform: 'messenger' | 'instagram'): { business: string; user: string } {
  return platform === 'messenger'
    ? { business: sandboxIds.messenger.pageId, user: sandboxIds.messenger.psid }
    : { business: sandboxIds.instagram.igId, user: sandboxIds.instagram.igsid };
}

export function pageMessageEvent(
  platform: 'messenger' | 'instagram',
  message: {
    mid: string;
    text?: string;
    attachments?: Array<{ type: string; payload: { url: string } }>;
    quick_reply?: { payload: string };
  },
  nowMs: number,
): PageEvent {
  const ids = pageIds(platform);
  return { sender: { id: ids.user }, recipient: { id: ids.business }, timestamp: nowMs, message };
}

/** The echo Meta sends back for a message the business sent (Messenger `message_echoes`, Instagram `messages`). */
export function pageEchoEvent(
  platform: 'messenger' | 'instagram',
  mid: string,
  content: { text: string } | { attachments: unknown[] },
  nowMs: number,
): PageEvent {
  const ids = pageIds(platform);
  return {
    sender: { id: ids.business },
    recipient: { id: ids.user },
    timestamp: nowMs,
    message: { is_echo: true, app_id: 1517776481860111, mid, ...content },
  };
}

/** A tapped postback button (field `messaging_postbacks`): the button's title and payload, and a mid. */
export function pagePostbackEvent(
  platform: 'messenger' | 'instagram',
  postback: { title: string; payload: string; mid: string },
  nowMs: number,
): PageEvent {
  const ids = pageIds(platform);
  return { sender: { id: ids.user }, recipient: { id: ids.business }, timestamp: nowMs, postback };
}

export function pageDeliveryEvent(platform: 'messenger', mid: string, nowMs: number): PageEvent {
  const ids = pageIds(platform);
  return {
    sender: { id: ids.user },
    recipient: { id: ids.business },
    timestamp: nowMs,
    delivery: { mids: [mid], watermark: nowMs },
  };
}

export function pageReadEvent(platform: 'messenger' | 'instagram', mid: string, nowMs: number): PageEvent {
  const ids = pageIds(platform);
  // Messenger reads carry a watermark; Instagram's `messaging_seen` carries the mid.
  const read = platform === 'messenger' ? { watermark: nowMs } : { mid };
  return { sender: { id: ids.user }, recipient: { id: ids.business }, timestamp: nowMs, read };
}

/** The body of one POST: a batch of events of one platform, as Meta aggregates them. */
export function deliveryBody(platform: SandboxPlatform, events: WebhookEvent[], nowMs: number): unknown {
  if (platform === 'whatsapp') {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wa.wabaId,
          changes: events.map((e) => ({ value: e.platform === 'whatsapp' ? e.value : {}, field: 'messages' })),
        },
      ],
    };
  }
  const ids = pageIds(platform);
  return {
    object: platform === 'messenger' ? 'page' : 'instagram',
    entry: [
      { id: ids.business, time: nowMs, messaging: events.map((e) => (e.platform === 'whatsapp' ? {} : e.event)) },
    ],
  };
}
