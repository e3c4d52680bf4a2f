import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LimitSpec } from '../config';
import { FairUseLimiter, type ChargeDecision } from '../src/limits/fair-use-limiter';
import { blockSize } from '../src/limits/global-lease';
import { modeStateKeys, type ModeStateKeys } from '../src/redis/mode-state-keys';
import { createCounterNames } from '../src/crypto/counter-names';
import { CommandLog } from './helpers/command-log';
import { LIMITS_OFF } from './helpers/limits-off';
import { sleep } from './helpers/replies';
import { REDIS_URL, deleteKeysWithPrefix } from './helpers/system';

/**
 * The deployment's budget spent through leases, against a real Redis: what it costs in commands,
 * that two limiters (two worker processes) sharing a budget never answer more than it and, charging
 * until refused, answer all of it, that a block never outlives its window, and that small budgets
 * count turn by turn as before. Each test has a budget counter of its own (its own key prefix).
 */

const OFF = LIMITS_OFF;

describe('the deployment budget, spent through leases', () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  const other = new Redis(REDIS_URL);
  let keys: ModeStateKeys;
  beforeEach(() => {
    keys = modeStateKeys(`${prefix}:${randomUUID().slice(0, 8)}`, createCounterNames(Buffer.from('test counters')));
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    other.disconnect();
  });

  const limiterWith = (global: LimitSpec, client = redis) =>
    new FairUseLimiter(client, keys, { ...OFF, fast: { count: 1000, windowSeconds: 3600 }, globalDaily: global });
  const user = (userId: string) => ({ platform: 'whatsapp', userId });
  const counted = async () => Number(await redis.get(keys.globalLimit));
  const allowed = (decisions: ChargeDecision[]) => decisions.filter((d) => d.allowed).length;
  const refusedByGlobal = (d: ChargeDecision) => !d.allowed && d.refusal.limit === 'global';

  /** Charges turns `batch` at a time until one is refused; returns how many were allowed. */
  async function chargeUntilRefused(limiter: FairUseLimiter, tag: string, batch = 8): Promise<number> {
    let total = 0;
    for (let round = 0; round < 1000; round += 1) {
      const ids = Array.from({ length: batch }, (_, i) => `${tag}-${round}-${i}`);
      const decisions = await Promise.all(ids.map((id) => limiter.charge(user(id), 'fast', id)));
      total += allowed(decisions);
      if (decisions.some((d) => !d.allowed)) {
        expect(decisions.filter((d) => !d.allowed).every(refusedByGlobal)).toBe(true);
        return total;
      }
    }
    throw new Error('never refused');
  }

  it('costs the 3 commands of the person and well under one more per allowed turn', async () => {
    const log = await CommandLog.open();
    const limiter = limiterWith({ count: 5000, windowSeconds: 86_400 });
    const person = keys.limits('whatsapp:steady');
    try {
      // Once, so the server knows the scripts and the first EVALSHA is not answered NOSCRIPT.
      await limiterWith({ count: 5000, windowSeconds: 60 }).charge(user('warm'), 'fast', 'warm');
      await redis.del(keys.globalLimit);
      const commands = await log.during([person, keys.globalLimit], async () => {
        for (let i = 0; i < 100; i += 1)
          expect(await limiter.charge(user('steady'), 'fast', `s${i}`)).toEqual({ allowed: true });
      });
      const global = await log.during([keys.globalLimit], async () => {
        for (let i = 100; i < 200; i += 1) await limiter.charge(user('steady'), 'fast', `s${i}`);
      });
      // A block of 1 while nothing is known, then blocks of 50: three leases for the first 100 turns.
      expect(commands.length / 100).toBeLessThanOrEqual(3.1);
      expect(commands.filter((c) => c === 'incrby')).toHaveLength(3);
      expect(global).toEqual(['evalsha', 'incrby', 'evalsha', 'incrby']);
      expect(await counted()).toBe(201);
    } finally {
      log.close();
    }
  });

  it('takes one lease at a time for a burst of turns in one process', async () => {
    const log = await CommandLog.open();
    const limiter = limiterWith({ count: 5000, windowSeconds: 86_400 });
    try {
      const decisions: ChargeDecision[] = [];
      const commands = await log.during([keys.globalLimit], async () => {
        const ids = Array.from({ length: 200 }, (_, i) => `burst${i}`);
        decisions.push(...(await Promise.all(ids.map((id) => limiter.charge(user(id), 'fast', id)))));
      });
      expect(allowed(decisions)).toBe(200);
      // 1 + 4 × 50 points: five leases, six if a lease's waiters were not all served by it.
      expect(commands.filter((c) => c === 'incrby').length).toBeLessThanOrEqual(6);
      expect(await counted()).toBeLessThanOrEqual(250);
    } finally {
      log.close();
    }
  });

  it.each([2, 30, 400])(
    'never answers more than a budget of %i across two processes, and answers all of it',
    async (count) => {
      const spec = { count, windowSeconds: 86_400 };
      const [one, two] = [limiterWith(spec), limiterWith(spec, other)];
      const [first, second] = await Promise.all([chargeUntilRefused(one, 'one'), chargeUntilRefused(two, 'two')]);
      // Each kept charging until refused, so no point was left in a block.
      expect(first + second).toBe(count);
      expect(await counted()).toBe(count);
      expect(await one.charge(user('late'), 'fast', 'late')).toMatchObject({ allowed: false });
    },
  );

  it('refuses early by at most the block another process holds, which that process still spends', async () => {
    const spec = { count: 400, windowSeconds: 86_400 };
    const [holder, busy] = [limiterWith(spec), limiterWith(spec, other)];
    // The first lease is a single point, the second a block of 399 / 20 = 19: 18 stay unspent.
    for (const id of ['h1', 'h2']) expect(await holder.charge(user(id), 'fast', id)).toEqual({ allowed: true });
    expect(await counted()).toBe(20);
    const answered = await chargeUntilRefused(busy, 'busy', 1);
    expect(answered).toBe(380);
    expect(answered).toBeGreaterThanOrEqual(spec.count - 2 - blockSize(spec.count));
    // The holder's points are not lost: its turns still get them, then the budget is spent.
    expect(await chargeUntilRefused(holder, 'holder', 1)).toBe(18);
    expect(await counted()).toBe(400);
  });

  it("gives a stopping process's unspent block back, so the other can spend the whole budget", async () => {
    const budget = { count: 400, windowSeconds: 3600 };
    const stopping = limiterWith(budget);
    // Enough turns for the stopping process to hold a block of more than one point.
    for (let i = 0; i < 30; i += 1) await stopping.charge(user(`s${i}`), 'fast', `s${i}`);
    const spent = 30;
    expect(await counted()).toBeGreaterThan(spent);
    await stopping.close();
    expect(await counted()).toBe(spent);
    expect(await chargeUntilRefused(limiterWith(budget, other), 'after')).toBe(budget.count - spent);
  });

  it('never spends a block in the window after the one it was taken in', async () => {
    const limiter = limiterWith({ count: 100, windowSeconds: 1 });
    for (const id of ['w1', 'w2']) expect(await limiter.charge(user(id), 'fast', id)).toEqual({ allowed: true });
    // A point, then a block of 99 / 20 = 4, of which 3 are still unspent.
    expect(await counted()).toBe(5);
    await sleep(1100);
    expect(await limiter.charge(user('w3'), 'fast', 'w3')).toEqual({ allowed: true });
    // The turn opened a new window with a lease of its own (a single point: nothing is known yet).
    expect(await counted()).toBe(1);
    const pttl = await redis.pttl(keys.globalLimit);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1000);
  });

  it('counts a budget of 1 turn by turn, across processes and windows, as before', async () => {
    const spec = { count: 1, windowSeconds: 1 };
    const [one, two] = [limiterWith(spec), limiterWith(spec, other)];
    const ids = Array.from({ length: 6 }, (_, i) => `one${i}`);
    const decisions = await Promise.all(ids.map((id, i) => (i % 2 ? one : two).charge(user(id), 'fast', id)));
    expect(allowed(decisions)).toBe(1);
    const refusals = decisions.filter((d) => !d.allowed);
    expect(refusals.every((d) => refusedByGlobal(d) && d.tell)).toBe(true);
    for (const refusal of refusals) if (!refusal.allowed) expect(refusal.refusal.resetsInMs).toBeLessThanOrEqual(1000);
    expect(await counted()).toBe(1);
    await sleep(1100);
    expect(await two.charge(user('next'), 'fast', 'next')).toEqual({ allowed: true });
    expect(await one.charge(user('next2'), 'fast', 'next2')).toMatchObject({ allowed: false });
    expect(await counted()).toBe(1);
  });
});
