import { Queue, type Job } from 'bullmq';
import { messageKey, type Platform } from '../core/inbound';
import { INBOUND_QUEUE, OUTBOUND_QUEUE, REMINDERS_QUEUE, stripFinishedJob, type JobIds } from '../queues/jobs';
import type { RedisClient } from '../redis/connection';
import { deleteKeys, globLiteral, scanKeys } from '../redis/key-scan';
import { queuePrefix, stateKey } from '../redis/keys';
import { conversationTagOf } from './conversation-tags';

/**
 * Erases everything kept under some accounts (`platform` + the user id that platform gives us):
 * every key tagged with one of their conversations (`…:{<platform>:<channel>:<id>}[:…]`: history,
 * inbox, ledger, outbox, first-contact mark, /why; see src/redis/keys.ts) or ending in their
 * account key (`<platform>:<id>`: links, mode, remembered facts, reminders and time zone of a
 * person), their queued and finished jobs in every queue (they carry message text; a reminder's
 * delayed jobs go with it), the per-message marks of those jobs and
 * every line of BullMQ's events streams about their jobs (each job id ends in the keyed hash of
 * its user, src/queues/jobs.ts, so lines of jobs long gone are found too).
 *
 * Not erased, by design: the counters that protect everyone else from one person (fair-use
 * counts, wrong link codes). They are named by a keyed hash (src/crypto/counter-names.ts), hold
 * numbers, not words, and expire with their window; erasing them would let anyone reset their
 * limits, or keep guessing link codes, by erasing themselves.
 *
 * A job that is running cannot be removed: its content is stripped instead, and it finishes and
 * expires empty. `spare` leaves alone what the caller still needs to finish its own turn.
 */

export interface Account {
  platform: Platform;
  userId: string;
}

export interface ErasureSummary {
  keysDeleted: number;
  jobsRemoved: number;
  /** running jobs whose content was stripped because they could not be removed */
  jobsInFlight: number;
  /**
   * The conversations (`<platform>:<channel>:<id>`) whose tagged keys were erased: what a caller
   * needs to erase what is keyed by a conversation's derived name (a helpdesk's handle).
   */
  conversations: string[];
}

export interface EraseOptions {
  /** keys not to delete (the lock of the turn doing the erasing) */
  spareKeys?: string[];
  /** a message whose job and ledger entries are left (the turn doing the erasing) */
  spareMessage?: string;
}

export interface AccountErasure {
  eraseAccounts(accounts: Account[], options?: EraseOptions): Promise<ErasureSummary>;
  /** Deletes the events lines about the user a job id is about: those BullMQ wrote after their erasure. */
  forgetEventsAbout(jobId: string): Promise<void>;
}

/** Every queue whose jobs name a person: messages in, answers out, reminders waiting for their minute. */
const ERASED_QUEUES = [INBOUND_QUEUE, OUTBOUND_QUEUE, REMINDERS_QUEUE];
const JOB_STATES = ['completed', 'failed', 'delayed', 'waiting', 'prioritized', 'paused', 'active'] as const;
const PAGE = 500;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A key about the account: tagged with one of its conversations or its account key (`{…}`), or
 * ending in its account key.
 * BullMQ's own keys never match: job ids use `-`, not `:`, after the platform.
 */
function accountKeyShape(account: Account): RegExp {
  const { platform } = account;
  const id = escapeRegExp(account.userId);
  return new RegExp(`:\\{${platform}(?::[^:]+)?:${id}\\}(?::|$)|:${platform}(?::[^:]+)?:${id}(?::|$)`);
}

/** The message a job is about: an inbound job is the message, an outbound one answers it. */
function messageOf(data: { platform?: unknown; id?: unknown; answeringMessageKey?: unknown }): string | undefined {
  if (typeof data.answeringMessageKey === 'string') return data.answeringMessageKey;
  if (typeof data.id === 'string') return messageKey({ platform: data.platform as Platform, id: data.id });
  return undefined;
}

async function removeOrStrip(job: Job, summary: ErasureSummary): Promise<void> {
  try {
    await job.remove();
    summary.jobsRemoved += 1;
  } catch {
    await stripFinishedJob(job);
    summary.jobsInFlight += 1;
  }
}

/**
 * Deletes the lines of every queue's events stream that name a job of the person: one of
 * `jobIds` (jobs found in the queues), or any job id ending in one of `suffixes` (their user
 * part). The streams are capped (EVENTS_STREAM_MAX_LENGTH), so reading them whole is cheap.
 */
