import { Queue, type ConnectionOptions } from 'bullmq';
import { INBOUND_QUEUE, OUTBOUND_QUEUE, REMINDERS_QUEUE, type OutboundJob, type ReminderJob } from './jobs';
import type { InboundMessage } from '../core/inbound';
import { queuePrefix } from '../redis/keys';

const HOUR = 3600;
/**
 * Lines kept in each queue's events stream (BullMQ trims it as it writes). The stream names jobs
 * by id (keyed hashes, see JobIds in jobs.ts) and erasure reads it whole to delete a person's
 * lines, so it is kept short: nothing here listens to it; it is only there for an operator
 * watching the queue.
 */
export const EVENTS_STREAM_MAX_LENGTH = 1000;

// `prefix` is QUEUE_PREFIX; the queues live under its tagged form (queuePrefix, src/redis/keys.ts).

/**
 * Messages in. A finished job is removed at once, content and all: the answer ledger, not the
 * job id, is the dedupe record (a redelivery of an answered message finds it answered), and a
 * kept job would cost Redis work on every turn. A failed job is removed too (the failure is
 * logged): kept, its id would silently swallow Meta's redelivery of a message never answered.
 */
export function createInboundQueue(
  connection: ConnectionOptions,
  prefix: string,
  retry: { attempts: number; delayMs: number } = { attempts: 4, delayMs: 2000 },
): Queue<InboundMessage> {
  return new Queue<InboundMessage>(INBOUND_QUEUE, {
    connection,
    prefix: queuePrefix(prefix),
    streams: { events: { maxLen: EVENTS_STREAM_MAX_LENGTH } },
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.delayMs },
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
}

/**
 * Answers out. The send job retries by Graph error class; see src/outbound/. A send
 * that is settled (sent, or refused for good) is stripped of its text and recipient, so a failed
 * one kept for inspection shows why it failed, not what it said or to whom.
 */
export function createOutboundQueue(connection: ConnectionOptions, prefix: string, attempts = 15): Queue<OutboundJob> {
  return new Queue<OutboundJob>(OUTBOUND_QUEUE, {
    connection,
    prefix: queuePrefix(prefix),
    streams: { events: { maxLen: EVENTS_STREAM_MAX_LENGTH } },
    defaultJobOptions: {
      // With backoff capped at a minute, 15 tries ride out about ten minutes of Graph trouble.
      attempts,
      // 'graph' is the sender's own strategy: it honours Retry-After and the pair rate limit.
      backoff: { type: 'graph' },
      removeOnComplete: { age: HOUR, count: 50_000 },
      removeOnFail: { age: 7 * 24 * HOUR },
    },
  });
}

/**
 * Reminders waiting for their minute: delayed jobs, kept in Redis across worker restarts, whose
 * ids name the reminder and the occurrence (so scheduling one twice adds it once). A finished or
 * failed job is removed: the reminder's store and the answer ledger are the records.
 */
export function createRemindersQueue(connection: ConnectionOptions, prefix: string): Queue<ReminderJob> {
  return new Queue<ReminderJob>(REMINDERS_QUEUE, {
    connection,
    prefix: queuePrefix(prefix),
    streams: { events: { maxLen: EVENTS_STREAM_MAX_LENGTH } },
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
}
