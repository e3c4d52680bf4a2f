import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/connection';
import { stateKey } from '../redis/keys';

/**
 * The record of each data-deletion request Meta forwards, found by its confirmation code so the
 * person can check its status. It holds no id of the person: only what happened and when, and
 * it expires (RECORD_TTL_DAYS) like everything else we store. While a signed request is still
 * accepted, a second copy of it finds the first one's code (`deletion-replay:<hash of the
 * signature>`), so a replay opens no record and starts no erasure.
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

  /**
   * Records the request `replayId` names, once, under a random code (96 bits, so it cannot be
   * guessed): the first copy opens a record (`repeated: false`);
   * a copy within `holdSeconds` gets the same record back (`repeated: true`) and opens nothing.
   */
  async openOnce(
    replayId: string,
    holdSeconds: number,
    now = Date.now(),
  ): Promise<{ record: DeletionRecord; repeated: boolean }> {
    const code = randomBytes(12).toString('base64url');
    const replayKey = stateKey(this.prefix, 'deletion-replay', replayId);
    const hold = Math.max(1, Math.ceil(holdSeconds));
    const claimed = await this.redis.set(replayKey, code, 'EX', hold, 'NX');
    if (claimed !== 'OK') {
      const earlier = await this.redis.get(replayKey);
      // The first copy may still be writing its record: its code is the answer all the same.
      if (earlier)
        return {
          record: (await this.find(earlier)) ?? { code: earlier, status: 'pending', receivedAt: now },
          repeated: true,
        };
      await this.redis.set(replayKey, code, 'EX', hold);
    }
    try {
      await this.write(code, now);
    } catch (error) {
      // Meta may send it again: that copy must open the record this one could not.
      await this.redis.del(replayKey).catch(() => undefined);
      throw error;
    }
    return { record: { code, status: 'pending', receivedAt: now }, repeated: false };
  }

  private async write(code: string, now: number): Promise<void> {
    const key = this.keyOf(code);
    await this.redis.multi().hset(key, { status: 'pending', receivedAt: now }).expire(key, this.ttlSeconds).exec();
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
