import { z } from 'zod';
import type { InboundMessage } from '../../core/inbound';
import type { SkipReport } from '../adapter';
import { isNumericId } from '../platform-ids';
import { tolerant } from '../webhook-reading';

/**
 * WhatsApp messages that are neither text nor media to read: a sticker (looked at as an image),
 * a shared location (its name, address and coordinates), a reaction to an earlier message
 * (feedback, `emoji` empty when taken back) and contact cards, of which only the count is kept:
 * they carry other people's details, which the bot neither uses nor stores.
 */

/** The message fields that carry its content, beside `text` (reported when dropped as malformed). */
export const CONTENT_FIELDS = ['image', 'audio', 'document', 'video', 'sticker', 'location', 'reaction', 'contacts'];

export const waLocation = z.looseObject({
  latitude: z.coerce.number().min(-90).max(90),
  longitude: z.coerce.number().min(-180).max(180),
  name: tolerant(z.string()),
  address: tolerant(z.string()),
  url: tolerant(z.string()),
});

interface SharedParts {
  type: string;
  sticker?: { id?: string; url?: string; mime_type?: string };
  location?: z.infer<typeof waLocation>;
  reaction?: { message_id?: string; emoji?: string };
  contacts?: unknown[];
}

type Content = Pick<InboundMessage, 'attachments' | 'unsupported' | 'location' | 'reaction' | 'contactCards'>;

const cut = (text: string | undefined, max: number) => (text?.trim() ? text.trim().slice(0, max) : undefined);

export function sharedContent(m: SharedParts, element: string, skipped: SkipReport): Content {
  switch (m.type) {
    case 'sticker': {
      const sticker = m.sticker;
      if (sticker?.id !== undefined && !isNumericId(sticker.id)) {
        skipped({ element: `${element}.sticker.id`, reason: 'media id is not a numeric Meta id' });
        return { attachments: [], unsupported: 'sticker' };
      }
      if (!sticker || (sticker.id === undefined && sticker.url === undefined))
        return { attachments: [], unsupported: 'sticker' };
      return {
        attachments: [
          { kind: 'image', mediaId: sticker.id, url: sticker.url, mimeType: sticker.mime_type, sticker: true },
        ],
      };
    }
    case 'location': {
      const l = m.location;
      if (!l) return { attachments: [], unsupported: 'location' };
      const where = { name: cut(l.name, 1000), address: cut(l.address, 1000), url: cut(l.url, 2000) };
      return { attachments: [], location: { latitude: l.latitude, longitude: l.longitude, ...definedOnly(where) } };
    }
    case 'reaction':
      return {
        attachments: [],
        reaction: { messageId: m.reaction?.message_id, emoji: (m.reaction?.emoji ?? '').slice(0, 64) },
      };
    default:
      return { attachments: [], contactCards: Math.max(1, m.contacts?.length ?? 1) };
  }
}

function definedOnly<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<
    Record<keyof T, string>
  >;
}
