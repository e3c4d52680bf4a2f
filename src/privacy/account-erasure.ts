import { Queue, type Job } from 'bullmq';
import { messageKey, type Platform } from '../core/inbound';
import { INBOUND_QUEUE, OUTBOUND_QUEUE, stripFinishedJob } from '../queues/jobs';
import type { RedisClient } from '../redis/connection';
import { deleteKeys, globLiteral, scanKeys } from '../redis/key-scan';
import { queuePrefix, stateKey } from '../redis/keys';

/**
 * Erases everything kept under some accounts (`platform` + the user id that platform gives us):
 * every key tagged with one of their conversations (`…:{<platform>:<channel>:<id>}[:…]`: history,
 * inbox, ledger, outbox, first-contact mark, /why; see src/redis/keys.ts) or ending in their
 * account key (`<platform>:<id>`: counters, "told" marks, links, mode, limits and remembered facts
 * of a person), their queued and finished jobs in both queues (they carry message text), the
 * per-message marks of those jobs and the lines of BullMQ's events streams that name those jobs.
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
}

export interface EraseOptions {
  /** keys not to delete (the lock of the turn doing the erasing) */
  spareKeys?: string[];
  /** a message whose job and ledger entries are left (the turn doing the erasing) */
  spareMessage?: string;
}

export interface AccountErasure {
  eraseAccounts(accounts: Account[], options?: EraseOptions): Promise<ErasureSummary>;
}

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

/** Deletes the events-stream lines that name the erased jobs (their ids are message ids). */
async function forgetEvents(redis: RedisClient, stream: string, jobIds: Set<string>): Promise<void> {
  if (jobIds.size === 0) return;
  const entries = await redis.xrange(stream, '-', '+');
  const named = entries.filter(([, fields]) => fields.some((value, i) => i % 2 === 1 && jobIds.has(value)));
  if (named.length > 0) await redis.xdel(stream, ...named.map(([id]) => id));
}

export function createAccountErasure(redis: RedisClient, prefix: string): AccountErasure {
  async function eraseAccountKeys(account: Account, spare: Set<string>): Promise<number> {
    const shape = accountKeyShape(account);
    let deleted = 0;
    for await (const keys of scanKeys(redis, `${globLiteral(prefix)}:*:${globLiteral(account.userId)}*`)) {
      deleted += await deleteKeys(
        redis,
        keys.filter((key) => shape.test(key) && !spare.has(key)),
      );
    }
    return deleted;
  }

  /**
   * Per-message marks outside the conversation's keys: the "still thinking" note (the ledger is
   * tagged by conversation, and the fair-use decisions live in the person's limits hash: both go
   * with the account's keys).
   */
  async function eraseMessageEntries(message: string): Promise<number> {
    return deleteKeys(redis, [stateKey(prefix, 'note', message)]);
  }

  async function eraseJobs(queueName: string, accounts: Account[], summary: ErasureSummary, options: EraseOptions) {
    const owners = new Set(accounts.map((a) => `${a.platform}:${a.userId}`));
    const queue = new Queue(queueName, { connection: redis, prefix: queuePrefix(prefix) });
    const found = { messages: [] as string[], jobIds: new Set<string>() };
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
    await forgetEvents(redis, `${queuePrefix(prefix)}:${queueName}:events`, found.jobIds);
    return found.messages;
  }

  return {
    async eraseAccounts(accounts, options = {}) {
      const summary: ErasureSummary = { keysDeleted: 0, jobsRemoved: 0, jobsInFlight: 0 };
      const messages = [
        ...(await eraseJobs(INBOUND_QUEUE, accounts, summary, options)),
        ...(await eraseJobs(OUTBOUND_QUEUE, accounts, summary, options)),
      ];
      for (const message of new Set(messages)) summary.keysDeleted += await eraseMessageEntries(message);
      const spare = new Set(options.spareKeys ?? []);
      for (const account of accounts) summary.keysDeleted += await eraseAccountKeys(account, spare);
      return summary;
    },
  };
}
