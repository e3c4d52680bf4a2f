import type { RedisClient } from '../redis/connection';
import { stateKey } from '../redis/keys';
import { availability } from './business-hours';
import type { HandoffDeskDependencies } from './handoff-desk-types';
import type { PausedState } from './handoff-state';

/** How many recent first replies the typical figure is the median of. */
export const REPLY_TIMES_KEPT = 50;
/** Fewer first replies than this, and no figure is promised. */
export const REPLY_TIMES_NEEDED = 5;
/** A deployment whose agents have not replied for this long has no recent figure to promise. */
const REPLY_TIMES_TTL_SECONDS = 30 * 24 * 3600;

/**
 * How long agents took to send the first reply of their last handoffs, per deployment: seconds
 * only, nothing about whom they answered, so nothing here belongs to a person (/export and
 * /forget all have nothing to find). The person asking for someone is told the median.
 */
export class ReplyTimes {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.key = stateKey(prefix, 'handoff-reply-times');
  }

  async record(seconds: number): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.key, String(Math.max(0, Math.round(seconds))))
      .ltrim(this.key, 0, REPLY_TIMES_KEPT - 1)
      .expire(this.key, REPLY_TIMES_TTL_SECONDS)
      .exec();
  }

  /** The median of the kept first replies in seconds; null with fewer than REPLY_TIMES_NEEDED. */
  async typicalSeconds(): Promise<number | null> {
    const kept = (await this.redis.lrange(this.key, 0, REPLY_TIMES_KEPT - 1)).map(Number).filter(Number.isFinite);
    if (kept.length < REPLY_TIMES_NEEDED) return null;
    const sorted = kept.sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
}

/** A wait as the person reads it: whole minutes, or hours from 90 minutes on. */
export type TypicalWait = { unit: 'minutes' | 'hours'; count: number };

/**
 * A friendly figure for a wait in minutes, never below what was measured: a few minutes exactly,
 * then fives, then quarter hours, then hours from 90 minutes (to the nearest hour).
 */
export function friendlyWait(minutes: number): TypicalWait {
  if (minutes >= 90) return { unit: 'hours', count: Math.round(minutes / 60) };
  const step = minutes <= 5 ? 1 : minutes <= 60 ? 5 : 15;
  return { unit: 'minutes', count: Math.max(1, Math.ceil(minutes / step) * step) };
}

type TimingDeps = Pick<HandoffDeskDependencies, 'metrics' | 'replyTimes' | 'hours' | 'logger'>;

/**
 * The first agent reply of a handoff: observed for the operator, and kept for the typical figure
 * when it measures how fast agents answer, that is when a target was asked (not a business that
 * stepped in by itself) while the team was in (a handoff asked at night would count the night).
 */
export async function timeFirstReply(deps: TimingDeps, state: PausedState, target: string, now: number) {
  const seconds = (now - state.since) / 1000;
  deps.metrics.handoffFirstReply.observe({ target }, seconds);
  const during = availability(deps.hours ?? null, new Date(state.since)).kind !== 'closed';
  if (!deps.replyTimes || state.targets.length === 0 || !during) return;
  await deps.replyTimes.record(seconds).catch((err: unknown) => {
    deps.logger.warn({ err }, 'first reply time not kept');
  });
}

/** The operator's HANDOFF_TYPICAL_REPLY_MINUTES as said, or the measured median made friendly; null: no figure. */
export async function typicalWait(
  deps: Pick<HandoffDeskDependencies, 'replyTimes' | 'typicalReplyMinutes'>,
): Promise<TypicalWait | null> {
  const set = deps.typicalReplyMinutes;
  if (set)
    return set >= 90
      ? { unit: 'hours', count: Math.round(set / 60) }
      : { unit: 'minutes', count: Math.max(1, Math.round(set)) };
  const seconds = await deps.replyTimes?.typicalSeconds();
  return seconds === undefined || seconds === null ? null : friendlyWait(seconds / 60);
}
