import { z } from 'zod';
import type { Attachment, InboundMessage, Platform } from '../core/inbound';
import { WebhookPayloadError } from './adapter';
import type { GraphClient } from './graph-client';

/**
 * Messenger (`object: "page"`) and Instagram (`object: "instagram"`) deliver the same Messenger
 * Platform event shape: `entry[].messaging[]` with sender, recipient and a millisecond timestamp.
 * Both send through `/me/messages`. This module holds what the two share; each adapter folder
 * holds what differs (object name, limits, host, quirks).
 */

const attachment = z.looseObject({
  type: z.string(),
  payload: z.looseObject({ url: z.string().optional(), sticker_id: z.unknown().optional() }).nullish(),
});

// Empty ids would make a job no worker can accept: such an event is skipped, not enqueued.
const event = z.looseObject({
  sender: z.looseObject({ id: z.string().min(1) }),
  recipient: z.looseObject({ id: z.string() }).optional(),
  timestamp: z.number().optional(),
  message: z
    .looseObject({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      is_deleted: z.boolean().optional(),
      is_unsupported: z.boolean().optional(),
      attachments: z.array(attachment).optional(),
      quick_reply: z.looseObject({ payload: z.string() }).optional(),
      reply_to: z.looseObject({ mid: z.string().optional() }).optional(),
    })
    .optional(),
});

const delivery = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      // `standby` carries events for threads another app controls (handover): never answered.
      messaging: z.array(z.unknown()).optional(),
    }),
  ),
});

type MessageEvent = NonNullable<z.infer<typeof event>['message']>;

function readableAttachment(a: z.infer<typeof attachment>): Attachment | undefined {
  const url = a.payload?.url;
  if (!url) return undefined;
  // During Meta's sticker transition a sticker also arrives as `image` with a sticker_id.
  if (a.type === 'image' && a.payload?.sticker_id === undefined) return { kind: 'image', url };
  if (a.type === 'audio') return { kind: 'audio', url };
  return undefined;
}

function contentOf(m: MessageEvent): Pick<InboundMessage, 'text' | 'attachments' | 'unsupported' | 'payload'> {
  const attachments = (m.attachments ?? []).map(readableAttachment).filter((a): a is Attachment => !!a);
  const text = m.text?.trim() ? m.text : undefined;
  const payload = m.quick_reply?.payload;
  if (text || attachments.length > 0) return { text, attachments, payload };
  const first = m.attachments?.[0];
  const unsupported = m.is_unsupported
    ? 'unsupported'
    : first?.payload?.sticker_id !== undefined
      ? 'sticker'
      : first?.type;
  return { attachments: [], unsupported: unsupported ?? 'empty' };
}

export function parsePageMessagingWebhook(body: unknown, platform: Platform, object: string): InboundMessage[] {
  const parsed = delivery.safeParse(body);
  if (!parsed.success || parsed.data.object !== object) {
    throw new WebhookPayloadError(`not a ${platform} delivery`, { cause: parsed.error });
  }
  const inbound: InboundMessage[] = [];
  for (const entry of parsed.data.entry) {
    for (const raw of entry.messaging ?? []) {
      const e = event.safeParse(raw);
      // Deliveries, reads, reactions, postbacks, referrals: acknowledged, not answered.
      if (!e.success || !e.data.message) continue;
      const m = e.data.message;
      // Echoes are our own sends coming back: answering them would loop forever.
      if (m.is_echo || m.is_deleted) continue;
      const channelId = e.data.recipient?.id ?? entry.id;
      if (!channelId) continue;
      inbound.push({
        platform,
        id: m.mid,
        channelId,
        userId: e.data.sender.id,
        // A missing, negative or fractional stamp would make an invalid job: use the arrival time.
        timestamp: Number.isSafeInteger(e.data.timestamp) && e.data.timestamp! >= 0 ? e.data.timestamp! : Date.now(),
        replyToId: m.reply_to?.mid,
        ...contentOf(m),
      });
    }
  }
  return inbound;
}

/** Send API call shared by Messenger and Instagram: `POST /me/messages`. */
export async function sendPageMessage(
  graph: GraphClient,
  recipientId: string,
  text: string,
  signal?: AbortSignal,
): Promise<{ messageId: string | undefined }> {
  const body = { recipient: { id: recipientId }, messaging_type: 'RESPONSE', message: { text } };
  const response = (await graph.post('/me/messages', body, signal)) as { message_id?: string };
  return { messageId: response?.message_id };
}
