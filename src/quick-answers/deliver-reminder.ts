import { UnrecoverableError, type Job } from 'bullmq';
import { reminderTexts } from '../commands/reminder-texts';
import { conversationKey } from '../core/inbound';
import { translatorFor } from '../i18n/translator';
import { reminderJobSchema, type ReminderJob } from '../queues/jobs';
import type { Reminder } from '../reminders/reminder';
import { nextOccurrence } from '../reminders/zoned-time';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { enqueueReply, tellConversation, type TellDeps } from '../outbound';

/** The reminders, the send queue and the apps a reminder is sent through. */
export type ReminderDeliveryDeps = TellDeps & Pick<TurnDependencies, 'reminders' | 'logger'>;

/**
 * A reminder's minute has come: its message is put on the send queue like any reply, then the
 * next occurrence is scheduled (or the reminder is done). Exactly once: the send is keyed by the
 * reminder and the occurrence (`reminder:<id>:<minute>`), so a job run again after a worker died
 * enqueues nothing new and the sender's ledger sends each part once; the store moves on only after
 * the send is queued, and a job whose occurrence the store has moved past (or whose reminder was
 * cancelled or erased) does nothing. Inside the 24-hour window it is a free-form message; outside
 * it WhatsApp gets REMINDER_TEMPLATE, and a reminder with neither was refused (or warned about)
 * when it was set, so it is skipped here.
 */
export function createReminderDelivery(deps: ReminderDeliveryDeps) {
  return async function deliverReminder(job: Job<ReminderJob>): Promise<string> {
    const parsed = reminderJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid reminder job: ${parsed.error.message}`);
    const { person, reminderId, dueAt } = parsed.data;
    const reminder = await deps.reminders.store.get(person, reminderId);
    if (!reminder || reminder.dueAt !== dueAt) return 'gone';
    const sent = await send(reminder, deps);
    if (!sent) deps.logger.warn({ jobId: job.id, platform: reminder.to.platform }, 'reminder not sent: window closed');
    await moveOn(person, reminder, deps);
    return sent ? 'sent' : 'outside-window';
  };
}

async function send(reminder: Reminder, deps: ReminderDeliveryDeps): Promise<boolean> {
  const { to } = reminder;
  const adapter = deps.adapters.get(to.platform);
  if (!adapter) return false;
  const answering = `reminder:${reminder.id}:${reminder.dueAt}`;
  const delivery = await deps.reminders.deliveryAt(reminder, conversationKey(to), Date.now());
  const template = deps.reminders.templateFor(to.platform);
  if (delivery === 'template' && template && adapter.templateMessage) {
    const card = adapter.templateMessage(to, template, [reminder.text]);
    await enqueueReply(to, { answering, parts: [{ card }], answeringAt: reminder.dueAt }, deps);
    return true;
  }
  if (delivery !== 'free-form') return false;
  await tellConversation(to, reminderTexts.due(translatorFor(reminder.language), reminder.text), answering, deps);
  return true;
}

/** A one-off is done; a repeating one gets its next occurrence (the first still ahead, after a long outage). */
async function moveOn(person: string, reminder: Reminder, deps: ReminderDeliveryDeps): Promise<void> {
  if (!reminder.repeat) {
    await deps.reminders.store.markDelivered(person, reminder.id);
    return;
  }
  const next = { ...reminder, dueAt: nextOccurrence(reminder.zone, reminder.dueAt, reminder.repeat, Date.now()) };
  // The next job first: a job run again after a crash here still finds its own occurrence in the store.
  await deps.reminders.schedule(person, next);
  await deps.reminders.store.put(person, next);
}
