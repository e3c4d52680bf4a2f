import { z } from 'zod';
import type { Control, InboundMessage } from '../../core/inbound';
import type { SkipReport } from '../adapter';
import { isBusinessScopedUserId, isNumericId } from '../platform-ids';
import { readPart, stampOrArrival, tolerant } from '../webhook-reading';

/**
 * Who answers a WhatsApp conversation, read from two webhook fields besides `messages`:
 * - `smb_message_echoes` (coexistence): a message the business sent from the WhatsApp Business
 *   app or a linked device, in `value.message_echoes[]` with `from` the business's number and
 *   `to` the person (`to_user_id` their business-scoped id). The assistant steps aside as if
 *   handed off: `business-echo`. A revoke or an edit of an earlier message produces nothing.
 * - `messaging_handovers` (Conversation Routing): `value.type` names the object present beside
 *   it: `control_passed` is delivered to the new owner (the thread came to us: `given-back`),
 *   `control_taken` to the previous one (the escalation partner took it: `taken`). A release
 *   sends no event. The person is looked for in the object (`wa_id`, `user_id`, `to`,
 *   `recipient`), then in `value.contacts`, the places Cloud API deliveries name a user.
 * Each becomes an InboundMessage with `control` set; the turn never answers it.
 */

export const CONTROL_FIELDS = new Set(['smb_message_echoes', 'messaging_handovers']);

const ECHOES_OF_EARLIER = new Set(['revoke', 'edit']);

const value = z.looseObject({
  metadata: tolerant(z.looseObject({ phone_number_id: z.string() })),
  contacts: tolerant(z.array(z.looseObject({ wa_id: tolerant(z.string()), user_id: tolerant(z.string()) }))),
  message_echoes: tolerant(z.array(z.unknown())),
  type: tolerant(z.string()),
  timestamp: z.unknown().optional(),
});

const echo = z.looseObject({
  id: z.string().min(1),
  to: tolerant(z.string()),
  /** the person's business-scoped user id, beside or instead of the phone number */
  to_user_id: tolerant(z.string()),
  type: tolerant(z.string()),
  timestamp: z.unknown().optional(),
  text: tolerant(z.looseObject({ body: z.string() })),
});

const handover = z.looseObject({
  wa_id: tolerant(z.string()),
  user_id: tolerant(z.string()),
  to: tolerant(z.string()),
  recipient: tolerant(z.union([z.string(), z.looseObject({ id: z.string() })])),
  metadata: tolerant(z.string()),
  timestamp: z.unknown().optional(),
});

const validUser = (id: string | undefined) =>
  id !== undefined && (isNumericId(id) || isBusinessScopedUserId(id)) ? id : undefined;

const timestampMs = (raw: unknown, element: string, skipped: SkipReport) => {
  const seconds = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : NaN;
  return stampOrArrival(Math.round(seconds * 1000), raw, element, skipped);
};

function readEcho(raw: unknown, element: string, channelId: string, skipped: SkipReport): InboundMessage | undefined {
  const m = readPart(echo, raw, element, skipped);
  // Revoking or editing a message the business already sent (and was echoed) says nothing new.
  if (!m || (m.type !== undefined && ECHOES_OF_EARLIER.has(m.type))) return undefined;
  const userId = validUser(m.to) ?? validUser(m.to_user_id);
  if (!userId) {
    skipped({ element: `${element}.to`, reason: 'not a WhatsApp user id' });
    return undefined;
  }
  const control: Control = { kind: 'business-echo', via: 'echo', ...(m.text ? { businessText: m.text.body } : {}) };
  const timestamp = timestampMs(m.timestamp, `${element}.timestamp`, skipped);
  return { platform: 'whatsapp', id: `echo-${m.id}`, channelId, userId, timestamp, attachments: [], control };
}

function readHandover(
  v: z.infer<typeof value>,
  rawValue: Record<string, unknown>,
  element: string,
  channelId: string,
  skipped: SkipReport,
): InboundMessage | undefined {
  if (v.type !== 'control_passed' && v.type !== 'control_taken') {
    skipped({ element: `${element}.type`, reason: 'not a handover this app reads' });
    return undefined;
  }
  const h = readPart(handover, rawValue[v.type], `${element}.${v.type}`, skipped);
  if (!h) return undefined;
  const recipient = typeof h.recipient === 'string' ? h.recipient : h.recipient?.id;
  const contact = v.contacts?.[0];
  const userId = [h.wa_id, h.user_id, h.to, recipient, contact?.wa_id, contact?.user_id].map(validUser).find(Boolean);
  if (!userId) {
    skipped({ element: `${element}.${v.type}`, reason: 'no WhatsApp user id found' });
    return undefined;
  }
  const passed = v.type === 'control_passed';
  const timestamp = timestampMs(h.timestamp ?? v.timestamp, `${element}.timestamp`, skipped);
  const control: Control = {
    kind: passed ? 'given-back' : 'taken',
    via: 'handover',
    ...(h.metadata ? { metadata: h.metadata } : {}),
  };
  const id = `handover-${passed ? 'pass' : 'take'}-${userId}-${timestamp}`;
  return { platform: 'whatsapp', id, channelId, userId, timestamp, attachments: [], control };
}

/** The control events of one `smb_message_echoes` or `messaging_handovers` change. */
export function readControlChange(
  field: string,
  rawValue: unknown,
  element: string,
  skipped: SkipReport,
): InboundMessage[] {
  const v = readPart(value, rawValue, `${element}.value`, skipped);
  const channelId = v?.metadata?.phone_number_id;
  if (!v || channelId === undefined || !isNumericId(channelId)) {
    skipped({ element: `${element}.value.metadata.phone_number_id`, reason: 'missing or not a numeric Meta id' });
    return [];
  }
  if (field === 'smb_message_echoes') {
    return (v.message_echoes ?? []).flatMap(
      (raw, i) => readEcho(raw, `${element}.value.message_echoes[${i}]`, channelId, skipped) ?? [],
    );
  }
  const event = readHandover(v, rawValue as Record<string, unknown>, `${element}.value`, channelId, skipped);
  return event ? [event] : [];
}
