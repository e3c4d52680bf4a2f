import { wavDataBytes } from '../src/media/audio';
import { MediaError } from '../src/media/errors';
import { jpegOrientation } from '../src/media/exif';
import { checkImageSize, readImageSize, type ImageFormat } from '../src/media/image-header';
import { identifyMedia, isPlaylist, sniffMedia } from '../src/media/sniff';
import { id3Wrapped, makeAudio, makeImage, pngBomb, withExifOrientation } from './helpers/media-fixtures';
import { seededRandom } from './helpers/mangle';
import { defined } from './helpers/present';
import { readChatDocument } from '../src/knowledge/chat-document';
import { DocumentChildError } from '../src/knowledge/document-reader';
import { readDocument } from '../src/media/document';
import { splitJpegs } from '../src/media/video';
import { firstWebpFrame } from '../src/media/webp-frame';
import { identifyDocument, inspectZip } from '../src/media/document-sniff';
import { docxBomb, encryptedDocx, encryptedPdf, makeDocx } from './helpers/document-fixtures';
import { makePdf } from './helpers/knowledge-files';
import { scannedPdf } from './helpers/scanned-pdf';

/**
 * The hand-written readers of untrusted bytes (sniffing, image headers, EXIF, WAV) against
 * random, truncated and mutated input from a seeded generator: each case either answers (a value
 * of the documented shape) or refuses with a MediaError, and never throws anything else
 * (TypeError, RangeError from reading past a buffer) or runs long. A failure prints its seed and
 * case so it can be replayed.
 */

const SEED = 20_261_124;
const IMAGE_FORMATS: ImageFormat[] = ['jpeg', 'png', 'webp', 'gif'];

// Plain checks, not expect(): tens of thousands of calls in a loop.
function ok(condition: boolean, what: string): void {
  if (!condition) throw new Error(`broken answer: ${what}`);
}

/** Every reader once over `bytes`; returns what was refused (for the count), throws on anything untyped. */
function readAll(bytes: Buffer): number {
  let refusals = 0;
  const sniffed = sniffMedia(bytes);
  if (sniffed !== undefined) ok(sniffed.kind === 'audio' || sniffed.kind === 'image', 'sniffed kind');
  ok(typeof isPlaylist(bytes) === 'boolean', 'isPlaylist answers a boolean');
  for (const kind of ['audio', 'image'] as const) {
    try {
      ok(identifyMedia(bytes, kind).kind === kind, 'identified kind');
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      refusals += 1;
    }
  }
  for (const format of IMAGE_FORMATS) {
    const size = readImageSize(bytes, format);
    if (size) ok(Number.isInteger(size.width) && Number.isInteger(size.height), 'integer size');
    try {
      checkImageSize(bytes, format, 40_000_000);
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      refusals += 1;
    }
  }
  const orientation = jpegOrientation(bytes);
  ok(orientation >= 1 && orientation <= 8, 'orientation 1-8');
  const still = firstWebpFrame(bytes);
  if (still) ok(still.length <= bytes.length + 64, 'a first frame no larger than its animation');
  ok(
    splitJpegs(bytes).every((jpeg) => jpeg.length > 0),
    'JPEG parts are not empty',
  );
  const data = wavDataBytes(bytes);
  ok(data >= 0 && data <= bytes.length, 'WAV data within the file');
  return refusals;
}

function check(label: string, bytes: Buffer): void {
  const started = performance.now();
  try {
    readAll(bytes);
  } catch (error) {
    throw new Error(`${label} (seed ${SEED}, ${bytes.length} bytes: ${bytes.subarray(0, 48).toString('hex')}…)`, {
      cause: error,
    });
  }
  const ms = performance.now() - started;
  if (ms > 1000) throw new Error(`${label} took ${ms.toFixed(0)} ms (seed ${SEED})`);
}

/** Real files of every kind the readers know, to truncate and mutate. */
async function samples(): Promise<Buffer[]> {
  const jpeg = await makeImage(64, 48);
  const wavHeader = Buffer.alloc(44);
  wavHeader.write('RIFF', 0, 'latin1');
  wavHeader.writeUInt32LE(36 + 64, 4);
  wavHeader.write('WAVEfmt ', 8, 'latin1');
  wavHeader.writeUInt32LE(16, 16);
  wavHeader.write('data', 36, 'latin1');
  wavHeader.writeUInt32LE(64, 40);
  return [
    jpeg,
    withExifOrientation(jpeg, 6),
    await makeImage(64, 48, 'png'),
    await pngBomb(300, 200, 3),
    (await makeAudio('mp3', 1)).bytes.subarray(0, 2048),
    (await makeAudio('ogg', 1)).bytes.subarray(0, 2048),
    Buffer.concat([wavHeader, Buffer.alloc(64)]),
    id3Wrapped('#EXTM3U\n#EXTINF:1,\n/tmp/a.mp3\n'),
    Buffer.from('GIF89a\x40\x00\x30\x00\xf0\x00\x00', 'latin1'),
    Buffer.from('RIFF\x20\x00\x00\x00WEBPVP8L\x10\x00\x00\x00\x2f\x3f\xc0\x2f\x00', 'latin1'),
    Buffer.from('RIFF\x20\x00\x00\x00WEBPVP8 \x10\x00\x00\x00\x10\x02\x00\x9d\x01\x2a\x40\x00\x30\x00', 'latin1'),
    Buffer.from('RIFF\x20\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\x3f\x00\x00\x2f\x00\x00', 'latin1'),
  ];
}

