import { whatsAppTemplateMessage } from '../src/platforms/whatsapp/template';
import { mentionsReminder, parseReminder } from '../src/reminders/reminder-parse';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { toolsForBackend } from '../src/inference/tool-schemas';
import { defined } from './helpers/present';
import { REMINDER_TOOLS_FOR_TESTS } from '../src/reminders/reminder-tools';
import { zoneForPhoneNumber } from '../src/reminders/zone-guess';
import { fromLocal, isoInZone, localTime, nextOccurrence } from '../src/reminders/zoned-time';

/**
 * The pure rules under reminders: local time in a zone with Intl alone (across DST), the next
 * occurrence of a repeating reminder, the parse for servers without tools in five languages, the
 * zone guessed from a number, the tool schemas under OpenAI's strict mode, the template's body.
 */
const MADRID = 'Europe/Madrid';
// Monday 2026-12-07 06:00 in Madrid (05:00 UTC)
const NOW = Date.UTC(2026, 11, 7, 5, 0);
const local = (at: number, zone = MADRID) => isoInZone(zone, at);

describe('local time in a zone', () => {
  it('turns local wall time into the instant and back, with the offset of the day', () => {
    const winter = fromLocal(MADRID, { year: 2026, month: 12, day: 8, hour: 9, minute: 0 });
    expect(new Date(winter).toISOString()).toBe('2026-12-08T08:00:00.000Z');
    expect(local(winter)).toBe('2026-12-08T09:00:00+01:00');
    const summer = fromLocal(MADRID, { year: 2027, month: 7, day: 1, hour: 9, minute: 0 });
    expect(local(summer)).toBe('2027-07-01T09:00:00+02:00');
    expect(local(NOW, 'America/New_York')).toBe('2026-12-07T00:00:00-05:00');
    expect(localTime(MADRID, NOW).weekday).toBe(1);
  });

  it('keeps a daily reminder at 9:00 local across the spring DST change', () => {
    const before = fromLocal(MADRID, { year: 2027, month: 3, day: 27, hour: 9, minute: 0 });
    const after = nextOccurrence(MADRID, before, 'daily');
    expect(local(after)).toBe('2027-03-28T09:00:00+02:00');
    expect(after - before).toBe(23 * 3600 * 1000);
  });

  it('skips the weekend for weekdays, adds seven days for weekly, and jumps past missed ones', () => {
    const friday = fromLocal(MADRID, { year: 2026, month: 12, day: 11, hour: 7, minute: 30 });
    expect(local(nextOccurrence(MADRID, friday, 'weekdays'))).toBe('2026-12-14T07:30:00+01:00');
    expect(local(nextOccurrence(MADRID, friday, 'weekly'))).toBe('2026-12-18T07:30:00+01:00');
    const monthLater = friday + 30 * 86_400_000;
    expect(local(nextOccurrence(MADRID, friday, 'daily', monthLater))).toBe('2027-01-11T07:30:00+01:00');
  });
});

