import { randomBytes } from 'node:crypto';

/**
 * Webhook bodies shaped exactly as Meta documents them (the webhook sections of
 * src/platforms/whatsapp/NOTES.md and src/platforms/pages/NOTES.md).
 */

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${Date.now()}${(sequence += 1)}`;

export const WA_PHONE_NUMBER_ID = '106540352242922';
export const PAGE_ID = '100000000000001';
export const IG_ACCOUNT_ID = '17841400000000000';

export function whatsAppText(from: string, body: string, options: { id?: string; timestamp?: number } = {}) {
  return whatsAppDelivery(
    [
      {
        from,
        id: options.id ?? nextId('wamid.TEST'),
        timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
        type: 'text',
        text: { body },
      },
    ],
    [{ profile: { name: 'Test User' }, wa_id: from }],
  );
}

export function whatsAppDelivery(messages: unknown[], contacts: unknown[] = []) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: WA_PHONE_NUMBER_ID },
              contacts,
              messages,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

/** One Messenger / Instagram delivery carrying one `messaging[]` event with its `content` (message, postback). */
function pageDelivery<Content extends object>(
  object: 'page' | 'instagram',
  sender: string,
  content: Content,
  timestamp = Date.now(),
) {
  const recipient = object === 'page' ? PAGE_ID : IG_ACCOUNT_ID;
  return {
    object,
    entry: [
      {
        id: recipient,
        time: timestamp,
        messaging: [{ sender: { id: sender }, recipient: { id: recipient }, timestamp, ...content }],
      },
    ],
  };
}

export function pageText(
  object: 'page' | 'instagram',
  sender: string,
  text: string,
  options: { mid?: string; timestamp?: number } = {},
) {
  const message: Record<string, unknown> = { mid: options.mid ?? nextId('m_TEST'), text };
  return pageDelivery(object, sender, { message }, options.timestamp);
}

/** A WhatsApp reply-button tap: `interactive.button_reply` with the id we offered. */
export function whatsAppButtonTap(from: string, id: string, title: string) {
  return whatsAppDelivery([
    {
      from,
      id: nextId('wamid.TAP'),
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id, title } },
    },
  ]);
}

/**
 * A tap on a quick-reply button of a WhatsApp template the business sent (a campaign, not this
 * bot): `type: "button"` with the button's text and the payload the template set.
 */
export function whatsAppTemplateButtonTap(from: string, payload: string, text: string) {
  return whatsAppDelivery([
    {
      context: { from: '15550783881', id: nextId('wamid.CAMPAIGN') },
      from,
      id: nextId('wamid.BUTTON'),
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'button',
      button: { payload, text },
    },
  ]);
}

/** A Messenger / Instagram quick-reply tap: the title as text, our payload in `quick_reply`. */
export function pageQuickReplyTap(object: 'page' | 'instagram', sender: string, payload: string, title: string) {
  const delivery = pageText(object, sender, title);
  const event = delivery.entry[0]!.messaging[0]! as { message: Record<string, unknown> };
  event.message.quick_reply = { payload };
  return delivery;
}

/** A WhatsApp audio (voice note) or image message as the Cloud API delivers it; `url` only when given. */
export function whatsAppMedia(
  from: string,
  kind: 'audio' | 'image',
  media: { id: string; mimeType: string; url?: string; caption?: string; voice?: boolean },
  options: { id?: string; timestamp?: number } = {},
) {
  const object: Record<string, unknown> = { id: media.id, mime_type: media.mimeType, sha256: 'fake-sha' };
  if (media.url !== undefined) object.url = media.url;
  if (media.caption !== undefined) object.caption = media.caption;
  if (kind === 'audio') object.voice = media.voice ?? true;
  return whatsAppDelivery(
    [
      {
        from,
        id: options.id ?? nextId('wamid.MEDIA'),
        timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
        type: kind,
        [kind]: object,
      },
    ],
    [{ profile: { name: 'Test User' }, wa_id: from }],
  );
}

/** A Messenger or Instagram message carrying one attachment (`payload.url` is a CDN URL). */
export function pageAttachment(
  object: 'page' | 'instagram',
  sender: string,
  type: string,
  url: string,
  options: { mid?: string; timestamp?: number; text?: string } = {},
) {
  const recipient = object === 'page' ? PAGE_ID : IG_ACCOUNT_ID;
  const timestamp = options.timestamp ?? Date.now();
  const message: Record<string, unknown> = {
    mid: options.mid ?? nextId('m_MEDIA'),
    attachments: [{ type, payload: { url } }],
  };
  if (options.text !== undefined) message.text = options.text;
  return {
    object,
    entry: [
      {
        id: recipient,
        time: timestamp,
        messaging: [{ sender: { id: sender }, recipient: { id: recipient }, timestamp, message }],
      },
    ],
  };
}

/**
 * A Messenger / Instagram postback (a template button, the persistent menu, Get Started or an ice
 * breaker): `messaging[].postback` with the button's title and payload. Instagram and newer
 * Messenger deliveries carry a `mid`; pass `mid: null` for the older shape without one.
 */
export function pagePostback(
  object: 'page' | 'instagram',
  sender: string,
  payload: string,
  title: string,
  options: { mid?: string | null; timestamp?: number } = {},
) {
  const mid = options.mid === undefined ? nextId('m_POSTBACK') : options.mid;
  return pageDelivery(
    object,
    sender,
    { postback: { title, payload, ...(mid === null ? {} : { mid }) } },
    options.timestamp,
  );
}

/** A WhatsApp message id as Meta makes them: base64 that carries the sender's phone number. */
export function realisticWamid(phone: string): string {
  const bytes = Buffer.concat([
    Buffer.from([0x1c, 0x18, phone.length]),
    Buffer.from(phone),
    Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]),
    Buffer.from(randomBytes(10).toString('hex').toUpperCase()),
    Buffer.from([0x00]),
  ]);
  return `wamid.${bytes.toString('base64')}`;
}
