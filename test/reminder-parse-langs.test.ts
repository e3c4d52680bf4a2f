import { parseReminder } from '../src/reminders/reminder-parse';
import { isoInZone } from '../src/reminders/zoned-time';

/**
 * The parse for servers without tools in Italian, Indonesian, Hindi and Arabic: one-offs in N
 * minutes, tomorrow at a time, daily, a weekday, and messages it must leave to the model. Each is
 * read in the person's zone at one fixed instant, Monday 2026-12-07 05:00 UTC.
 */
const NOW = Date.UTC(2026, 11, 7, 5, 0);

type Case = [message: string, text: string, at: string, repeat?: 'daily' | 'weekly' | 'weekdays'];

function expectRead(zone: string, [message, text, at, repeat]: Case) {
  const parsed = parseReminder(message, zone, NOW);
  expect(parsed && { text: parsed.text, at: isoInZone(zone, parsed.dueAt), repeat: parsed.repeat }).toEqual({
    text,
    at,
    repeat,
  });
}

describe('Italian, in Europe/Rome (Monday 06:00)', () => {
  it.each<Case>([
    ['Ricordami tra 20 minuti di controllare il forno', 'controllare il forno', '2026-12-07T06:20:00+01:00'],
    ['per favore ricordami fra un’ora di uscire', 'uscire', '2026-12-07T07:00:00+01:00'],
    ['Ricordami domani alle 9 di chiamare il dentista', 'chiamare il dentista', '2026-12-08T09:00:00+01:00'],
    ['ricordami alle 7 di sera di chiamare Luca', 'chiamare Luca', '2026-12-07T19:00:00+01:00'],
    [
      'ricordami tutti i giorni alle 22:30 che devo prendere la pillola',
      'devo prendere la pillola',
      '2026-12-07T22:30:00+01:00',
      'daily',
    ],
    [
      'Mi ricordi ogni lunedì alle 8 di portare fuori la spazzatura',
      'portare fuori la spazzatura',
      '2026-12-07T08:00:00+01:00',
      'weekly',
    ],
    [
      'ricordami nei giorni feriali alle 7.30 di fare stretching',
      'fare stretching',
      '2026-12-07T07:30:00+01:00',
      'weekdays',
    ],
  ])('%j', (...c) => expectRead('Europe/Rome', c));

  it('leaves what it cannot read to the model', () => {
    expect(parseReminder('ricordami qualche volta di chiamare la nonna', 'Europe/Rome', NOW)).toBeUndefined();
    expect(parseReminder('che tempo fa domani alle 9?', 'Europe/Rome', NOW)).toBeUndefined();
    // Italian "alle 9" is not read into German: "alle 2 Stunden" is every two hours
    expect(parseReminder('Erinnere mich alle 2 Stunden, Wasser zu trinken', 'Europe/Berlin', NOW)).toBeUndefined();
  });
});

describe('Indonesian, in Asia/Jakarta (Monday 12:00)', () => {
  it.each<Case>([
    ['Ingatkan saya dalam 10 menit untuk mematikan kompor', 'mematikan kompor', '2026-12-07T12:10:00+07:00'],
    ['ingatkan saya besok jam 9 untuk menelepon dokter gigi', 'menelepon dokter gigi', '2026-12-08T09:00:00+07:00'],
    ['Ingatkan aku setiap hari jam 7 malam agar minum obat', 'minum obat', '2026-12-07T19:00:00+07:00', 'daily'],
    [
      'tolong ingatkan saya setiap Senin pukul 08.30 untuk rapat tim',
      'rapat tim',
      '2026-12-14T08:30:00+07:00',
      'weekly',
    ],
    ['ingatkan saya tiap hari kerja jam 6 pagi untuk olahraga', 'olahraga', '2026-12-08T06:00:00+07:00', 'weekdays'],
  ])('%j', (...c) => expectRead('Asia/Jakarta', c));

  it('leaves what it cannot read to the model', () => {
    expect(parseReminder('ingatkan saya nanti untuk belanja', 'Asia/Jakarta', NOW)).toBeUndefined();
    expect(parseReminder('besok jam 9 ada rapat', 'Asia/Jakarta', NOW)).toBeUndefined();
  });
});

describe('Hindi, in Asia/Kolkata (Monday 10:30)', () => {
  it.each<Case>([
    ['मुझे 10 मिनट में चाय बनाने की याद दिलाना', 'चाय बनाने', '2026-12-07T10:40:00+05:30'],
    ['मुझे १५ मिनट बाद पानी पीने की याद दिलाना।', 'पानी पीने', '2026-12-07T10:45:00+05:30'],
    ['मुझे कल सुबह 9 बजे डॉक्टर को फ़ोन करने की याद दिला देना', 'डॉक्टर को फ़ोन करने', '2026-12-08T09:00:00+05:30'],
    ['मुझे याद दिलाना कि रोज़ रात 10 बजे दवा लेनी है', 'दवा लेनी है', '2026-12-07T22:00:00+05:30', 'daily'],
    ['हर सोमवार शाम 6 बजे मुझे कचरा बाहर रखने की याद दिलाना', 'कचरा बाहर रखने', '2026-12-07T18:00:00+05:30', 'weekly'],
  ])('%j', (...c) => expectRead('Asia/Kolkata', c));

  it('leaves what it cannot read to the model, कल without a time among it', () => {
    expect(parseReminder('मुझे कल की बात याद दिलाना', 'Asia/Kolkata', NOW)).toBeUndefined();
    expect(parseReminder('कल 9 बजे क्या हुआ था?', 'Asia/Kolkata', NOW)).toBeUndefined();
  });
});

describe('Arabic, in Asia/Riyadh (Monday 08:00)', () => {
  it.each<Case>([
    ['ذكرني بعد 10 دقائق بإطفاء الفرن', 'إطفاء الفرن', '2026-12-07T08:10:00+03:00'],
    ['ذكرني بعد ١٥ دقيقة بالاتصال بأحمد', 'الاتصال بأحمد', '2026-12-07T08:15:00+03:00'],
    ['ذكرني بعد ساعتين أن أتصل بأمي', 'أتصل بأمي', '2026-12-07T10:00:00+03:00'],
    ['ذكّرني غداً الساعة 9 أن أتصل بطبيب الأسنان', 'أتصل بطبيب الأسنان', '2026-12-08T09:00:00+03:00'],
    ['ذكرني كل يوم الساعة 10 مساءً بأخذ الدواء', 'أخذ الدواء', '2026-12-07T22:00:00+03:00', 'daily'],
    // 08:00 on a Monday is now, so the first one is next Monday
    ['ذكرني كل يوم اثنين الساعة 8 بإخراج القمامة', 'إخراج القمامة', '2026-12-14T08:00:00+03:00', 'weekly'],
  ])('%j', (...c) => expectRead('Asia/Riyadh', c));

  it('leaves what it cannot read to the model', () => {
    expect(parseReminder('ذكرني لاحقا بشراء الخبز', 'Asia/Riyadh', NOW)).toBeUndefined();
    expect(parseReminder('ما هو الطقس غدا الساعة 9؟', 'Asia/Riyadh', NOW)).toBeUndefined();
  });
});
