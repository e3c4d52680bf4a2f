import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import { MESSAGING_WINDOW_MS, type LastWritten } from '../conversation/last-written';
import type { Language } from '../i18n/languages';
import type { LinkedConversation } from '../people/person-directory';
import type { JobIds, ReminderJob } from '../queues/jobs';
import type { KnownZone, PersonZones } from './person-zones';
import type { Reminder } from './reminder';
import type { ReminderStore } from './reminder-store';
import type { Repeat } from './zoned-time';

/**
 * Setting, listing and cancelling a person's reminders, and the rules that decide whether one
 * can reach them. Each occurrence is a delayed BullMQ job whose id is made of the reminder's id
 * and the occurrence's minute, so scheduling it again (a retried turn, a retried delivery) adds
 * nothing; the store is the truth, so a job whose reminder is gone or has moved on does nothing.
 */

export interface ReminderSettings {
  /** REMINDERS_MAX (0: reminders off) */
  max: number;
  /** REMINDER_TEMPLATE; null: none approved */
  template: { name: string; language: string } | null;
}

export interface ReminderParts {
  store: ReminderStore;
  zones: PersonZones;
  queue: Queue<ReminderJob>;
  jobIds: JobIds;
  lastWritten: LastWritten;
  settings: ReminderSettings;
}

/** Who asks, where the reminder goes, and when they wrote (their message opens the 24-hour window). */
export interface Asker {
  person: string;
  to: LinkedConversation;
  language: Language;
  /** the message asking: the reminder's id is derived from it, so a retried turn sets it once */
  messageKey: string;
  writtenAt: number;
}

export interface ReminderRequest {
  text: string;
  dueAt: number;
  repeat?: Repeat;
}

export type SetOutcome =
  | { kind: 'set'; reminder: Reminder; zone: KnownZone; onlyWhileWriting: boolean }
  | { kind: 'refused'; why: 'window' | 'full' | 'off' | 'done' }
  | { kind: 'no-zone' };

/** How an occurrence goes out: a free-form message, the approved template, or not at all. */
export type Delivery = 'free-form' | 'template' | 'none';

/** Meta's clocks and ours differ a little: a reminder this close to the window's end counts as outside. */
const WINDOW_MARGIN_MS = 60_000;

export class Reminders {
  constructor(private readonly parts: ReminderParts) {}

  get max(): number {
    return this.parts.settings.max;
  }

  get store(): ReminderStore {
    return this.parts.store;
  }

  /** The person's zone: told or kept, else guessed from a WhatsApp number. */
  async zoneOf(person: string, to: LinkedConversation): Promise<KnownZone | undefined> {
    return this.parts.zones.get(person, to.platform === 'whatsapp' ? to.userId : undefined);
  }

  async tellZone(person: string, zone: string): Promise<void> {
    await this.parts.zones.set(person, { zone, source: 'told' });
  }

  async set(request: ReminderRequest, asker: Asker): Promise<SetOutcome> {
    if (this.max === 0) return { kind: 'refused', why: 'off' };
    const zone = await this.zoneOf(asker.person, asker.to);
    if (!zone) return { kind: 'no-zone' };
    const id = reminderId(asker.messageKey, request);
    const known = await this.parts.store.get(asker.person, id);
    // The same message asking again (its turn run twice after a crash) moves the reminder, never doubles it.
    if (!known && (await this.parts.store.wasDelivered(asker.person, id))) return { kind: 'refused', why: 'done' };
    if (!known && (await this.parts.store.count(asker.person)) >= this.max) return { kind: 'refused', why: 'full' };
    const reach = this.reachAtSetTime(asker, request);
    if (reach === 'no') return { kind: 'refused', why: 'window' };
    const reminder: Reminder = {
      id,
      text: request.text,
      dueAt: request.dueAt,
      ...(request.repeat ? { repeat: request.repeat } : {}),
      zone: zone.zone,
      to: { platform: asker.to.platform, channelId: asker.to.channelId, userId: asker.to.userId },
      language: asker.language,
      createdAt: known?.createdAt ?? Date.now(),
    };
    if (zone.source === 'guessed') await this.parts.zones.set(asker.person, zone);
    await this.parts.store.put(asker.person, reminder);
    await this.schedule(asker.person, reminder);
    if (known && known.dueAt !== reminder.dueAt) await this.unschedule(known);
    return { kind: 'set', reminder, zone, onlyWhileWriting: reach === 'while-writing' };
  }

  /** Cancels one: its job goes, and a job that could not be removed finds it gone from the store. */
  async cancel(person: string, reminder: Reminder): Promise<void> {
    await this.parts.store.remove(person, reminder.id);
    await this.unschedule(reminder);
  }

  /** Removes the job of the reminder's occurrence; one already running finds the store moved on. */
  private async unschedule(reminder: Reminder): Promise<void> {
    const job = await this.parts.queue.getJob(this.jobId(reminder, reminder.dueAt));
    await job?.remove().catch(() => undefined);
  }

  /** Adds the job of the reminder's next occurrence (once: the id names the occurrence). */
  async schedule(person: string, reminder: Reminder): Promise<void> {
    const job: ReminderJob = {
      person,
      reminderId: reminder.id,
      dueAt: reminder.dueAt,
      platform: reminder.to.platform,
      userId: reminder.to.userId,
    };
    const delay = Math.max(0, reminder.dueAt - Date.now());
    await this.parts.queue.add('remind', job, { jobId: this.jobId(reminder, reminder.dueAt), delay });
  }

  /** At its minute: free-form inside the 24-hour window, else WhatsApp's template where one is approved. */
  async deliveryAt(reminder: Reminder, conversation: string, now: number): Promise<Delivery> {
    if (await this.parts.lastWritten.windowOpenAt(conversation, now)) return 'free-form';
    return this.templateFor(reminder.to.platform) ? 'template' : 'none';
  }

  /** REMINDER_TEMPLATE, on WhatsApp (the only platform with approved templates here). */
  templateFor(platform: string): ReminderSettings['template'] {
    return platform === 'whatsapp' ? this.parts.settings.template : null;
  }

  private jobId(reminder: Reminder, dueAt: number): string {
    return this.parts.jobIds.reminder(reminder.id, dueAt, reminder.to.userId);
  }

  /**
   * Whether it can reach the person under the platform's rules: inside the window their message
   * opened, or through the template; a repeating one without a template only while they keep writing.
   */
  private reachAtSetTime(asker: Asker, request: ReminderRequest): 'yes' | 'no' | 'while-writing' {
    if (this.templateFor(asker.to.platform)) return 'yes';
    if (request.repeat) return 'while-writing';
    const windowEnds = Math.max(asker.writtenAt, Date.now() - MESSAGING_WINDOW_MS) + MESSAGING_WINDOW_MS;
    return request.dueAt < windowEnds - WINDOW_MARGIN_MS ? 'yes' : 'no';
  }
}

/**
 * The same message asking for the same thing gets the same id, whatever minute the model works out
 * on a second run of the turn: a retried turn moves the reminder instead of setting a second one.
 */
function reminderId(messageKey: string, request: ReminderRequest): string {
  const named = `${messageKey}\n${request.text}\n${request.repeat ?? ''}`;
  return createHash('sha256').update(named).digest('hex').slice(0, 16);
}
