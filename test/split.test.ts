import { splitForPlatform } from '../src/core/split';

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
});