async function forgetEvents(redis: RedisClient, prefix: string, jobIds: Set<string>, suffixes: string[]) {
  if (jobIds.size === 0 && suffixes.length === 0) return;
  const about = (value: string) => jobIds.has(value) || suffixes.some((suffix) => value.endsWith(suffix));
  for (const queueName of ERASED_QUEUES) {
    const stream = `${queuePrefix(prefix)}:${queueName}:events`;
    const entries = await redis.xrange(stream, '-', '+');
    const named = entries.filter(([, fields]) => fields.some((value, i) => i % 2 === 1 && about(value)));
    if (named.length > 0) await redis.xdel(stream, ...named.map(([id]) => id));
  }
}

/** Removes (or strips, when running) the accounts' jobs in one queue; notes their messages and job ids in `found`. */
async function eraseJobs(
  redis: RedisClient,
  prefix: string,
  queueName: string,
  accounts: Account[],
  summary: ErasureSummary,
  options: EraseOptions & { found: { messages: string[]; jobIds: Set<string> } },
) {
  const owners = new Set(accounts.map((a) => `${a.platform}:${a.userId}`));
  const queue = new Queue(queueName, { connection: redis, prefix: queuePrefix(prefix) });
  const { found } = options;
  try {
    for (const jobState of JOB_STATES) {
      const matched: Job[] = [];
      for (let start = 0; ; start += PAGE) {
        const jobs = await queue.getJobs([jobState], start, start + PAGE - 1);
        for (const job of jobs) {
          const data = (job.data ?? {}) as { platform?: unknown; userId?: unknown };
          if (!owners.has(`${String(data.platform)}:${String(data.userId)}`)) continue;
          const message = messageOf(job.data as Record<string, unknown>);
          if (message !== undefined && message === options.spareMessage) continue;
          if (message !== undefined) found.messages.push(message);
          if (job.id) found.jobIds.add(job.id);
          matched.push(job);
        }
        if (jobs.length < PAGE) break;
      }
      for (const job of matched) await removeOrStrip(job, summary);
    }
  } finally {
    await queue.close();
  }
}

export function createAccountErasure(redis: RedisClient, prefix: string, ids: JobIds): AccountErasure {
  async function eraseAccountKeys(account: Account, spare: Set<string>, conversations: Set<string>): Promise<number> {
    const shape = accountKeyShape(account);
    let deleted = 0;
    for await (const keys of scanKeys(redis, `${globLiteral(prefix)}:*:${globLiteral(account.userId)}*`)) {
      const about = keys.filter((key) => shape.test(key) && !spare.has(key));
      for (const key of about) {
        const conversation = conversationTagOf(key, account);
        if (conversation) conversations.add(conversation);
      }
      deleted += await deleteKeys(redis, about);
    }
    return deleted;
  }

  /**
   * Per-message marks outside the conversation's keys: the "still thinking" note (the ledger is
   * tagged by conversation and goes with the account's keys; a fair-use decision is named by a
   * keyed hash of the message in a hash that holds no id, and stays with the counts).
   */
  async function eraseMessageEntries(message: string): Promise<number> {
    return deleteKeys(redis, [stateKey(prefix, 'note', message)]);
  }

  return {
    async eraseAccounts(accounts, options = {}) {
      const summary: ErasureSummary = { keysDeleted: 0, jobsRemoved: 0, jobsInFlight: 0, conversations: [] };
      const found = { messages: [] as string[], jobIds: new Set<string>() };
      for (const queueName of ERASED_QUEUES) {
        await eraseJobs(redis, prefix, queueName, accounts, summary, { ...options, found });
      }
      const suffixes = accounts.map((account) => ids.userSuffix(account.userId));
      await forgetEvents(redis, prefix, found.jobIds, suffixes);
      for (const message of new Set(found.messages)) summary.keysDeleted += await eraseMessageEntries(message);
      const spare = new Set(options.spareKeys ?? []);
      const conversations = new Set<string>();
      for (const account of accounts) summary.keysDeleted += await eraseAccountKeys(account, spare, conversations);
      return { ...summary, conversations: [...conversations] };
    },
    async forgetEventsAbout(jobId) {
      const suffix = ids.suffixOf(jobId);
      if (suffix !== null) await forgetEvents(redis, prefix, new Set(), [suffix]);
    },
  };
}
