import { z } from 'zod';
import type { Attachment, InboundMessage } from '../../core/inbound';
import { WebhookPayloadError, type SkipReport } from '../adapter';
import { isBusinessScopedUserId, isNumericId } from '../platform-ids';
import { orderOf, waOrder } from './order';
import { CONTROL_FIELDS, readControlChange } from './control-events';
import { CONTENT_FIELDS, sharedContent, waLocation } from './shared-content';
import { ignoreSkips, kindName, readPart, reportDroppedFields, stampOrArrival, tolerant } from '../webhook-reading';

/**
 * WhatsApp Cloud API deliveries: `entry[].changes[].value` with `messages`, `statuses` or
 * `errors`. Schemas are loose: Meta adds fields without notice, and a delivery we refuse is
 * redelivered for days and can get the webhook disabled. Only what we use is checked, and each
 * change, message and contact is read on its own (see webhook-reading.ts).
 */

const media = z.looseObject({
  id: tolerant(z.string()),
  url: tolerant(z.string()),
  mime_type: tolerant(z.string()),
  caption: tolerant(z.string()),
  voice: tolerant(z.boolean()),
  filename: tolerant(z.string()),
});

const OPTIONAL_FIELDS = [
  'from',
  'from_user_id',
  'text',
  'button',
  'interactive',
  'context',
  'order',
  ...CONTENT_FIELDS,
];

// Empty ids would make a job no worker can accept: such a message is skipped, not enqueued.
const message = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  from: tolerant(z.string()),
  /** business-scoped user id: set when the user is known by username, `from` may then be "" */
  from_user_id: tolerant(z.string()),
  timestamp: z.unknown().optional(),
  text: tolerant(z.looseObject({ body: z.string() })),
  image: tolerant(media),
  audio: tolerant(media),
  document: tolerant(media),
  video: tolerant(media),
  sticker: tolerant(media),
  location: tolerant(waLocation),
  reaction: tolerant(z.looseObject({ message_id: tolerant(z.string()), emoji: tolerant(z.string()) })),
  contacts: tolerant(z.array(z.unknown())),
  button: tolerant(z.looseObject({ text: tolerant(z.string()), payload: tolerant(z.string()) })),
  interactive: tolerant(
    z.looseObject({
      type: tolerant(z.string()),
      button_reply: tolerant(z.looseObject({ id: z.string(), title: tolerant(z.string()) })),
      list_reply: tolerant(z.looseObject({ id: z.string(), title: tolerant(z.string()) })),
    }),
  ),
  unsupported: tolerant(z.looseObject({ type: tolerant(z.string()) })),
  context: tolerant(
    z.looseObject({
      id: tolerant(z.string()),
      referred_product: tolerant(
        z.looseObject({ catalog_id: tolerant(z.string()), product_retailer_id: z.string().min(1) }),
      ),
    }),
  ),
  order: tolerant(waOrder),
});

const contact = z.looseObject({
  wa_id: tolerant(z.string()),
  user_id: tolerant(z.string()),
  profile: tolerant(z.looseObject({ name: tolerant(z.string()) })),
});

const value = z.looseObject({
  metadata: tolerant(z.looseObject({ phone_number_id: z.string() })),
  contacts: tolerant(z.array(z.unknown())),
  messages: tolerant(z.array(z.unknown())),
});

const change = z.looseObject({ field: tolerant(z.string()), value: z.unknown().optional() });
const entry = z.looseObject({ changes: tolerant(z.array(z.unknown())) });
const delivery = z.looseObject({ object: z.literal('whatsapp_business_account'), entry: z.array(z.unknown()) });

type WaMessage = z.infer<typeof message>;
type Content = Pick<
  InboundMessage,
  'text' | 'attachments' | 'unsupported' | 'payload' | 'order' | 'location' | 'reaction' | 'contactCards'
>;
type WaContact = z.infer<typeof contact>;

/** Events that are part of the conversation but need no answer. (A reaction is read: it is feedback.) */
const SILENT_TYPES = new Set(['system', 'revoke', 'edit', 'request_welcome', 'ephemeral']);

function toAttachment(
  kind: 'audio' | 'image' | 'document' | 'video',
  m: z.infer<typeof media>,
  element: string,
  skipped: SkipReport,
): Attachment | undefined {
  if (m.id !== undefined && !isNumericId(m.id)) {
    skipped({ element: `${element}.id`, reason: 'media id is not a numeric Meta id' });
    return undefined;
  }
  if (m.id === undefined && m.url === undefined) {
    skipped({ element, reason: 'media has neither id nor url' });
    return undefined;
  }
  const fileName = kind === 'document' ? m.filename : undefined;
  return { kind, mediaId: m.id, url: m.url, mimeType: m.mime_type, voice: m.voice, ...(fileName ? { fileName } : {}) };
}

function mediaContent(
  kind: 'audio' | 'image' | 'document' | 'video',
  m: WaMessage,
  element: string,
  skipped: SkipReport,
): Content {
  const part = m[kind];
  const attachment = part ? toAttachment(kind, part, `${element}.${kind}`, skipped) : undefined;
  if (!attachment) return { attachments: [], unsupported: kind };
  return { text: kind === 'audio' ? undefined : part?.caption, attachments: [attachment] };
}

