import type { InboundMessage, Platform } from '../../core/inbound';
import type { SkipReport } from '../adapter';
import { isNumericId } from '../platform-ids';
import { stampOrArrival } from '../webhook-reading';

/** The part of a `messaging[]` or `standby[]` event that names the thread. */
export interface ThreadEvent {
  sender: { id: string };
  recipient?: { id: string } | undefined;
  timestamp?: unknown;
}

export type Thread = Pick<InboundMessage, 'platform' | 'channelId' | 'userId' | 'timestamp'>;

/**
 * The thread of an event: the person is the sender and the Page (or Instagram account) the
 * recipient, the other way round for an echo of a business message. Either id missing or not a
 * numeric Meta id: the element is skipped and reported.
 */
export function threadOf(
  e: ThreadEvent,
  element: string,
  platform: Platform,
  entryId: string | undefined,
  skipped: SkipReport,
  echo = false,
): Thread | undefined {
  const [personField, channelField] = echo ? (['recipient', 'sender'] as const) : (['sender', 'recipient'] as const);
  const channelId = e[channelField]?.id ?? entryId;
  if (!channelId || !isNumericId(channelId)) {
    skipped({ element: `${element}.${channelField}.id`, reason: 'missing or not a numeric Meta id' });
    return undefined;
  }
  const person = e[personField]?.id;
  if (!person || !isNumericId(person)) {
    skipped({ element: `${element}.${personField}.id`, reason: 'missing or not a numeric Meta id' });
    return undefined;
  }
  const stamp = typeof e.timestamp === 'number' ? e.timestamp : undefined;
  const timestamp = stampOrArrival(stamp, e.timestamp, `${element}.timestamp`, skipped);
  return { platform, channelId, userId: person, timestamp };
}

/** Meta's inbox apps, by the ids Conversation Routing names them with. */
export const PAGE_INBOX_APP_ID = '263902037430900';
export const INSTAGRAM_INBOX_APP_ID = '1217981644879628';
