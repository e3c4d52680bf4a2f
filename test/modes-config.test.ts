import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, parseLimitSpec } from '../config';
import { parseCommand } from '../src/commands/commands';
import { describeSpec, formatWait } from '../src/commands/texts';
import { translatorFor } from '../src/i18n/translator';

const en = translatorFor('en');
import { FairUseLimiter } from '../src/limits/fair-use-limiter';
import { modeStateKeys } from '../src/redis/mode-state-keys';
import { createCounterNames } from '../src/crypto/counter-names';
import { REDIS_URL, deleteKeysWithPrefix, testEnv } from './helpers/system';
import { defined } from './helpers/present';

describe('limit settings', () => {
  it('reads <count>/<window> with s, m, h, d units, and off', () => {
    expect(parseLimitSpec('60/1h')).toEqual({ count: 60, windowSeconds: 3600 });
    expect(parseLimitSpec('5/1d')).toEqual({ count: 5, windowSeconds: 86_400 });
    expect(parseLimitSpec('10/30s')).toEqual({ count: 10, windowSeconds: 30 });
    expect(parseLimitSpec(' 3 / m ')).toEqual({ count: 3, windowSeconds: 60 });
    expect(parseLimitSpec('off')).toBeNull();
    for (const bad of ['60', '60/h1', '0/1h', '60/0s', '-1/1h', '5/1w', 'lots'])
      expect(parseLimitSpec(bad)).toBeUndefined();
  });

  it('fails at start naming the variable and the expected form', () => {
    expect(() => loadConfig(testEnv({ LIMIT_THINKING: '5 per day' }))).toThrow(ConfigError);
    expect(() => loadConfig(testEnv({ LIMIT_THINKING: '5 per day' }))).toThrow(
      /LIMIT_THINKING: "5 per day" is not a limit: write <count>\/<window>/,
    );
    expect(() => loadConfig(testEnv({ LIMIT_GLOBAL_DAILY: 'many' }))).toThrow(/LIMIT_GLOBAL_DAILY/);
  });

  it('has defaults, a bare count as a daily budget, and an exempt list', () => {
    const config = loadConfig(
      testEnv({ LIMIT_GLOBAL_DAILY: '300', LIMIT_EXEMPT_USERS: ' 123 , whatsapp:456 ,', LIMIT_BURST: 'off' }),
    );
    expect(config.limits).toEqual({
      fast: { count: 60, windowSeconds: 3600 },
      thinking: { count: 20, windowSeconds: 86_400 },
      contemplating: { count: 5, windowSeconds: 86_400 },
      shopping: { count: 30, windowSeconds: 3600 },
      burst: null,
      globalDaily: { count: 300, windowSeconds: 86_400 },
      exemptUsers: ['123', 'whatsapp:456'],
      userDaily: { count: 150, windowSeconds: 86_400 },
    });
    expect(config.modes.contemplating.drafts).toBe(3);
    expect(config.modes.thinking.model).toBe('fake-fast'); // falls back to the fast model
  });

  it('describes limits and waits in words', () => {
    expect(describeSpec(en, { count: 60, windowSeconds: 3600 })).toBe('60 per hour');
    expect(describeSpec(en, { count: 2, windowSeconds: 2 })).toBe('2 per 2 seconds');
    expect(describeSpec(en, { count: 5, windowSeconds: 7200 })).toBe('5 per 2 hours');
    expect(formatWait(en, 400)).toBe('in 1 second');
    expect(formatWait(en, 90_000)).toBe('in 2 minutes');
    expect(formatWait(en, 3 * 3600_000 + 5 * 60_000)).toBe('in 3 hours 5 minutes');
  });
});

describe('commands', () => {
  it('recognises commands case-insensitively, and a tapped payload before the text', () => {
    expect(parseCommand({ text: '/THINK' })).toEqual({ kind: 'mode', mode: 'thinking' });
    expect(parseCommand({ text: ' /Contemplate ' })).toEqual({ kind: 'mode', mode: 'contemplating' });
    expect(parseCommand({ text: '/help.' })).toEqual({ kind: 'help' });
    expect(parseCommand({ text: 'Think', payload: '/think' })).toEqual({ kind: 'mode', mode: 'thinking' });
    expect(parseCommand({ text: '/whatever' })).toEqual({ kind: 'unknown', text: '/whatever' });
  });

  it('leaves ordinary messages alone', () => {
    expect(parseCommand({ text: 'think about /etc/hosts' })).toBeNull();
    expect(parseCommand({ text: '/reset my router?' })).toBeNull();
    expect(parseCommand({ text: 'hello' })).toBeNull();
    expect(parseCommand({ text: undefined, payload: 'SOME_OTHER_PAYLOAD' })).toBeNull();
  });
});

