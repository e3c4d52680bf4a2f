import { z } from 'zod';
import type { Attachment, InboundMessage, Platform } from '../../core/inbound';
import { WebhookPayloadError, type SkipReport } from '../adapter';
import { ignoreSkips, kindName, readPart, reportDroppedFields, tolerant } from '../webhook-reading';
import { isHandoverEvent, readHandover, readInboxEcho, readStandby } from './page-control';
import { threadOf } from './page-thread';
import { reactionOf, sharedLocationOf } from './page-shared';

/**
 * Messenger (`object: "page"`) and Instagram (`object: "instagram"`) deliver the same Messenger
 * Platform event shape: `entry[].messaging[]` with sender, recipient and a millisecond timestamp.
 * Both send through `/me/messages`. This module holds what the two share; each adapter folder
 * holds what differs (object name, limits, host, quirks).
 */

const attachment = z.looseObject({
  type: z.string().min(1),
  payload: tolerant(z.looseObject({ url: tolerant(z.string()), sticker_id: z.unknown().optional() }).nullable()),
});

const OPTIONAL_FIELDS = ['text', 'attachments', 'quick_reply', 'reply_to', 'is_unsupported', 'is_deleted'];

// Empty ids would make a job no worker can accept: such an event is skipped, not enqueued.
const message = z.looseObject({
  mid: z.string().min(1),
  text: tolerant(z.string()),
  // Not tolerant: a malformed echo flag must not make the bot answer its own message.
  is_echo: z.boolean().optional(),
  is_deleted: tolerant(z.boolean()),
  is_unsupported: tolerant(z.boolean()),
  attachments: tolerant(z.array(z.unknown())),
  quick_reply: tolerant(z.looseObject({ payload: z.string() })),
  reply_to: tolerant(z.looseObject({ mid: tolerant(z.string()) })),
});

const event = z.looseObject({
  sender: z.looseObject({ id: z.string().min(1) }),
  recipient: tolerant(z.looseObject({ id: z.string() })),
  timestamp: z.unknown().optional(),
  message: z.unknown().optional(),
});

// A tap on a template button, the persistent menu, Get Started or an ice breaker. Instagram and
// newer Messenger deliveries carry the postback's own `mid`; older Messenger ones do not.
const postback = z.looseObject({
  title: tolerant(z.string()),
  payload: tolerant(z.string()),
  mid: tolerant(z.string().min(1)),
});

const entrySchema = z.looseObject({
  id: tolerant(z.string()),
  messaging: tolerant(z.array(z.unknown())),
  // Events of threads another app owns (Conversation Routing): read as control, never answered.
  standby: tolerant(z.array(z.unknown())),
});

const delivery = z.looseObject({ object: z.string(), entry: z.array(z.unknown()) });

type MessageEvent = z.infer<typeof message>;
type Content = Pick<InboundMessage, 'text' | 'attachments' | 'unsupported' | 'payload' | 'leftOut' | 'location'>;

function readableAttachment(
  a: z.infer<typeof attachment>,
  element: string,
  skipped: SkipReport,
): Attachment | undefined {
  const url = a.payload?.url;
  const isSticker = a.payload?.sticker_id !== undefined;
  // During Meta's sticker transition a sticker also arrives as `image` with a sticker_id.
  const kind = a.type === 'image' && !isSticker ? 'image' : a.type === 'audio' ? 'audio' : fileKind(a.type);
  if (kind === 'document' && url) return { kind, url, ...fileNameOf(url) };
  // A sticker is looked at as an image, and answered briefly.
  if (isSticker && (a.type === 'image' || a.type === 'sticker') && url) return { kind: 'image', url, sticker: true };
  if (kind && url) return { kind, url };
  skipped({
    element,
    reason: kind
      ? 'attachment has no url'
      : `attachment of type ${isSticker ? 'sticker' : (kindName(a.type) ?? 'unknown')} not read`,
  });
  return undefined;
}

/** A `file` attachment is a document the person shared; a `video` (or a shared reel), a video. */
function fileKind(type: string): 'document' | 'video' | undefined {
  if (type === 'file') return 'document';
  // An Instagram reel shared into the chat carries the reel's video URL.
  return type === 'video' || type === 'ig_reel' || type === 'reel' ? 'video' : undefined;
}

/** The file name a `file` attachment's CDN URL ends in, as the sender's app named it. */
function fileNameOf(url: string): { fileName?: string } {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return /\.[a-z0-9]{1,5}$/i.test(last) ? { fileName: last.slice(0, 200) } : {};
  } catch {
    return {};
  }
}

/** What to call a part the bot could not read, in the words of the friendly answer. */
function partName(a: z.infer<typeof attachment>): string {
  return a.payload?.sticker_id !== undefined ? 'sticker' : (kindName(a.type) ?? 'unknown');
}

