import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/connection';
import { stateKey } from '../redis/keys';

/**
 * The record of each data-deletion request Meta forwards, found by its confirmation code so the
 * person can check its status. It holds no id of the person: only what happened and when, and
 * it expires (RECORD_TTL_DAYS) like everything else we store.
 */

export const RECORD_TTL_DAYS = 90;

export type DeletionStatus = 'pending' | 'done' | 'failed';

export interface DeletionRecord {
  code: string;
  status: DeletionStatus;
  receivedAt: number;
  finishedAt?: number;
  /** stored items erased (keys and queued jobs) */
  erased?: number;
}

const CODE_SHAPE = /^[A-Za-z0-9_-]{16}$/;

export function isConfirmationCode(value: string): boolean {
  return CODE_SHAPE.test(value);
}

export class DeletionRequests {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = RECORD_TTL_DAYS * 24 * 3600,
  ) {}

  private keyOf(code: string): string {
    return stateKey(this.prefix, 'deletion', code);
  }

  /** Records a new request; the code is random (96 bits), so it cannot be guessed. */
  async open(now = Date.now()): Promise<DeletionRecord> {
    const code = randomBytes(12).toString('base64url');
    const key = this.keyOf(code);
    await this.redis.multi().hset(key, { status: 'pending', receivedAt: now }).expire(key, this.ttlSeconds).exec();
    return { code, status: 'pending', receivedAt: now };
  }

  async finish(code: string, outcome: { status: 'done'; erased: number } | { status: 'failed' }): Promise<void> {
    const fields: Record<string, string | number> = { status: outcome.status, finishedAt: Date.now() };
    if (outcome.status === 'done') fields.erased = outcome.erased;
    // Only an existing record is updated: one that expired meanwhile is not brought back.
    const key = this.keyOf(code);
    if ((await this.redis.exists(key)) === 1) await this.redis.hset(key, fields);
  }

  async find(code: string): Promise<DeletionRecord | null> {
    if (!isConfirmationCode(code)) return null;
    const raw = await this.redis.hgetall(this.keyOf(code));
    const status = raw.status;
    if (status !== 'pending' && status !== 'done' && status !== 'failed') return null;
    return {
      code,
      status,
      receivedAt: Number(raw.receivedAt),
      ...(raw.finishedAt ? { finishedAt: Number(raw.finishedAt) } : {}),
      ...(raw.erased ? { erased: Number(raw.erased) } : {}),
    };
  }
}