describe('reading a reminder without a model', () => {
  it.each([
    ['Remind me tomorrow at 9 to call the dentist', 'call the dentist', '2026-12-08T09:00:00+01:00', undefined],
    ['remind me every Monday at 8 to take out the bins', 'take out the bins', '2026-12-07T08:00:00+01:00', 'weekly'],
    ['Remind me in 20 minutes to check the oven', 'check the oven', '2026-12-07T06:20:00+01:00', undefined],
    ['remind me at 5pm to leave', 'leave', '2026-12-07T17:00:00+01:00', undefined],
    ['remind me every weekday at 7:30 to stretch', 'stretch', '2026-12-07T07:30:00+01:00', 'weekdays'],
    ['Recuérdame mañana a las 9 llamar al dentista', 'llamar al dentista', '2026-12-08T09:00:00+01:00', undefined],
    [
      'recuérdame todos los días a las 22 que tome la pastilla',
      'tome la pastilla',
      '2026-12-07T22:00:00+01:00',
      'daily',
    ],
    ['Lembre-me amanhã às 9 de ligar para o dentista', 'ligar para o dentista', '2026-12-08T09:00:00+01:00', undefined],
    ["Rappelle-moi demain à 9h d'appeler le dentiste", 'appeler le dentiste', '2026-12-08T09:00:00+01:00', undefined],
    [
      'Erinnere mich morgen um 9 Uhr, den Zahnarzt anzurufen',
      'den Zahnarzt anzurufen',
      '2026-12-08T09:00:00+01:00',
      undefined,
    ],
    [
      'Erinnere mich jeden Montag um 8, den Müll rauszubringen',
      'den Müll rauszubringen',
      '2026-12-07T08:00:00+01:00',
      'weekly',
    ],
  ])('%j', (message, text, at, repeat) => {
    const parsed = parseReminder(message, MADRID, NOW);
    expect(parsed && { text: parsed.text, at: local(parsed.dueAt), repeat: parsed.repeat }).toEqual({
      text,
      at,
      repeat,
    });
  });

  it('leaves what it cannot read to the model, and knows a request in all nine languages', () => {
    expect(parseReminder('remind me sometime to call', MADRID, NOW)).toBeUndefined();
    expect(parseReminder('what time is it at 9?', MADRID, NOW)).toBeUndefined();
    for (const asked of [
      'remind me',
      'recuérdame',
      'lembre-me',
      'rappelle-moi',
      'erinnere mich',
      'ricordami',
      'ingatkan saya',
      'मुझे याद दिलाना',
      'ذكّرني',
    ]) {
      expect([asked, mentionsReminder(`${asked} …`)]).toEqual([asked, true]);
    }
    expect(mentionsReminder('what is the weather tomorrow')).toBe(false);
  });
});

describe('the rest', () => {
  it('guesses a zone from a WhatsApp number by its country calling code', () => {
    expect(zoneForPhoneNumber('34600000101')).toBe('Europe/Madrid');
    expect(zoneForPhoneNumber('5511999990000')).toBe('America/Sao_Paulo');
    expect(zoneForPhoneNumber('351912345678')).toBe('Europe/Lisbon');
    expect(zoneForPhoneNumber('16505550100')).toBe('America/New_York');
    expect(zoneForPhoneNumber('999')).toBeUndefined();
  });

  it.each(REMINDER_TOOLS_FOR_TESTS.map((tool) => [tool.function.name, tool] as const))(
    '%s is written to OpenAI strict mode',
    (_name, tool) => {
      const schema = tool.function.parameters as {
        required: string[];
        properties: object;
        additionalProperties: boolean;
      };
      expect(schema.additionalProperties).toBe(false);
      expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    },
  );

  it('sends set_reminder with repeat optional to other backends, and nullable but required to strict ones', () => {
    const [setReminder] = REMINDER_TOOLS_FOR_TESTS.filter((tool) => tool.function.name === 'set_reminder');
    const requiredOf = (tool: ChatCompletionFunctionTool | undefined) =>
      (tool?.function.parameters as { required: string[] }).required;
    expect(requiredOf(toolsForBackend([defined(setReminder)], false)[0])).toEqual(['text', 'at']);
    const [strict] = toolsForBackend([defined(setReminder)], true);
    expect(requiredOf(strict)).toEqual(['text', 'at', 'repeat']);
    expect(strict?.function.strict).toBe(true);
  });

  it('builds the WhatsApp template body with one text parameter, new lines folded', () => {
    expect(
      whatsAppTemplateMessage('34600000101', { name: 'reminder', language: 'es' }, ['llamar\n\tal   dentista']),
    ).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '34600000101',
      type: 'template',
      template: {
        name: 'reminder',
        language: { code: 'es' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'llamar al dentista' }] }],
      },
    });
  });
});