function contentOf(m: MessageEvent, element: string, skipped: SkipReport): Content {
  const parsed = (m.attachments ?? []).map((raw, i) =>
    readPart(attachment, raw, `${element}.attachments[${i}]`, skipped),
  );
  const attachments = parsed.flatMap(
    (a, i) => (a && readableAttachment(a, `${element}.attachments[${i}]`, skipped)) || [],
  );
  const text = m.text?.trim() ? m.text : undefined;
  const payload = m.quick_reply?.payload;
  const location = (m.attachments ?? []).map(sharedLocationOf).find((l) => l !== undefined);
  if (location) return { text, attachments, payload, location };
  const first = parsed[0];
  if (text || attachments.length > 0) {
    const unread = parsed.find((a) => !a || !readableAttachment(a, '', ignoreSkips));
    const leftOut = parsed.length > attachments.length ? (unread ? partName(unread) : 'unknown') : undefined;
    return { text, attachments, payload, ...(leftOut ? { leftOut } : {}) };
  }
  const unsupported = m.is_unsupported
    ? 'unsupported'
    : first
      ? partName(first)
      : parsed.length > 0
        ? 'unknown'
        : undefined;
  return { attachments: [], unsupported: unsupported ?? 'empty' };
}

function readEvent(
  raw: unknown,
  element: string,
  platform: Platform,
  entryId: string | undefined,
  skipped: SkipReport,
): InboundMessage | undefined {
  // Deliveries, reads, reactions, referrals: acknowledged, not answered.
  if (typeof raw !== 'object' || raw === null) return undefined;
  if (isHandoverEvent(raw)) return readHandover(raw, element, platform, entryId, skipped);
  if ('postback' in raw) return readPostback(raw, element, platform, entryId, skipped);
  if ('reaction' in raw) return readReaction(raw, element, platform, entryId, skipped);
  if (!('message' in raw)) return undefined;
  const e = readPart(event, raw, element, skipped);
  const m = e && readPart(message, e.message, `${element}.message`, skipped);
  if (!e || !m) return undefined;
  // Echoes are our own sends coming back (answering them would loop forever), or an agent's
  // reply from Meta's inbox, which is read as the business stepping in (page-control.ts).
  if (m.is_echo) return readInboxEcho(raw, element, platform, entryId, skipped);
  if (m.is_deleted) return undefined;
  reportDroppedFields(e.message, m, OPTIONAL_FIELDS, `${element}.message`, skipped);
  const thread = threadOf(e, element, platform, entryId, skipped);
  if (!thread) return undefined;
  return { ...thread, id: m.mid, replyToId: m.reply_to?.mid, ...contentOf(m, `${element}.message`, skipped) };
}

function readPostback(
  raw: object,
  element: string,
  platform: Platform,
  entryId: string | undefined,
  skipped: SkipReport,
): InboundMessage | undefined {
  const e = readPart(event, raw, element, skipped);
  const p = e && readPart(postback, (raw as { postback: unknown }).postback, `${element}.postback`, skipped);
  if (!e || !p) return undefined;
  const thread = threadOf(e, element, platform, entryId, skipped);
  if (!thread) return undefined;
  // Without a mid, the sender and the tap's millisecond stamp name it: a redelivery of the same
  // tap gets the same id and is answered once.
  const id = p.mid ?? `postback-${thread.userId}-${thread.timestamp}`;
  const title = p.title?.trim() ? p.title : undefined;
  return { ...thread, id, text: title, payload: p.payload, postback: true, attachments: [] };
}

/** A reaction to an earlier message: feedback on an answer. Named by the message and its stamp, so a redelivery is read once. */
function readReaction(
  raw: object,
  element: string,
  platform: Platform,
  entryId: string | undefined,
  skipped: SkipReport,
): InboundMessage | undefined {
  const e = readPart(event, raw, element, skipped);
  const content = reactionOf(raw);
  const thread = e && content && threadOf(e, element, platform, entryId, skipped);
  if (!thread || !content) return undefined;
  const id = `reaction-${content.reaction?.messageId ?? 'unknown'}-${thread.timestamp}`;
  return { ...thread, id, ...content };
}

export function parsePageMessagingWebhook(
  body: unknown,
  platform: Platform,
  object: string,
  skipped: SkipReport = ignoreSkips,
): InboundMessage[] {
  const parsed = delivery.safeParse(body);
  if (!parsed.success || parsed.data.object !== object) {
    throw new WebhookPayloadError(`not a ${platform} delivery`, { cause: parsed.error });
  }
  return parsed.data.entry.flatMap((rawEntry, i) => {
    const entry = readPart(entrySchema, rawEntry, `entry[${i}]`, skipped);
    return [
      ...(entry?.messaging ?? []).flatMap(
        (raw, j) => readEvent(raw, `entry[${i}].messaging[${j}]`, platform, entry?.id, skipped) ?? [],
      ),
      ...(entry?.standby ?? []).flatMap(
        (raw, j) => readStandby(raw, `entry[${i}].standby[${j}]`, platform, entry?.id, skipped) ?? [],
      ),
    ];
  });
}
