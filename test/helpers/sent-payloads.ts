import { IG_ACCOUNT_ID, PAGE_ID, whatsAppDelivery } from './payloads';

/**
 * Deliveries of what people send beside text, voice notes and photos, shaped as Meta documents
 * them: WhatsApp `document`, `video`, `sticker`, `location`, `reaction`, `contacts`; Messenger and
 * Instagram attachments of any type and `reaction` events.
 */

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${Date.now()}${(sequence += 1)}`;

/** One WhatsApp message of `type` whose body under that name is `body`. */
export function whatsAppOf(
  from: string,
  type: string,
  body: unknown,
  options: { id?: string; timestamp?: number; context?: { id: string } } = {},
) {
  const message: Record<string, unknown> = {
    from,
    id: options.id ?? nextId('wamid.SENT'),
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    type,
    [type]: body,
  };
  if (options.context) message.context = options.context;
  return whatsAppDelivery([message], [{ profile: { name: 'Test User' }, wa_id: from }]);
}

function pageEvent(object: 'page' | 'instagram', sender: string, content: object, timestamp = Date.now()) {
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

/** A Messenger or Instagram message with these attachments (each `{ type, payload }`) and optional text. */
export function pageMessage(
  object: 'page' | 'instagram',
  sender: string,
  attachments: Array<{ type: string; payload: Record<string, unknown> }>,
  options: { text?: string; mid?: string; timestamp?: number } = {},
) {
  const message: Record<string, unknown> = { mid: options.mid ?? nextId('m_SENT'), attachments };
  if (options.text !== undefined) message.text = options.text;
  return pageEvent(object, sender, { message }, options.timestamp);
}

/** A Messenger or Instagram reaction event to the message `mid`. */
export function pageReaction(
  object: 'page' | 'instagram',
  sender: string,
  mid: string,
  emoji: string,
  action: 'react' | 'unreact' = 'react',
  timestamp = Date.now(),
) {
  const reaction = action === 'react' ? { mid, action, emoji, reaction: 'like' } : { mid, action };
  return pageEvent(object, sender, { reaction }, timestamp);
}
