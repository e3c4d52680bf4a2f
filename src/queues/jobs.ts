import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Pseudonyms } from '../crypto/pseudonyms';
import { inboundMessageSchema, platformSchema } from '../core/inbound';
import { MESSAGE_TAGS } from '../core/message-tag';

/** Queue names; BullMQ puts them under QUEUE_PREFIX. */
export const INBOUND_QUEUE = 'inbound';
export const OUTBOUND_QUEUE = 'outbound';
/** reminders waiting for their minute (src/reminders): one delayed job per occurrence */
export const REMINDERS_QUEUE = 'reminders';

export const inboundJobSchema = inboundMessageSchema;

/** One answer to one message, already split into the platform's parts, sent in order. */
export const outboundJobSchema = z.object({
  platform: platformSchema,
  channelId: z.string(),
  userId: z.string(),
  conversation: z.string(),
  /** messageKey() of the message being answered: the send is idempotent per (message, part) */
  answeringMessageKey: z.string(),
  /** text parts, and product card messages the platform's adapter built (src/core/reply-part.ts) */
  parts: z.array(z.union([z.string().min(1), z.object({ card: z.record(z.string(), z.unknown()) })])).min(1),
  /** tappable choices offered under the last part, where the platform can */
  choices: z.array(z.object({ id: z.string().min(1), title: z.string().min(1) })).optional(),
  /** the answered message's platform timestamp (ms): decides whether a closed window applies */
  answeringAt: z.number().optional(),
  /** the message tag its texts go under: only an agent's reply during a handoff (core/message-tag.ts) */
  tag: z.enum(MESSAGE_TAGS).optional(),
  /**
   * an answer of the model: the stamp of its history entry, which the ids of its sent parts are
   * kept under (a reaction finds the answer by them; conversation/sent-answers.ts); absent on any
   * other message (an agent's reply, a reminder, a notice)
   */
  answerAt: z.number().optional(),
  /** the confirmation of an erasure: these accounts' last traces are erased once it is sent */
  eraseAfterSend: z.array(z.object({ platform: platformSchema, userId: z.string() })).optional(),
});
export type OutboundJob = z.infer<typeof outboundJobSchema>;

/** One occurrence of a reminder: the reminder is read from its store when the job runs. */
export const reminderJobSchema = z.object({
  person: z.string().min(1),
  reminderId: z.string().min(1),
  dueAt: z.number().int().nonnegative(),
  /** the account it goes to: erasure finds a person's jobs by these two */
  platform: platformSchema,
  userId: z.string(),
});
export type ReminderJob = z.infer<typeof reminderJobSchema>;

/**
 * BullMQ job ids. A job id shows on the dashboard, in BullMQ's events streams and in key names,
 * so it is made of keyed hashes (Pseudonyms.messageJob), never of a message id: a WhatsApp one
 * encodes the sender's phone number. The same message always gets the same id, so a redelivery
 * is still enqueued once; every id about a person ends in their `-u_…`, so erasure can find the
 * events lines about them after the jobs themselves are gone.
 */
export interface JobIds {
  /** the turn job of a message (its messageKey()) from `userId` */
  inbound(messageKey: string, userId: string): string;
  /** the send job answering `answering` (a messageKey(), or a key derived from one) to `userId` */
  outbound(answering: string, userId: string): string;
  /** the job of one occurrence (due at `dueAt`) of a reminder of `userId` */
  reminder(reminderId: string, dueAt: number, userId: string): string;
  /** how every job id about `userId` ends */
  userSuffix(userId: string): string;
  /** the user suffix a job id made here ends in; null for any other id */
  suffixOf(jobId: string): string | null;
}

export function createJobIds(pseudonyms: Pick<Pseudonyms, 'messageJob' | 'user'>): JobIds {
  return {
    inbound: (messageKey, userId) => pseudonyms.messageJob(messageKey, userId),
    outbound: (answering, userId) => `reply-${pseudonyms.messageJob(answering, userId)}`,
    reminder: (reminderId, dueAt, userId) => `remind-${pseudonyms.messageJob(`${reminderId}:${dueAt}`, userId)}`,
    userSuffix: (userId) => `-${pseudonyms.user(userId)}`,
    suffixOf: (jobId) => /-u_[\w-]{12}$/.exec(jobId)?.[0] ?? null,
  };
}

const PENDING_JOB_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'wait']);

/** Whether a BullMQ job in this state will still run (as opposed to finished, failed or gone). */
export function isPendingJobState(state: string): boolean {
  return PENDING_JOB_STATES.has(state);
}

/** What a finished job's data is replaced with: nothing about anyone. */
export const STRIPPED_JOB_DATA = { stripped: true } as const;

/**
 * Strips a job whose work is done of its content (message text, answer, user id), so the record
 * BullMQ keeps of it for a while (for dedupe by job id, or inspection) says nothing about anyone.
 * Best effort: a job that is gone already needs nothing.
 */
export async function stripFinishedJob(job: Pick<Job, 'updateData'>): Promise<void> {
  await job.updateData(STRIPPED_JOB_DATA as never).catch(() => undefined);
}
