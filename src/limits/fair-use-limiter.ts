import type { RedisClient } from '../redis/connection';
import type { Config, LimitSpec } from '../../config';
import type { Mode } from '../core/modes';
import type { ModeStateKeys } from '../redis/mode-state-keys';
import { chargeScripts } from './charge-scripts';
import { GlobalLease } from './global-lease';

/**
 * Fair use, kept in Redis so it holds across any number of workers: a limit per person per mode,
 * a burst limit and a daily cap per person across modes, and a daily budget for the whole
 * deployment. Commands never reach the model, so they cost only burst points: enough that
 * spamming them is not free, without touching anyone's model budget. Each is a fixed window that
 * opens with the first turn it counts (so `5/1d` means five turns in the 24 hours from the first
 * of them).
 *
 * A turn is charged once: the decision is recorded per message, so a retried job replays it
 * instead of charging again (a refusal only while its window lasts). A refused turn charges
 * nothing. The user is told about a refusal once per refused batch: the messages refused within
 * a few seconds of the first (sent together, before the notice could be read) share one notice,
 * and a refusal after that is told again, so no message goes unanswered. The person's limits
 * and the decision are one script on one hash (see charge-scripts.ts); the deployment's budget
 * lives in a slot of its own and is spent through leases: this process takes points from it in
 * blocks and spends them on the turns the person's limits allowed, so most turns cost nothing
 * more (global-lease.ts). One limiter per process.
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
  /**
   * `tell`: this is the first refusal of its batch, so the user gets a notice; `endsAt`: when the
   * window that refused ends (ms since the epoch), the same on a replay
   */
  | { allowed: false; refusal: Refusal; tell: boolean; endsAt: number };

/** How long a refused batch lasts: refusals within it share the first one's notice. */
export const REFUSED_BATCH_MS = 10_000;

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

/** The most that may pass between two sweeps of old decisions out of a person's hash. */
const HOUSEKEEPING_STEP_MS = 3600 * 1000;

/** A decision as the scripts record it: `<at>`, or `<at>|<limit>|<resets in ms>|<tell>|<count>|<window s>`. */
function decisionOf(recorded: string): ChargeDecision {
  const [at, limit, resetsInMs, tell, count, windowSeconds] = recorded.split('|');
  if (limit === undefined) return { allowed: true };
  return {
    allowed: false,
    refusal: {
      limit: limit as LimitName,
      spec: { count: Number(count), windowSeconds: Number(windowSeconds) },
      resetsInMs: Number(resetsInMs),
    },
    tell: tell === '1',
    endsAt: Number(at) + Number(resetsInMs),
  };
}

export class FairUseLimiter {
  private readonly specs = new Map<LimitName, LimitSpec>();
  private readonly exempt: Set<string>;
  private readonly keepMs: number;
  private readonly stepMs: number;
  private readonly global: GlobalLease | null;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ModeStateKeys,
    settings: LimitsSettings,
    decisionTtlSeconds = 24 * 3600,
    private readonly refusedBatchMs = REFUSED_BATCH_MS,
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
    for (const [name, spec] of specs) if (spec) this.specs.set(name, spec);
    this.exempt = new Set(settings.exemptUsers);
    this.keepMs = decisionTtlSeconds * 1000;
    this.stepMs = Math.min(this.keepMs, HOUSEKEEPING_STEP_MS);
    this.global = settings.globalDaily ? new GlobalLease(redis, keys.globalLimit, settings.globalDaily) : null;
  }

  /** The process stops: its unspent share of the deployment's budget goes back (best effort). */
  async close(): Promise<void> {
    await this.global?.giveBack().catch(() => undefined);
  }

  spec(limit: LimitName): LimitSpec | null {
    return this.specs.get(limit) ?? null;
  }

  isExempt(user: LimitedUser): boolean {
    return this.exempt.has(user.userId) || this.exempt.has(`${user.platform}:${user.userId}`);
  }

  /**
   * Charges one turn in `mode` for the message `messageKey`, or refuses it. Idempotent per message.
   * `burst: false` leaves the burst limit out (a tapped button: the person answers the bot).
   */
  async charge(user: LimitedUser, mode: Mode, messageKey: string, options = { burst: true }): Promise<ChargeDecision> {
    const names: LimitName[] = options.burst ? [mode, 'burst', 'daily'] : [mode, 'daily'];
    return this.decide(user, messageKey, names, this.global);
  }

  /** Charges one command (burst only: it never reaches the model), or refuses it. Idempotent per message. */
  async chargeCommand(user: LimitedUser, messageKey: string): Promise<ChargeDecision> {
    return this.decide(user, messageKey, ['burst'], null);
  }

  private async decide(
    user: LimitedUser,
    messageKey: string,
    names: LimitName[],
    global: GlobalLease | null,
  ): Promise<ChargeDecision> {
    const counted = names.filter((name) => this.specs.has(name));
    if (this.isExempt(user) || (counted.length === 0 && !global)) return { allowed: true };
    const key = this.keys.limits(this.owner(user));
    const field = this.keys.decision(messageKey);
    const limits = counted.flatMap((name) => {
      const { count, windowSeconds } = this.specs.get(name)!;
      return [name, count, windowSeconds];
    });
    const args = [...this.times(), field, ...limits];
    const [fresh, recorded] = (await chargeScripts.charge.run(this.redis, [key], args)) as [number, string];
    const decision = decisionOf(recorded);
    // A replayed decision is final: the budget was charged, or the attempt died (or Redis failed)
    // before it could be, and that turn is free: never charge twice.
    if (!fresh || !decision.allowed || !global) return decision;
    const resetsInMs = await global.spend();
    if (resetsInMs === 0) return decision;
    const spec = [resetsInMs, global.spec.count, global.spec.windowSeconds];
    const refused = await chargeScripts.giveBack.run(this.redis, [key], [...this.times(), field, ...spec, ...counted]);
    return decisionOf(String(refused));
  }

  /** The clock and the lifetimes every charge script starts with. */
  private times(): number[] {
    return [Date.now(), this.keepMs, this.stepMs, this.refusedBatchMs];
  }

  /** What is left of each limit that applies to the user (for /limits and /export), in one read. */
  async status(user: LimitedUser): Promise<LimitStatus[]> {
    const limits = [...this.specs].filter(([limit]) => limit !== 'global');
    if (limits.length === 0) return [];
    const got = await this.redis.hmget(
      this.keys.limits(this.owner(user)),
      ...limits.flatMap(([limit]) => [limit, `${limit}@`]),
    );
    const now = Date.now();
    return limits.map(([limit, spec], i) => {
      const ends = Number(got[2 * i + 1] ?? 0);
      const open = ends > now;
      const used = open ? Number(got[2 * i] ?? 0) : 0;
      return { limit, spec, remaining: Math.max(0, spec.count - used), resetsInMs: open ? ends - now : null };
    });
  }

  /**
   * After an erasure: the counts stay (they protect everyone else, docs/privacy.md), but the
   * person is told again when a limit refuses them, instead of meeting silence.
   */
  async forgetNotices(persons: string[]): Promise<void> {
    const told = [...this.specs.keys()].map((limit) => `${limit}!`);
    if (told.length === 0) return;
    for (const person of persons) await this.redis.hdel(this.keys.limits(person), ...told);
  }

  private owner(user: LimitedUser): string {
    return user.person ?? `${user.platform}:${user.userId}`;
  }
}
