import { Queue } from 'bullmq';
import type { RedisClient } from '../redis/connection';
import { deleteKeys, scanKeys } from '../redis/key-scan';
import { messageKey, type Platform } from '../core/inbound';
import { INBOUND_QUEUE, OUTBOUND_QUEUE } from '../queues/jobs';
import { queuePrefix, stateKey } from '../redis/keys';

/**
 * Erases what an id from Meta's Data Deletion Request Callback can be matched to. That id is
 * app-scoped (a Facebook user as this app knows them); our data is keyed by the ids the messaging
 * platforms give us (Page-scoped on Messenger, Instagram-scoped on Instagram, phone numbers on
 * WhatsApp). They are different numbers for the same person, so this erases data only where the
 * stored id equals the given one on Messenger or Instagram; docs/privacy.md says so plainly.
 *
 * Matched: every conversation key (`<prefix>:state:<family>:{<platform>:<channel>:<id>}[:...]`:
 * history, mode, inbox, locks, outbox, closed window, and the answer ledger, whose pending replies
 * carry answer text), fair-use counters and "told" marks keyed by `<platform>:<id>`, the person's
 * queued and finished jobs (they carry message text), and the per-message marks of those jobs.
 */

export interface ErasureSummary {
  keysDeleted: number;
  jobsRemoved: number;
  /** jobs running right now could not be removed; they finish and expire on their own */
  jobsInFlight: number;
}

export interface AppScopedErasure {
  eraseAppScopedUser(userId: string): Promise<ErasureSummary>;
}

const PLATFORMS: Platform[] = ['messenger', 'instagram'];
const JOB_STATES = ['completed', 'failed', 'delayed', 'waiting', 'prioritized', 'paused', 'active'] as const;
const PAGE = 500;

/** Escapes Redis glob characters, so an id can only match itself. */
function literal(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * A key about the person: it carries their conversation key as its hash tag
 * (`{<platform>:<channel>:<id>}`, see src/redis/keys.ts) or ends in a per-platform user key
 * (`<platform>:<id>`), on a platform whose ids the request can match. BullMQ's own keys never
 * match: job ids use `-`, not `:`, after the platform.
 */
function personKeyShape(userId: string): RegExp {
  const id = userId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const platforms = PLATFORMS.join('|');
  return new RegExp(`:\\{(?:${platforms}):[^:]+:${id}\\}(?::|$)|:(?:${platforms})(?::[^:]+)?:${id}$`);
}

export function createAppScopedErasure(redis: RedisClient, prefix: string): AppScopedErasure {
  /** One pass over the keyspace under the prefix; only keys of the person's shape are deleted. */
  async function erasePersonKeys(userId: string): Promise<number> {
    const shape = personKeyShape(userId);
    let deleted = 0;
    for await (const keys of scanKeys(redis, `${literal(prefix)}:*:${literal(userId)}*`)) {
      deleted += await deleteKeys(
        redis,
        keys.filter((key) => shape.test(key)),
      );
    }
    return deleted;
  }

  /** Per-message marks outside the conversation's keys: the "still thinking" note, the limit decision. */
  async function eraseMessageEntries(message: string): Promise<number> {
    return deleteKeys(redis, [stateKey(prefix, 'note', message), stateKey(prefix, 'limits', 'decision', message)]);
  }

  async function eraseJobs(queueName: string, userId: string, summary: ErasureSummary): Promise<string[]> {
    const queue = new Queue(queueName, { connection: redis, prefix: queuePrefix(prefix) });
    const messages: string[] = [];
    try {
      for (const jobState of JOB_STATES) {
        const matched = [];
        for (let start = 0; ; start += PAGE) {
          const jobs = await queue.getJobs([jobState], start, start + PAGE - 1);
          for (const job of jobs) {
            const data = job.data as { platform?: unknown; userId?: unknown; id?: unknown; answering?: unknown };
            if (data.userId !== userId || !PLATFORMS.includes(data.platform as Platform)) continue;
            matched.push(job);
            if (typeof data.answering === 'string') messages.push(data.answering);
            else if (typeof data.id === 'string')
              messages.push(messageKey({ platform: data.platform as Platform, id: data.id }));
          }
          if (jobs.length < PAGE) break;
        }
        for (const job of matched) {
          try {
            await job.remove();
            summary.jobsRemoved += 1;
          } catch {
            summary.jobsInFlight += 1;
          }
        }
      }
    } finally {
      await queue.close();
    }
    return messages;
  }

  return {
    async eraseAppScopedUser(userId) {
      const summary: ErasureSummary = { keysDeleted: 0, jobsRemoved: 0, jobsInFlight: 0 };
      const messages = [
        ...(await eraseJobs(INBOUND_QUEUE, userId, summary)),
        ...(await eraseJobs(OUTBOUND_QUEUE, userId, summary)),
      ];
      for (const message of new Set(messages)) summary.keysDeleted += await eraseMessageEntries(message);
      summary.keysDeleted += await erasePersonKeys(userId);
      return summary;
    },
  };
}
