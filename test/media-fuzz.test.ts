import { wavDataBytes } from '../src/media/audio';
import { MediaError } from '../src/media/errors';
import { jpegOrientation } from '../src/media/exif';
import { checkImageSize, readImageSize, type ImageFormat } from '../src/media/image-header';
import { identifyMedia, isPlaylist, sniffMedia } from '../src/media/sniff';
import { id3Wrapped, makeAudio, makeImage, pngBomb, withExifOrientation } from './helpers/media-fixtures';
import { seededRandom } from './helpers/mangle';
import { defined } from './helpers/present';

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