describe('FairUseLimiter (real Redis)', () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it('charges a message once however often its turn is retried, and gives back points of refused turns', async () => {
    const limiter = new FairUseLimiter(redis, modeStateKeys(prefix, createCounterNames(Buffer.from('test counters'))), {
      fast: { count: 2, windowSeconds: 60 },
      thinking: null,
      contemplating: null,
      shopping: null,
      burst: { count: 10, windowSeconds: 60 },
      globalDaily: null,
      exemptUsers: [],
      userDaily: null,
    });
    const user = { platform: 'whatsapp', userId: 'u1' };
    expect(await limiter.charge(user, 'fast', 'm1')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'fast', 'm1')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'fast', 'm2')).toEqual({ allowed: true });
    const refused = await limiter.charge(user, 'fast', 'm3');
    expect(refused).toMatchObject({ allowed: false, tell: true, refusal: { limit: 'fast' } });
    // The retried refusal replays the same decision (still telling), a new message does not tell.
    expect(await limiter.charge(user, 'fast', 'm3')).toEqual(refused);
    expect(await limiter.charge(user, 'fast', 'm4')).toMatchObject({ allowed: false, tell: false });
    const status = await limiter.status(user);
    expect(status.find((s) => s.limit === 'fast')?.remaining).toBe(0);
    // Two turns allowed, refused ones given back to the burst limit.
    expect(status.find((s) => s.limit === 'burst')?.remaining).toBe(8);
  });

  it('charges commands against the burst limit only, once per message', async () => {
    const limiter = new FairUseLimiter(redis, modeStateKeys(prefix, createCounterNames(Buffer.from('test counters'))), {
      fast: { count: 1, windowSeconds: 60 },
      thinking: null,
      contemplating: null,
      shopping: null,
      burst: { count: 2, windowSeconds: 60 },
      globalDaily: { count: 100, windowSeconds: 86_400 },
      exemptUsers: [],
      userDaily: { count: 100, windowSeconds: 86_400 },
    });
    const user = { platform: 'messenger', userId: 'u2' };
    expect(await limiter.chargeCommand(user, 'c1')).toEqual({ allowed: true });
    expect(await limiter.chargeCommand(user, 'c1')).toEqual({ allowed: true }); // retried: not charged again
    expect(await limiter.chargeCommand(user, 'c2')).toEqual({ allowed: true });
    expect(await limiter.chargeCommand(user, 'c3')).toMatchObject({
      allowed: false,
      tell: true,
      refusal: { limit: 'burst' },
    });
    const status = await limiter.status(user);
    expect(status.find((s) => s.limit === 'fast')?.remaining).toBe(1);
    expect(status.find((s) => s.limit === 'daily')?.remaining).toBe(100);
  });

  it('caps one user a day across modes', async () => {
    const limiter = new FairUseLimiter(redis, modeStateKeys(prefix, createCounterNames(Buffer.from('test counters'))), {
      fast: { count: 10, windowSeconds: 60 },
      thinking: { count: 10, windowSeconds: 60 },
      contemplating: null,
      shopping: null,
      burst: null,
      globalDaily: null,
      exemptUsers: [],
      userDaily: { count: 3, windowSeconds: 86_400 },
    });
    const user = { platform: 'instagram', userId: 'u3' };
    expect(await limiter.charge(user, 'fast', 'd1')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'thinking', 'd2')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'fast', 'd3')).toEqual({ allowed: true });
    expect(await limiter.charge(user, 'thinking', 'd4')).toMatchObject({ allowed: false, refusal: { limit: 'daily' } });
    // The refused turn gave its thinking point back.
    const status = await limiter.status(user);
    expect(status.find((s) => s.limit === 'thinking')?.remaining).toBe(9);
  });
});

describe('default limits are consistent', () => {
  const { limits } = loadConfig(testEnv({}));
  const perDay = (spec: { count: number; windowSeconds: number } | null) =>
    spec ? (spec.count * 86_400) / spec.windowSeconds : Infinity;

  it('one user cannot take more than LIMIT_USER_DAILY, which is a small share of the global budget', () => {
    const byModes = perDay(limits.fast) + perDay(limits.thinking) + perDay(limits.contemplating);
    expect(byModes).toBe(1465); // what the mode limits alone would allow
    const oneUser = Math.min(byModes, perDay(limits.userDaily), perDay(limits.burst));
    expect(oneUser).toBe(150);
    // It takes at least 30 people at their daily maximum to use up everyone's budget.
    expect(perDay(limits.globalDaily) / oneUser).toBeGreaterThanOrEqual(30);
    // Each mode's own daily allowance fits inside the user's daily cap where the window is a day.
    expect(perDay(limits.thinking) + perDay(limits.contemplating)).toBeLessThanOrEqual(oneUser);
    // A flood is stopped by the burst limit well before it could spend the fast mode's hour.
    expect(defined(limits.burst).count).toBeLessThanOrEqual(defined(limits.fast).count);
  });
});