describe('fuzzing the binary readers', () => {
  let seeds: Buffer[];
  beforeAll(async () => {
    seeds = await samples();
  });

  it('answers or refuses with a MediaError on random bytes (3,000 cases)', () => {
    const next = seededRandom(SEED);
    for (let i = 0; i < 3000; i += 1) {
      const bytes = Buffer.alloc(Math.floor(next() * 300));
      for (let j = 0; j < bytes.length; j += 1) bytes[j] = Math.floor(next() * 256);
      check(`random case ${i}`, bytes);
    }
  });

  it('answers or refuses on every truncation of real files', () => {
    for (const [n, sample] of seeds.entries()) {
      const limit = Math.min(sample.length, 1200);
      for (let length = 0; length <= limit; length += 1)
        check(`sample ${n} cut at ${length}`, sample.subarray(0, length));
    }
  });

  it('answers or refuses on real files with bytes flipped, and on known magic with random tails (6,000 cases)', () => {
    const next = seededRandom(SEED + 1);
    const magics = [
      'OggS',
      'ID3',
      '#!AMR',
      'RIFF\0\0\0\0WAVE',
      'RIFF\0\0\0\0WEBPVP8X',
      'GIF89a',
      '\xff\xd8\xff',
      'ffconcat',
    ];
    for (let i = 0; i < 4000; i += 1) {
      const sample = Buffer.from(defined(seeds[i % seeds.length]).subarray(0, 1500));
      const flips = 1 + Math.floor(next() * 8);
      for (let f = 0; f < flips && sample.length > 0; f += 1) {
        // Flip around the headers, where the readers look, most of the time.
        const at = Math.floor(next() * Math.min(sample.length, next() < 0.8 ? 64 : sample.length));
        sample[at] = Math.floor(next() * 256);
      }
      check(
        `mutated sample ${i % seeds.length} (case ${i})`,
        sample.subarray(0, Math.floor(next() * sample.length + 1)),
      );
    }
    for (let i = 0; i < 2000; i += 1) {
      const tail = Buffer.alloc(Math.floor(next() * 64));
      for (let j = 0; j < tail.length; j += 1) tail[j] = Math.floor(next() * 256);
      check(`magic case ${i}`, Buffer.concat([Buffer.from(defined(magics[i % magics.length]), 'latin1'), tail]));
    }
  });
});

/**
 * Documents: the sniffing and the ZIP directory reader over random, truncated and mutated PDFs
 * and DOCX files answer a format or refuse with a MediaError; and whole mutated files through the
 * real parser in its child process end in text or a typed refusal, never another error.
 */
describe('fuzzing the document readers', () => {
  const docs = [
    makePdf(['Opening hours', 'Closed on Sundays']),
    makeDocx(['Refunds within 30 days.', 'Keep the receipt.']),
    encryptedPdf(),
    docxBomb(4 * 1024 * 1024),
    encryptedDocx(),
    Buffer.from('name,price\nboots,120\n'),
  ];
  const identify = (bytes: Buffer, label: string) => {
    try {
      const format = identifyDocument(bytes, { fileName: 'x.csv' });
      if (!['pdf', 'docx', 'text', 'csv'].includes(format)) throw new Error(`broken answer: ${format}`);
      if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) inspectZip(bytes);
    } catch (error) {
      if (!(error instanceof MediaError)) throw new Error(`${label} (seed ${SEED})`, { cause: error });
    }
  };

  it('answers or refuses on every truncation and on mutated documents (4,000 cases)', () => {
    for (const [n, doc] of docs.entries()) {
      for (let length = 0; length <= Math.min(doc.length, 1500); length += 1)
        identify(doc.subarray(0, length), `document ${n} cut at ${length}`);
    }
    const next = seededRandom(SEED + 2);
    for (let i = 0; i < 4000; i += 1) {
      const sample = Buffer.from(docs[i % docs.length]!);
      for (let f = 0; f < 1 + Math.floor(next() * 8); f += 1) {
        // The ZIP directory sits at the end: flip there as often as at the start.
        const near = next() < 0.5 ? Math.floor(next() * 64) : sample.length - 1 - Math.floor(next() * 120);
        const at = Math.max(0, Math.min(sample.length - 1, near));
        sample[at] = Math.floor(next() * 256);
      }
      identify(sample, `mutated document ${i % docs.length} (case ${i})`);
    }
  });

  it('ends mutated PDFs, scanned PDFs and DOCX files read in the child process in text, pages drawn or a typed refusal', async () => {
    const next = seededRandom(SEED + 3);
    const limits = { maxBytes: 1e7, maxPages: 5, maxChars: 10_000, timeoutMs: 15_000, maxMemoryMb: 160, scanPages: 2 };
    const refusalOf = (error: unknown) => (error instanceof DocumentChildError ? error.why : undefined);
    const scan = { pages: 2, sidePx: 1568 };
    const inChild = [docs[0]!, docs[1]!, scannedPdf(2)];
    for (let i = 0; i < 12; i += 1) {
      const sample = Buffer.from(inChild[i % 3]!);
      for (let f = 0; f < 6; f += 1) sample[Math.floor(next() * sample.length)] = Math.floor(next() * 256);
      try {
        const read = await readDocument(sample, {}, { parse: readChatDocument, limits, refusalOf, scan });
        expect(typeof read.text).toBe('string');
        for (const jpeg of read.scans ?? []) expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      } catch (error) {
        if (!(error instanceof MediaError)) throw new Error(`child case ${i} (seed ${SEED})`, { cause: error });
      }
    }
  }, 180_000);
});
