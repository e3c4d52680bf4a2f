import type { RedisClient } from '../redis/connection';
import type { LimitSpec } from '../../config';
import { chargeScripts } from './charge-scripts';

/**
 * The deployment's daily budget, spent through leases: the process takes points from the shared
 * counter in blocks and spends them one per allowed turn, so a turn rarely costs a Redis command
 * for it. The counter never counts past the budget (the script grants at most what remains), so
 * the deployment never answers more turns in a window than the budget. What a block costs is
 * precision at the edge: points sitting unspent in one process while another is refused. Blocks
 * are therefore sized from what this process saw left at its last lease, 1/LEASE_SHARE of it,
 * never more than LEASE_MAX, and 1 while nothing is known (a new window) or fewer than
 * 2 × LEASE_SHARE were left: a process holds at most min(LEASE_MAX, budget / LEASE_SHARE) points,
 * and blocks shrink to single points as the budget runs out. Points a process holds when it stops
 * are given back (giveBack); a process that dies loses its block to the rest of the window (the
 * bounds are in docs/modes-commands-limits.md), as does a block whose lease answer never arrived.
 */

/** The share of what remains a block may take: 1/20, so the blocks held are a few percent of it. */
const LEASE_SHARE = 20;
/** The largest block: past it a bigger block saves too little to be worth what it can strand. */
const LEASE_MAX = 50;
/** How far inside its window a block must be for its points to be given back. */
const RETURN_MARGIN_MS = 5_000;

export class GlobalLease {
  /** points of the current block not spent yet */
  private points = 0;
  /** when the window of the current block ends, on a monotonic clock, never later than Redis's expiry */
  private endsAt = 0;
  /** what the counter had left at the last lease of this window, null while nothing is known */
  private remaining: number | null = null;
  /** the lease under way: a burst of turns waits for one lease instead of taking one each */
  private leasing: Promise<number> | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    readonly spec: LimitSpec,
  ) {}

  /** Spends a point on an allowed turn: 0 when the budget allows it, else ms until it resets. */
  async spend(): Promise<number> {
    for (;;) {
      // A block belongs to the window it was taken in: never spend it in the next one.
      if (clock() >= this.endsAt) this.forgetWindow();
      if (this.points > 0) {
        this.points -= 1;
        return 0;
      }
      this.leasing ??= this.lease().finally(() => {
        this.leasing = null;
      });
      const refusedFor = await this.leasing;
      // A refusal answers every turn that waited for that lease; after a grant, the turns that
      // waited share the block, and those it does not reach take the next.
      if (refusedFor > 0) return refusedFor;
    }
  }

  private forgetWindow(): void {
    this.points = 0;
    this.endsAt = 0;
    this.remaining = null;
  }

  /**
   * Gives the unspent points back when the process stops, so a deploy does not strand them for
   * the rest of the window. Only well inside the block's window: a counter that may already have
   * rolled over to the next window must not be lowered.
   */
  async giveBack(): Promise<void> {
    const points = this.points;
    if (points === 0 || clock() >= this.endsAt - RETURN_MARGIN_MS) return;
    this.points = 0;
    await chargeScripts.returnLease.run(this.redis, [this.key], [points]);
  }

  /** Takes a block; 0 when granted, else ms until the budget resets. */
  private async lease(): Promise<number> {
    const start = clock();
    const known = start < this.endsAt;
    const knownEnd = this.endsAt;
    const want = known && this.remaining !== null ? blockSize(this.remaining) : 1;
    const { count, windowSeconds } = this.spec;
    const args = [count, windowSeconds * 1000, want, known ? 1 : 0];
    const [granted, used, left] = (await chargeScripts.lease.run(this.redis, [this.key], args)) as number[];
    // Measured from before the call, so the end is never later than the counter's own expiry.
    const endsAt = left! >= 0 ? start + left! : knownEnd;
    this.endsAt = endsAt;
    this.remaining = Math.max(0, count - used!);
    this.points = granted!;
    return granted! > 0 ? 0 : Math.max(1, Math.ceil(endsAt - clock()));
  }
}

/**
 * Lease ends are durations Redis gave (PTTL), so they are kept on a monotonic clock: a wall
 * clock stepped back (NTP) must not let a block outlive its window.
 */
function clock(): number {
  return performance.now();
}

/** The block to ask for when `remaining` points were left at the last lease. */
export function blockSize(remaining: number): number {
  return Math.min(LEASE_MAX, Math.max(1, Math.floor(remaining / LEASE_SHARE)));
}
