import type { RedisClient } from '../redis/connection';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config, LimitSpec } from '../../config';
import type { Mode } from '../core/modes';
import type { ModeStateKeys } from '../redis/mode-state-keys';

/**
 * Fair use, kept in Redis with rate-limiter-flexible so it holds across any number of workers:
 * a limit per user per mode, a burst limit and a daily cap per user across modes, and a daily
 * budget for the whole deployment. Commands never reach the model, so they cost only burst
 * points: enough that spamming them is not free, without touching anyone's model budget. Each is a fixed window that opens with the first turn it counts (so `5/1d`
 * means five turns in the 24 hours from the first of them).
 *
 * A turn is charged once: the decision is recorded per message, so a retried job replays it
 * instead of charging again. A refused turn charges nothing (points taken from the limits that
 * still had room are given back). The user is told about a refusal once per window.
 */

export type LimitName = Mode | 'burst' | 'daily' | 'global';

/** Each limit null when off; exemptUsers are userIds or platform:userId. */
export type LimitsSettings = Config['limits'];

export interface Refusal {
  limit: LimitName;
  spec: LimitSpec;
  /** ms until the window that refused resets */
  resetsInMs: number;
}

export type ChargeDecision =
  | { allowed: true }
  /** `tell`: this is the first refusal of the window, so the user gets a notice */
  | { allowed: false; refusal: Refusal; tell: boolean };

export interface LimitStatus {
  limit: LimitName;
  spec: LimitSpec;
  remaining: number;
  /** null while the window has not opened (nothing used yet) */
  resetsInMs: number | null;
}

/**
 * A user across this platform's channels (`platform:userId`), or, when they linked accounts
 * across apps, the person those accounts share: limits are theirs, not one app's.
 */
export interface LimitedUser {
  platform: string;
  userId: string;
  /** the person key (src/people); unset: the account is its own person */
  person?: string;
}

const PENDING = 'pending';

export class FairUseLimiter {
  private readonly limiters = new Map<LimitName, { spec: LimitSpec; limiter: RateLimiterRedis }>();
  private readonly exempt: Set<string>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ModeStateKeys,
    settings: LimitsSettings,
    private readonly decisionTtlSeconds = 24 * 3600,
  ) {
    const specs: Array<[LimitName, LimitSpec | null]> = [
      ['fast', settings.fast],
      ['thinking', settings.thinking],
      ['contemplating', settings.contemplating],
      ['shopping', settings.shopping],
      ['burst', settings.burst],
      ['daily', settings.userDaily],
      ['global', settings.globalDaily],
    ];
    for (const [name, spec] of specs) {
      if (!spec) continue;
      this.limiters.set(name, {
        spec,
        limiter: new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: keys.limiterPrefix(name),
          points: spec.count,
          duration: spec.windowSeconds,
        }),
      });
    }
    this.exempt = new Set(settings.exemptUsers);
  }

  spec(limit: LimitName): LimitSpec | null {
    return this.limiters.get(limit)?.spec ?? null;
  }

  isExempt(user: LimitedUser): boolean {
    return this.exempt.has(user.userId) || this.exempt.has(`${user.platform}:${user.userId}`);
  }

  /** Charges one turn in `mode` for the message `messageKey`, or refuses it. Idempotent per message. */
  async charge(user: LimitedUser, mode: Mode, messageKey: string): Promise<ChargeDecision> {
    return this.decideOnce(user, messageKey, () => this.consume(user, [mode, 'burst', 'daily', 'global']));
  }

  /** Charges one command (burst only: it never reaches the model), or refuses it. Idempotent per message. */
  async chargeCommand(user: LimitedUser, messageKey: string): Promise<ChargeDecision> {
    return this.decideOnce(user, messageKey, () => this.consume(user, ['burst']));
  }

  private async decideOnce(
    user: LimitedUser,
    messageKey: string,
    decide: () => Promise<ChargeDecision>,
  ): Promise<ChargeDecision> {
    if (this.isExempt(user)) return { allowed: true };
    const decisionKey = this.keys.limitDecision(messageKey);
    const claimed = await this.redis.set(decisionKey, PENDING, 'EX', this.decisionTtlSeconds, 'NX');
    if (claimed !== 'OK') {
      const earlier = await this.redis.get(decisionKey);
      // An earlier attempt charged (or was charging when it died): never charge twice. If it died
      // mid-way the user gets this turn free, which is the kinder failure.
      if (earlier === null || earlier === PENDING) return { allowed: true };
      try {
        return JSON.parse(earlier) as ChargeDecision;
      } catch {
        return { allowed: true };
      }
    }
    let decision: ChargeDecision;
    try {
      decision = await decide();
    } catch (error) {
      // Redis failed: forget the claim so the retried job decides afresh.
      await this.redis.del(decisionKey).catch(() => undefined);
      throw error;
    }
    await this.redis.set(decisionKey, JSON.stringify(decision), 'EX', this.decisionTtlSeconds);
    return decision;
  }

  /** What is left of each limit that applies to the user (for /limits). */
  async status(user: LimitedUser): Promise<LimitStatus[]> {
    const statuses: LimitStatus[] = [];
    for (const [limit, { spec, limiter }] of this.limiters) {
      if (limit === 'global') continue;
      const res = await limiter.get(this.subject(limit, user));
      statuses.push({
        limit,
        spec,
        remaining: res ? Math.max(0, spec.count - res.consumedPoints) : spec.count,
        resetsInMs: res && res.msBeforeNext > 0 ? res.msBeforeNext : null,
      });
    }
    return statuses;
  }

  private subject(limit: LimitName, user: LimitedUser): string {
    return limit === 'global' ? 'all' : this.owner(user);
  }

  private owner(user: LimitedUser): string {
    return user.person ?? `${user.platform}:${user.userId}`;
  }

  private async consume(user: LimitedUser, limits: LimitName[]): Promise<ChargeDecision> {
    const taken: Array<{ limiter: RateLimiterRedis; key: string }> = [];
    for (const limit of limits) {
      const entry = this.limiters.get(limit);
      if (!entry) continue;
      const key = this.subject(limit, user);
      try {
        await entry.limiter.consume(key, 1);
        taken.push({ limiter: entry.limiter, key });
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // Refused turns cost nothing: give back what the other limits already took.
        await Promise.all(taken.map(({ limiter, key: takenKey }) => limiter.reward(takenKey, 1)));
        const resetsInMs = Math.max(1, rejection.msBeforeNext);
        const told = await this.redis.set(this.keys.limitTold(limit, this.owner(user)), '1', 'PX', resetsInMs, 'NX');
        return { allowed: false, refusal: { limit, spec: entry.spec, resetsInMs }, tell: told === 'OK' };
      }
    }
    return { allowed: true };
  }
}
