import { ConfigError, loadConfig } from '../config';
import { parseBusinessHours } from '../config/env-handoff';
import { parseCommand } from '../src/commands/commands';
import { handoffTexts } from '../src/commands/handoff-texts';
import { availability, hoursIn, openingIn } from '../src/handoff/business-hours';
import { friendlyWait, typicalWait } from '../src/handoff/reply-times';
import { translatorFor } from '../src/i18n/translator';
import { testEnv } from './helpers/system';

/**
 * HANDOFF_HOURS as the person hears it: whether the team is in now, and if not when it next is,
 * on the business's clock; the handoff settings refused early when they cannot work; `/human` in
 * every language's words.
 */
describe('business hours for a handoff', () => {
  const madrid = parseBusinessHours('Mon-Fri 09:00-18:00 Europe/Madrid');

  it('reads days, hours and the time zone', () => {
    expect(madrid).toMatchObject({ days: [1, 2, 3, 4, 5], opens: 540, closes: 1080, timeZone: 'Europe/Madrid' });
    expect(() => parseBusinessHours('weekdays 9 to 5')).toThrow(ConfigError);
    expect(() => parseBusinessHours('Mon-Fri 18:00-09:00 Europe/Madrid')).toThrow(/before the closing time/);
    expect(() => parseBusinessHours('Mon-Fri 09:00-18:00 Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('is open on a Wednesday at noon in Madrid, closed on Saturday, opening on Monday at nine', () => {
    // 2026-12-09 is a Wednesday; Madrid is UTC+1 in December.
    expect(availability(madrid, new Date('2026-12-09T11:00:00Z'))).toEqual({ kind: 'open' });
    const saturday = availability(madrid, new Date('2026-12-12T10:00:00Z'));
    expect(saturday).toEqual({ kind: 'closed', opensAt: new Date('2026-12-14T08:00:00Z') });
    const evening = availability(madrid, new Date('2026-12-09T19:30:00Z'));
    expect(evening).toEqual({ kind: 'closed', opensAt: new Date('2026-12-10T08:00:00Z') });
    expect(availability(null, new Date())).toEqual({ kind: 'anytime' });
  });

  it("says the hours and the opening in the person's language", () => {
    expect(openingIn('en', madrid, new Date('2026-12-14T08:00:00Z'))).toBe('Monday 09:00');
    expect(openingIn('es', madrid, new Date('2026-12-14T08:00:00Z'))).toBe('lunes, 09:00');
    expect(hoursIn('en', madrid)).toBe('Mon–Fri 09:00–18:00 (Europe/Madrid)');
  });

  it('refuses a webhook target without its URL and secret', () => {
    expect(() => loadConfig(testEnv({ HANDOFF_TARGET: 'webhook' }))).toThrow(/HANDOFF_WEBHOOK_URL/);
    expect(() => loadConfig(testEnv({ HANDOFF_TARGET: 'zendesk' }))).toThrow(ConfigError);
    const config = loadConfig(
      testEnv({
        HANDOFF_TARGET: 'webhook, chatwoot',
        HANDOFF_WEBHOOK_URL: 'https://desk.example/threadline/',
        HANDOFF_WEBHOOK_SECRET: '0123456789abcdef',
        CHATWOOT_BASE_URL: 'https://chat.example.com',
        CHATWOOT_API_TOKEN: 'token',
        CHATWOOT_ACCOUNT_ID: '7',
        CHATWOOT_INBOX_ID: '3',
        CHATWOOT_WEBHOOK_TOKEN: '0123456789abcdef',
      }),
    );
    expect(config.handoff).toMatchObject({
      targets: ['webhook', 'chatwoot'],
      idleSeconds: 24 * 3600,
      webhook: { url: 'https://desk.example/threadline', secret: '0123456789abcdef' },
    });
  });

  it('takes /human in each language', () => {
    for (const word of [
      '/human',
      '/humano',
      '/persona',
      '/mensch',
      '/humain',
      '/umano',
      '/manusia',
      '/इंसान',
      '/إنسان',
    ]) {
      expect(parseCommand({ text: word })).toMatchObject({ kind: 'human' });
    }
    expect(parseCommand({ text: '/human my parcel never came' })).toMatchObject({
      kind: 'human',
      argument: 'my parcel never came',
    });
  });
});
describe('how long agents usually take, as the person is told', () => {
  const en = translatorFor('en');

  it('makes the median a friendly figure, never below it: minutes, fives, quarter hours, then hours', () => {
    expect(friendlyWait(0.2)).toEqual({ unit: 'minutes', count: 1 });
    expect(friendlyWait(3.4)).toEqual({ unit: 'minutes', count: 4 });
    expect(friendlyWait(11)).toEqual({ unit: 'minutes', count: 15 });
    expect(friendlyWait(62)).toEqual({ unit: 'minutes', count: 75 });
    expect(friendlyWait(90)).toEqual({ unit: 'hours', count: 2 });
    expect(friendlyWait(200)).toEqual({ unit: 'hours', count: 3 });
  });

  it("prefers the operator's HANDOFF_TYPICAL_REPLY_MINUTES to the measured figure", async () => {
    const measured = { typicalSeconds: () => Promise.resolve(600) } as never;
    expect(await typicalWait({ replyTimes: measured, typicalReplyMinutes: 7 })).toEqual({ unit: 'minutes', count: 7 });
    expect(await typicalWait({ replyTimes: measured, typicalReplyMinutes: 180 })).toEqual({ unit: 'hours', count: 3 });
    expect(await typicalWait({ replyTimes: measured, typicalReplyMinutes: null })).toEqual({
      unit: 'minutes',
      count: 10,
    });
    expect(await typicalWait({})).toBeNull();
  });

  it("says the figure while the team is in or keeps no hours, the opening time while it is away, and today's words without one", () => {
    const wait = { unit: 'minutes' as const, count: 10 };
    expect(handoffTexts.requested(en, { kind: 'open', hours: 'Mon–Fri' }, wait)).toContain(
      "They're working now (Mon–Fri) and usually reply within about 10 minutes.",
    );
    expect(handoffTexts.requested(en, { kind: 'anytime' }, { unit: 'hours', count: 2 })).toContain(
      'They usually reply here within about 2 hours.',
    );
    const away = { kind: 'closed' as const, hours: 'Mon–Fri', opensAt: 'Monday 09:00' };
    expect(handoffTexts.requested(en, away, wait)).toBe(handoffTexts.requested(en, away));
    expect(handoffTexts.requested(en, { kind: 'anytime' }, null)).toBe(en('handoff.requested.anytime'));
    expect(handoffTexts.requested(en, { kind: 'open', hours: 'Mon–Fri' })).toBe(
      en('handoff.requested.open', { hours: 'Mon–Fri' }),
    );
  });
});
