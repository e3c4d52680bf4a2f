import { z } from 'zod';
import type { Control, InboundMessage, Platform } from '../../core/inbound';
import type { SkipReport } from '../adapter';
import { readPart, tolerant } from '../webhook-reading';
import { INSTAGRAM_INBOX_APP_ID, PAGE_INBOX_APP_ID, threadOf } from './page-thread';

/**
 * Who answers a Messenger or Instagram conversation under Conversation Routing, read from the
 * same deliveries as messages:
 * - `messaging_handovers` events in `entry[].messaging[]`: `pass_thread_control` is sent to the
 *   app that receives the thread (the inbox gave it back to us), `take_thread_control` to the app
 *   that lost it (someone took it from us). Request and role events change nothing here.
 * - `entry[].standby[]`: what happens in a thread another app owns. A person's message there, or
 *   the owner's (an agent's) reply echoed, means the thread is someone else's: `taken`. Reads,
 *   deliveries and postbacks on standby say nothing new and are dropped.
 * - an echo in `entry[].messaging[]` of a message Meta's own inbox sent (an agent answering in
 *   Meta Business Suite while the thread is ours or idle): the business stepped in,
 *   `business-echo`. Echoes of anything else (our own sends) stay ignored.
 * Each becomes an InboundMessage with `control` set, in the conversation's order with its
 * messages; the turn never answers it.
 */

const controlChange = z.looseObject({
  previous_owner_app_id: tolerant(z.coerce.string()),
  new_owner_app_id: tolerant(z.coerce.string()),
  metadata: tolerant(z.string()),
});

const event = z.looseObject({
  sender: z.looseObject({ id: z.string().min(1) }),
  recipient: tolerant(z.looseObject({ id: z.string() })),
  timestamp: z.unknown().optional(),
});

const standbyMessage = z.looseObject({
  mid: z.string().min(1),
  text: tolerant(z.string()),
  is_echo: tolerant(z.boolean()),
  app_id: tolerant(z.coerce.string()),
});

/** A control event whose ids do not name a thread is reported as the whole event. */
const eventSkips =
  (element: string, skipped: SkipReport): SkipReport =>
  (skip) =>
    skipped(
      skip.element === `${element}.timestamp`
        ? skip
        : { element, reason: 'sender or recipient missing or not a numeric Meta id' },
    );

/** Whether a `messaging[]` event is a handover this module reads. */
export function isHandoverEvent(raw: object): boolean {
  return 'pass_thread_control' in raw || 'take_thread_control' in raw;
}

export function readHandover(
  raw: object,
  element: string,
  platform: Platform,
  entryId: string | undefined,
  skipped: SkipReport,
): InboundMessage | undefined {
  const passed = 'pass_thread_control' in raw;
  const field = passed ? 'pass_thread_control' : 'take_thread_control';
  const e = readPart(event, raw, element, skipped);
  const change = e && readPart(controlChange, (raw as Record<string, unknown>)[field], `${element}.${field}`, skipped);
  const thread = e && change && threadOf(e, element, platform, entryId, eventSkips(element, skipped));
  if (!thread || !change) return undefined;
  const control: Control = {
    kind: passed ? 'given-back' : 'taken',
    via: 'handover',
    ...(change.new_owner_app_id ? { ownerAppId: change.new_owner_app_id } : {}),
    ...(change.metadata ? { metadata: change.metadata } : {}),
  };
  const id = `handover-${passed ? 'pass' : 'take'}-${thread.userId}-${thread.timestamp}`;
  return { ...thread, id, attachments: [], control };
}

export function readStandby(
  raw: unknown,
  element: string,
  platform: Platform,
  entryId: string | undefined,
  skipped: SkipReport,
): InboundMessage | undefined {
  if (typeof raw !== 'object' || raw === null || !('message' in raw)) return undefined;
  const e = readPart(event, raw, element, skipped);
  const m = e && readPart(standbyMessage, raw.message, `${element}.message`, skipped);
  const echo = m?.is_echo === true;
  const thread = e && m && threadOf(e, element, platform, entryId, eventSkips(element, skipped), echo);
  if (!thread || !m) return undefined;
  const control: Control = {
    kind: 'taken',
    via: 'standby',
    ...(echo && m.app_id ? { ownerAppId: m.app_id } : {}),
    ...(echo && m.text ? { businessText: m.text } : {}),
  };
  const text = !echo && m.text?.trim() ? m.text : undefined;
  return { ...thread, id: `standby-${m.mid}`, text, attachments: [], control };
}

/** Meta's inbox apps (Page Inbox, Instagram Inbox): the ids Conversation Routing names them by. */
const META_INBOX_APPS = new Set([PAGE_INBOX_APP_ID, INSTAGRAM_INBOX_APP_ID]);

/** An echo in `messaging[]`: a business-echo when Meta's inbox sent it, else nothing (our own sends). */
export function readInboxEcho(
  raw: object,
  element: string,
  platform: Platform,
  entryId: string | undefined,
  skipped: SkipReport,
): InboundMessage | undefined {
  const e = readPart(event, raw, element, skipped);
  const m = e && readPart(standbyMessage, (raw as { message?: unknown }).message, `${element}.message`, skipped);
  if (!e || !m?.app_id || !META_INBOX_APPS.has(m.app_id)) return undefined;
  const thread = threadOf(e, element, platform, entryId, eventSkips(element, skipped), true);
  if (!thread) return undefined;
  const control: Control = {
    kind: 'business-echo',
    via: 'echo',
    ownerAppId: m.app_id,
    ...(m.text ? { businessText: m.text } : {}),
  };
  return { ...thread, id: `echo-${m.mid}`, attachments: [], control };
}