function contentOf(m: WaMessage, element: string, skipped: SkipReport): Content {
  switch (m.type) {
    case 'text':
      return m.text ? { text: m.text.body, attachments: [] } : { attachments: [], unsupported: 'text' };
    case 'image':
    case 'audio':
    case 'document':
    case 'video':
      return mediaContent(m.type, m, element, skipped);
    case 'button':
      return { text: m.button?.text, payload: m.button?.payload, attachments: [] };
    case 'interactive': {
      const choice = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return choice
        ? { text: choice.title, payload: choice.id, attachments: [] }
        : { attachments: [], unsupported: 'interactive' };
    }
    case 'order':
      return m.order ? { attachments: [], order: orderOf(m.order) } : { attachments: [], unsupported: 'order' };
    case 'sticker':
    case 'location':
    case 'reaction':
    case 'contacts':
      return sharedContent(m, element, skipped);
    case 'unsupported':
      return { attachments: [], unsupported: kindName(m.unsupported?.type) ?? 'unsupported' };
    default:
      // video, document, sticker, location, contacts and whatever Meta adds next
      return { attachments: [], unsupported: kindName(m.type) };
  }
}

/**
 * Who wrote: `from` (a phone number), else `from_user_id` (a username user's BSUID), else the
 * delivery's only contact. Refused (undefined) when that id is not of its documented shape.
 */
function senderOf(m: WaMessage, contacts: WaContact[]): { id: string; valid: boolean } | undefined {
  if (m.from) return { id: m.from, valid: isNumericId(m.from) };
  if (m.from_user_id) return { id: m.from_user_id, valid: isBusinessScopedUserId(m.from_user_id) };
  const only = contacts.length === 1 ? contacts[0] : undefined;
  if (only?.wa_id) return { id: only.wa_id, valid: isNumericId(only.wa_id) };
  if (only?.user_id) return { id: only.user_id, valid: isBusinessScopedUserId(only.user_id) };
  return undefined;
}

function nameFor(userId: string, contacts: WaContact[]): string | undefined {
  const match = contacts.find((c) => c.wa_id === userId || c.user_id === userId) ?? contacts[0];
  return match?.profile?.name;
}

function timestampMs(raw: unknown, element: string, skipped: SkipReport): number {
  const seconds = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : NaN;
  return stampOrArrival(Math.round(seconds * 1000), raw, element, skipped);
}

function readMessage(
  raw: unknown,
  element: string,
  channelId: string,
  contacts: WaContact[],
  skipped: SkipReport,
): InboundMessage | undefined {
  const m = readPart(message, raw, element, skipped);
  if (!m || SILENT_TYPES.has(m.type)) return undefined;
  reportDroppedFields(raw, m, OPTIONAL_FIELDS, element, skipped);
  const sender = senderOf(m, contacts);
  if (!sender?.valid) {
    skipped({ element, reason: sender ? 'sender id has an unexpected shape' : 'no sender id' });
    return undefined;
  }
  return {
    platform: 'whatsapp',
    id: m.id,
    channelId,
    userId: sender.id,
    userName: nameFor(sender.id, contacts),
    timestamp: timestampMs(m.timestamp, `${element}.timestamp`, skipped),
    replyToId: m.context?.id,
    ...(m.context?.referred_product
      ? {
          referredProduct: {
            catalogId: m.context.referred_product.catalog_id,
            productRetailerId: m.context.referred_product.product_retailer_id,
          },
        }
      : {}),
    ...contentOf(m, element, skipped),
  };
}

function readChange(raw: unknown, element: string, skipped: SkipReport): InboundMessage[] {
  const c = readPart(change, raw, element, skipped);
  if (c?.field && CONTROL_FIELDS.has(c.field)) return readControlChange(c.field, c.value, element, skipped);
  if (!c || (c.field !== undefined && c.field !== 'messages')) return [];
  const v = readPart(value, c.value, `${element}.value`, skipped);
  if (!v?.messages?.length) return [];
  const channelId = v.metadata?.phone_number_id;
  if (channelId === undefined || !isNumericId(channelId)) {
    skipped({ element: `${element}.value.metadata.phone_number_id`, reason: 'missing or not a numeric Meta id' });
    return [];
  }
  const contacts = (v.contacts ?? []).flatMap<WaContact>(
    (rawContact, i) => readPart(contact, rawContact, `${element}.value.contacts[${i}]`, skipped) ?? [],
  );
  return v.messages.flatMap(
    (rawMessage, i) => readMessage(rawMessage, `${element}.value.messages[${i}]`, channelId, contacts, skipped) ?? [],
  );
}

export function parseWhatsAppWebhook(body: unknown, skipped: SkipReport = ignoreSkips): InboundMessage[] {
  const parsed = delivery.safeParse(body);
  if (!parsed.success)
    throw new WebhookPayloadError('not a WhatsApp Business Account delivery', { cause: parsed.error });
  return parsed.data.entry.flatMap((rawEntry, i) => {
    const e = readPart(entry, rawEntry, `entry[${i}]`, skipped);
    return (e?.changes ?? []).flatMap((rawChange, j) => readChange(rawChange, `entry[${i}].changes[${j}]`, skipped));
  });
}
