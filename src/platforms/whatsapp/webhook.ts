import { z } from 'zod';
import type { Attachment, InboundMessage } from '../../core/inbound';
import { WebhookPayloadError } from '../adapter';

/**
 * WhatsApp Cloud API deliveries: `entry[].changes[].value` with `messages`, `statuses` or
 * `errors`. Schemas are loose: Meta adds fields without notice, and a delivery we refuse is
 * redelivered for days and can get the webhook disabled. Only what we use is checked.
 */

const media = z.looseObject({
  id: z.string().optional(),
  url: z.string().optional(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  voice: z.boolean().optional(),
});

// Empty ids would make a job no worker can accept: such a message is skipped, not enqueued.
const message = z.looseObject({
  id: z.string().min(1),
  from: z.string().optional(),
  /** business-scoped user id: set when the user is known by username, `from` may then be "" */
  from_user_id: z.string().optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: media.optional(),
  audio: media.optional(),
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  interactive: z
    .looseObject({
      type: z.string().optional(),
      button_reply: z.looseObject({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string().optional() }).optional(),
    })
    .optional(),
  unsupported: z.looseObject({ type: z.string().optional() }).optional(),
  context: z.looseObject({ id: z.string().optional() }).optional(),
});

const contact = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});

const value = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().min(1) }).optional(),
  contacts: z.array(contact).optional(),
  messages: z.array(z.unknown()).optional(),
});

const delivery = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      changes: z.array(z.looseObject({ field: z.string().optional(), value: z.unknown() })).default([]),
    }),
  ),
});

type WaMessage = z.infer<typeof message>;
type WaContact = z.infer<typeof contact>;

/** Events that are part of the conversation but need no answer. */
const SILENT_TYPES = new Set(['reaction', 'system', 'revoke', 'edit', 'request_welcome', 'ephemeral']);

function toAttachment(kind: Attachment['kind'], m: z.infer<typeof media>): Attachment {
  return { kind, mediaId: m.id, url: m.url, mimeType: m.mime_type, voice: m.voice };
}

function timestampMs(raw: string | number | undefined): number {
  const seconds = Number(raw);
  const ms = Math.round(seconds * 1000);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : Date.now();
}

function contentOf(m: WaMessage): Pick<InboundMessage, 'text' | 'attachments' | 'unsupported' | 'payload'> {
  switch (m.type) {
    case 'text':
      return { text: m.text?.body, attachments: [] };
    case 'image':
      return m.image
        ? { text: m.image.caption, attachments: [toAttachment('image', m.image)] }
        : { attachments: [], unsupported: 'image' };
    case 'audio':
      return m.audio ? { attachments: [toAttachment('audio', m.audio)] } : { attachments: [], unsupported: 'audio' };
    case 'button':
      return { text: m.button?.text, payload: m.button?.payload, attachments: [] };
    case 'interactive': {
      const choice = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return choice
        ? { text: choice.title, payload: choice.id, attachments: [] }
        : { attachments: [], unsupported: 'interactive' };
    }
    case 'unsupported':
      return { attachments: [], unsupported: m.unsupported?.type ?? 'unsupported' };
    default:
      // video, document, sticker, location, contacts, order and whatever Meta adds next
      return { attachments: [], unsupported: m.type };
  }
}

function nameFor(userId: string, contacts: WaContact[] | undefined): string | undefined {
  const match = contacts?.find((c) => c.wa_id === userId || c.user_id === userId) ?? contacts?.[0];
  return match?.profile?.name;
}

export function parseWhatsAppWebhook(body: unknown): InboundMessage[] {
  const parsed = delivery.safeParse(body);
  if (!parsed.success)
    throw new WebhookPayloadError('not a WhatsApp Business Account delivery', { cause: parsed.error });
  const inbound: InboundMessage[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== undefined && change.field !== 'messages') continue;
      const v = value.safeParse(change.value);
      if (!v.success || !v.data.metadata) continue;
      const channelId = v.data.metadata.phone_number_id;
      for (const raw of v.data.messages ?? []) {
        const m = message.safeParse(raw);
        if (!m.success || SILENT_TYPES.has(m.data.type)) continue;
        // A user who adopted a username may arrive with `from: ""` and only a business-scoped id.
        const userId = m.data.from || m.data.from_user_id;
        if (!userId) continue;
        const content = contentOf(m.data);
        inbound.push({
          platform: 'whatsapp',
          id: m.data.id,
          channelId,
          userId,
          userName: nameFor(userId, v.data.contacts),
          timestamp: timestampMs(m.data.timestamp),
          replyToId: m.data.context?.id,
          ...content,
        });
      }
    }
  }
  return inbound;
}
