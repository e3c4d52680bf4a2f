import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { FairUseLimiter, type LimitsSettings } from '../src/limits/fair-use-limiter';
import { modeStateKeys } from '../src/redis/mode-state-keys';
import { createCounterNames } from '../src/crypto/counter-names';
import { CommandLog } from './helpers/command-log';
import { LIMITS_OFF } from './helpers/limits-off';
import { sleep } from './helpers/replies';
import { REDIS_URL, deleteKeysWithPrefix } from './helpers/system';

/**
 * The fair-use charge against a real Redis: what it counts (refusals, linked people, retries,
 * concurrent workers, windows, the deployment's budget), what it keeps and for how long, and how
 * many commands Redis runs for it, scripts' inner commands included (watched with MONITOR, which
 * shows those too, so other test files sharing the server do not disturb the count).
 */

const OFF = LIMITS_OFF;

describe('the fair-use charge', () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const keys = modeStateKeys(prefix, createCounterNames(Buffer.from('test counters')));
  const redis = new Redis(REDIS_URL);
  const other = new Redis(REDIS_URL);
  const limiterWith = (settings: Partial<LimitsSettings>, decisionTtlSeconds?: number, client = redis) =>
    new FairUseLimiter(client, keys, { ...OFF, ...settings }, decisionTtlSeconds);
  const remaining = async (limiter: FairUseLimiter, user: { platform: string; userId: string }) =>
    Object.fromEntries((await limiter.status(user)).map((s) => [s.limit, s.remaining]));
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    other.disconnect();
  });

  it('refuses after the count, charges a refused turn nowhere, and opens a fresh window after it ends', async () => {
    const limiter = limiterWith({ fast: { count: 2, windowSeconds: 1 }, burst: { count: 5, windowSeconds: 60 } });
    const user = { platform: 'whatsapp', userId: 'w1' };
    expect(await limiter.charge(user, 'fast', 'a1')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'fast', 'a2')).toEqual({ allowed: true });
    const refused = await limiter.charge(user, 'fast', 'a3');
    expect(refused).toMatchObject({ allowed: false, tell: true, refusal: { limit: 'fast', spec: { count: 2 } } });
    if (refused.allowed) throw new Error('expected a refusal');
    expect(refused.refusal.resetsInMs).toBeGreaterThan(0);
    expect(refused.refusal.resetsInMs).toBeLessThanOrEqual(1000);
    expect(await limiter.charge(user, 'fast', 'a4')).toMatchObject({ allowed: false, tell: false });
    // Two refused turns, and the burst limit counted only the two allowed ones.
    expect(await remaining(limiter, user)).toEqual({ fast: 0, burst: 3 });

    await sleep(1100);
    expect(await limiter.charge(user, 'fast', 'a5')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'fast', 'a6')).toEqual({ allowed: true });
    // A new window, so the user is told again.
    expect(await limiter.charge(user, 'fast', 'a7')).toMatchObject({ allowed: false, tell: true });
    expect(await remaining(limiter, user)).toEqual({ fast: 0, burst: 1 });
  });

  it('tells once per refused batch, replays a refusal only while its window lasts, and lets taps past the burst', async () => {
    const limiter = new FairUseLimiter(redis, keys, { ...OFF, burst: { count: 1, windowSeconds: 1 } }, undefined, 300);
    const user = { platform: 'whatsapp', userId: 'batch' };
    expect(await limiter.charge(user, 'fast', 'k1')).toEqual({ allowed: true });
    const first = await limiter.charge(user, 'fast', 'k2');
    expect(first).toMatchObject({ allowed: false, tell: true, refusal: { limit: 'burst' } });
    // Sent together: one notice for the batch.
    expect(await limiter.charge(user, 'fast', 'k3')).toMatchObject({ allowed: false, tell: false });
    // A tapped button is not counted against the burst at all.
    expect(await limiter.charge(user, 'fast', 'tap', { burst: false })).toEqual({ allowed: true });
    await sleep(350);
    // After the batch, a refused message is told again; the held one replays its refusal, same end.
    expect(await limiter.charge(user, 'fast', 'k4')).toMatchObject({ allowed: false, tell: true });
    expect(await limiter.charge(user, 'fast', 'k2')).toEqual(first);
    if (first.allowed) throw new Error('expected a refusal');
    await sleep(Math.max(0, first.endsAt - Date.now()) + 20);
    // The window reopened: the held message is charged afresh.
    expect(await limiter.charge(user, 'fast', 'k2')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'fast', 'k2')).toEqual({ allowed: true });
  });

  it('leaves the mode and burst limits alone when the daily cap refuses', async () => {
    const limiter = limiterWith({
      thinking: { count: 10, windowSeconds: 60 },
      burst: { count: 10, windowSeconds: 60 },
      userDaily: { count: 1, windowSeconds: 86_400 },
    });
    const user = { platform: 'messenger', userId: 'm1' };
    expect(await limiter.charge(user, 'thinking', 'b1')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'thinking', 'b2')).toMatchObject({ allowed: false, refusal: { limit: 'daily' } });
    expect(await remaining(limiter, user)).toEqual({ thinking: 9, burst: 9, daily: 0 });
  });

  it('replays a decision instead of charging again, and shares one budget across linked accounts', async () => {
    const limiter = limiterWith({ fast: { count: 3, windowSeconds: 60 } });
    const wa = { platform: 'whatsapp', userId: 'p1', person: 'whatsapp:p1' };
    const ig = { platform: 'instagram', userId: 'p2', person: 'whatsapp:p1' };
    expect(await limiter.charge(wa, 'fast', 'c1')).toEqual({ allowed: true });
    expect(await limiter.charge(wa, 'fast', 'c1')).toEqual({ allowed: true });
    expect(await limiter.charge(ig, 'fast', 'c2')).toEqual({ allowed: true });
    expect(await limiter.charge(ig, 'fast', 'c2')).toEqual({ allowed: true });
    expect(await remaining(limiter, wa)).toEqual({ fast: 1 });
    expect(await remaining(limiter, ig)).toEqual({ fast: 1 });
    expect(await limiter.charge(ig, 'fast', 'c3')).toEqual({ allowed: true });
    const refused = await limiter.charge(wa, 'fast', 'c4');
    expect(refused).toMatchObject({ allowed: false, tell: true });
    expect(await limiter.charge(wa, 'fast', 'c4')).toEqual(refused);
    // The Instagram account kept nothing of its own.
    expect(await redis.exists(keys.limits('instagram:p2'))).toBe(0);
  });

  it('counts every one of many messages charged at once from two connections', async () => {
    const settings = { burst: { count: 7, windowSeconds: 60 }, fast: { count: 100, windowSeconds: 60 } };
    const [one, two] = [limiterWith(settings), limiterWith(settings, undefined, other)];
    const user = { platform: 'whatsapp', userId: 'crowd' };
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).charge(user, 'fast', `e${i}`)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(7);
    expect(decisions.filter((d) => !d.allowed && d.tell)).toHaveLength(1);
    expect(await remaining(one, user)).toEqual({ fast: 93, burst: 0 });
  });

  it('gives the person their turn back when the deployment budget refuses, told once', async () => {
    const limiter = limiterWith({
      fast: { count: 5, windowSeconds: 60 },
      burst: { count: 5, windowSeconds: 60 },
      globalDaily: { count: 1, windowSeconds: 86_400 },
    });
    const first = { platform: 'whatsapp', userId: 'g1' };
    const second = { platform: 'whatsapp', userId: 'g2' };
    expect(await limiter.charge(first, 'fast', 'g1-1')).toEqual({ allowed: true });
    const refused = await limiter.charge(second, 'fast', 'g2-1');
    expect(refused).toMatchObject({ allowed: false, tell: true, refusal: { limit: 'global', spec: { count: 1 } } });
    expect(await limiter.charge(second, 'fast', 'g2-1')).toEqual(refused);
    expect(await limiter.charge(second, 'fast', 'g2-2')).toMatchObject({ allowed: false, tell: false });
    expect(await remaining(limiter, second)).toEqual({ fast: 5, burst: 5 });
    expect(await remaining(limiter, first)).toEqual({ fast: 4, burst: 4 });
    // A retried turn that was allowed is not charged against the budget again.
    expect(await limiter.charge(first, 'fast', 'g1-1')).toEqual({ allowed: true });
    expect(Number(await redis.get(keys.globalLimit))).toBe(1);
    expect(await redis.pttl(keys.globalLimit)).toBeGreaterThan(86_000_000);
    // Commands never touch the budget.
    expect(await limiter.chargeCommand(second, 'g2-3')).toEqual({ allowed: true });
    await redis.del(keys.globalLimit);
  });

  it('keeps every key with a TTL and sweeps decisions out once they are no longer needed', async () => {
    const limiter = limiterWith({ burst: { count: 10, windowSeconds: 1 } }, 1);
    const user = { platform: 'messenger', userId: 'old' };
    const key = keys.limits('messenger:old');
    await limiter.charge(user, 'fast', 'f1');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await sleep(1200);
    await limiter.charge(user, 'fast', 'f2');
    expect(Object.keys(await redis.hgetall(key)).filter((field) => field.startsWith('d:'))).toEqual([
      keys.decision('f2'),
    ]);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('sweeps a flood of old decisions a page per turn, each turn within 6 commands', async () => {
    const log = await CommandLog.open();
    const limiter = limiterWith({ burst: { count: 100, windowSeconds: 60 } }, 1);
    const user = { platform: 'whatsapp', userId: 'flooded' };
    const key = keys.limits('whatsapp:flooded');
    const old = Array.from({ length: 3000 }, (_, i) => [`d:old${i}`, '1']).flat();
    await redis.hset(key, ...old, 'tidy', '1', 'expires', String(Date.now() + 60_000));
    await redis.pexpire(key, 60_000);
    const decisions = async () => (await redis.hkeys(key)).filter((field) => field.startsWith('d:'));
    const oldLeft = async () => (await decisions()).filter((field) => field.startsWith('d:old')).length;
    let turns = 0;
    try {
      while ((await oldLeft()) > 0 && turns < 30) {
        turns += 1;
        const commands = await log.during([key], () => limiter.charge(user, 'fast', `x${turns}`));
        expect(commands.length).toBeLessThanOrEqual(6);
      }
    } finally {
      log.close();
    }
    expect(await oldLeft()).toBe(0);
    // More than one page, and the decisions still needed are kept.
    expect(turns).toBeGreaterThan(1);
    expect(await decisions()).toHaveLength(turns);
  });

  it('costs at most 6 commands for the person and the decision, and 3 for the deployment budget', async () => {
    const log = await CommandLog.open();
    const person = keys.limits('whatsapp:counted');
    const global = keys.globalLimit;
    const user = { platform: 'whatsapp', userId: 'counted' };
    const fast = { count: 50, windowSeconds: 3600 };
    try {
      // Once, so the server knows the scripts (a first EVALSHA is answered NOSCRIPT, then EVAL).
      await limiterWith({ fast, globalDaily: fast }).charge({ ...user, userId: 'warm' }, 'fast', 'w');
      await redis.del(global);
      const limiter = limiterWith({ fast, burst: fast, userDaily: fast });
      // A person's first turn creates the hash and gives it its lifetime; later ones only read and write.
      expect(await log.during([person], () => limiter.charge(user, 'fast', 'h1'))).toEqual([
        'evalsha',
        'hmget',
        'hset',
        'pexpire',
      ]);
      expect(await log.during([person], () => limiter.charge(user, 'fast', 'h2'))).toEqual([
        'evalsha',
        'hmget',
        'hset',
      ]);

      const withGlobal = limiterWith({ fast, globalDaily: { count: 9, windowSeconds: 60 } });
      const opening = await log.during([person, global], () => withGlobal.charge(user, 'fast', 'h3'));
      expect(opening).toEqual(['evalsha', 'hmget', 'hset', 'evalsha', 'incrby', 'pexpire']);
      const steady = await log.during([person, global], () => withGlobal.charge(user, 'fast', 'h4'));
      expect(steady).toEqual(['evalsha', 'hmget', 'hset', 'evalsha', 'incrby']);

      // The sweep of old decisions, the rare worst case, still fits.
      const sweptUser = { ...user, userId: 'swept' };
      const swept = limiterWith({ burst: { count: 50, windowSeconds: 60 } }, 1);
      await swept.charge(sweptUser, 'fast', 'i1');
      await sleep(1100);
      const sweeping = await log.during([keys.limits('whatsapp:swept')], () => swept.charge(sweptUser, 'fast', 'i2'));
      expect(sweeping).toEqual(['evalsha', 'hmget', 'hscan', 'hdel', 'hset']);
      expect(sweeping.length).toBeLessThanOrEqual(6);
    } finally {
      log.close();
      await redis.del(global);
    }
  });
});
