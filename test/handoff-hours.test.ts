import { ConfigError, loadConfig } from '../config';
import { parseBusinessHours } from '../config/env-handoff';
import { parseCommand } from '../src/commands/commands';
import { availability, hoursIn, openingIn } from '../src/handoff/business-hours';
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
