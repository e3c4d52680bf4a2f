import { z } from 'zod';
import type { InboundMessage, SharedLocation } from '../../core/inbound';
import { tolerant } from '../webhook-reading';

/**
 * Messenger and Instagram parts that are neither text nor media to read: a shared location (a
 * `location` attachment with `payload.coordinates`, where Meta still delivers one) and a reaction
 * event to an earlier message (`reaction.action` `react` or `unreact`): feedback, never a turn.
 */

const coordinates = z.looseObject({
  lat: z.coerce.number().min(-90).max(90),
  long: z.coerce.number().min(-180).max(180),
});

const locationAttachment = z.looseObject({
  type: z.literal('location'),
  title: tolerant(z.string()),
  url: tolerant(z.string()),
  payload: z.looseObject({ coordinates, title: tolerant(z.string()), url: tolerant(z.string()) }),
});

/** The location a `location` attachment carries, or undefined when it is not one (or has no coordinates). */
export function sharedLocationOf(raw: unknown): SharedLocation | undefined {
  const parsed = locationAttachment.safeParse(raw);
  if (!parsed.success) return undefined;
  const a = parsed.data;
  const name = (a.title ?? a.payload.title)?.trim().slice(0, 1000);
  const url = (a.url ?? a.payload.url)?.trim().slice(0, 2000);
  return {
    latitude: a.payload.coordinates.lat,
    longitude: a.payload.coordinates.long,
    ...(name ? { name } : {}),
    ...(url ? { url } : {}),
  };
}

const reactionEvent = z.looseObject({
  reaction: z.looseObject({
    mid: tolerant(z.string()),
    action: tolerant(z.string()),
    emoji: tolerant(z.string()),
    reaction: tolerant(z.string()),
  }),
});

/** A reaction event's content: the emoji (empty when taken back) on the message `mid`. */
export function reactionOf(raw: unknown): Pick<InboundMessage, 'reaction' | 'attachments'> | undefined {
  const parsed = reactionEvent.safeParse(raw);
  if (!parsed.success) return undefined;
  const r = parsed.data.reaction;
  const emoji = r.action === 'unreact' ? '' : (r.emoji ?? r.reaction ?? '').slice(0, 64);
  return { attachments: [], reaction: { messageId: r.mid, emoji } };
}
