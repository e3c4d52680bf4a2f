import { MAX_REPLY_PARTS, splitForPlatform } from '../src/core/split';
import { replyTexts } from '../src/core/reply-texts';
import { translatorFor } from '../src/i18n/translator';
import { defined } from './helpers/present';

const en = translatorFor('en');

const WHATSAPP = { max: 4096, unit: 'chars' } as const;
const MESSENGER = { max: 2000, unit: 'chars' } as const;
const INSTAGRAM = { max: 1000, unit: 'bytes' } as const;

const graphemes = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

describe('splitForPlatform', () => {
  it('leaves a short answer whole', () => {
    expect(splitForPlatform('Hello there.', MESSENGER)).toEqual(['Hello there.']);
  });

  it('returns nothing for an empty answer', () => {
    expect(splitForPlatform('   \n ', MESSENGER)).toEqual([]);
  });

  it('prefers paragraph boundaries, keeping every part within the limit', () => {
    const paragraph = 'word '.repeat(300).trim(); // 1499 chars
    const text = [paragraph, paragraph, paragraph].join('\n\n');
    const parts = splitForPlatform(text, MESSENGER);
    expect(parts).toEqual([paragraph, paragraph, paragraph]);
  });

  it('cuts at a sentence end when there is no paragraph break', () => {
    const sentence = 'This sentence has exactly some words in it. ';
    const text = sentence.repeat(100).trim();
    const parts = splitForPlatform(text, MESSENGER);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('falls back to word boundaries, then to grapheme boundaries for one endless word', () => {
    const words = 'supercalifragilistic '.repeat(250).trim();
    for (const part of splitForPlatform(words, MESSENGER)) expect(part).toMatch(/^(supercalifragilistic ?)+$/);
    const endless = 'a'.repeat(4500);
    expect(splitForPlatform(endless, MESSENGER).map((p) => p.length)).toEqual([2000, 2000, 500]);
  });

  it('counts Instagram’s limit in UTF-8 bytes and never breaks a character, emoji or flag', () => {
    const text = '👩‍👩‍👧‍👦🇯🇵é東'.repeat(150); // 4-person family emoji (25 bytes), flag (8), é (2), 東 (3)
    const parts = splitForPlatform(text, INSTAGRAM);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(1000);
      // Every part is made of whole graphemes of the original.
      expect(graphemes(part).every((g) => ['👩‍👩‍👧‍👦', '🇯🇵', 'é', '東'].includes(g))).toBe(true);
    }
    expect(parts.join('')).toBe(text);
  });

  it('splits non-Latin text on its own sentence marks', () => {
    const text = '今日はとても良い天気ですね。'.repeat(200);
    const parts = splitForPlatform(text, INSTAGRAM);
    for (const part of parts) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(1000);
      expect(part.endsWith('。')).toBe(true);
    }
    expect(parts.join('')).toBe(text);
  });

  it('keeps WhatsApp answers under 4096 characters with surrogate pairs intact', () => {
    const text = '😀'.repeat(5000); // 10,000 UTF-16 code units
    const parts = splitForPlatform(text, WHATSAPP);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(parts.join('')).toBe(text);
  });

  it('cuts a cluster longer than the limit at the limit, not one code point per message', () => {
    // A letter under 800 combining marks: one grapheme of 1601 UTF-8 bytes.
    const zalgo = 'a' + '\u0301'.repeat(800);
    const parts = splitForPlatform(`Look: ${zalgo} done.`, INSTAGRAM);
    expect(parts.length).toBeLessThanOrEqual(3);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(1000);
    expect(parts.join('').replace(/\s/g, '')).toBe(`Look:${zalgo}done.`);
    // Several such letters in a row still take about one message per limit's worth of bytes.
    const many = zalgo.repeat(5); // 8005 bytes
    expect(splitForPlatform(many, INSTAGRAM).length).toBeLessThanOrEqual(10);
    expect(splitForPlatform('x' + '\u0301'.repeat(5000), MESSENGER).map((p) => p.length)).toEqual([2000, 2000, 1001]);
  });

  it('caps one answer at ten messages; the last one, within the limit, says it was shortened', () => {
    const paragraph = 'Another sentence of a very long answer. '.repeat(40).trim();
    const text = Array.from({ length: 40 }, () => paragraph).join('\n\n'); // ~64,000 chars
    for (const limit of [MESSENGER, INSTAGRAM, WHATSAPP]) {
      const parts = splitForPlatform(text, limit);
      expect(parts).toHaveLength(MAX_REPLY_PARTS);
      for (const part of parts) expect(measure(part, limit.unit)).toBeLessThanOrEqual(limit.max);
      expect(defined(parts.at(-1)).endsWith(replyTexts.answerShortened(en))).toBe(true);
      expect(parts.slice(0, -1).some((part) => part.includes(replyTexts.answerShortened(en)))).toBe(false);
    }
    // An answer of exactly ten parts is sent whole, with no note.
    const ten = Array.from({ length: 10 }, () => 'word '.repeat(300).trim()).join('\n\n');
    expect(splitForPlatform(ten, MESSENGER).join('\n\n')).toBe(ten);
  });

  it('agrees with Intl.Segmenter: parts are whole graphemes of mixed scripts, emoji and marks', () => {
    const pieces = [
      'a',
      ' ',
      '\n',
      'é',
      'e\u0301',
      '👍🏽',
      '🇫🇷',
      '👩‍💻',
      '東',
      '。',
      'ก',
      'ำ',
      'नि',
      '\r\n',
      '. ',
      'x\u200d',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 30; round += 1) {
      const text = Array.from({ length: 900 }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const limit = round % 2 ? INSTAGRAM : { max: 97, unit: 'chars' as const };
      const parts = splitForPlatform(text, limit, Infinity);
      const whole = new Set(graphemes(text.trim()));
      for (const part of parts) {
        expect(measure(part, limit.unit)).toBeLessThanOrEqual(limit.max);
        for (const g of graphemes(part)) expect(whole.has(g)).toBe(true);
      }
      expect(parts.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
  });
});

const measure = (text: string, unit: 'chars' | 'bytes') =>
  unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
