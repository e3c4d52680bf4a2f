import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, createDeflate } from 'node:zlib';
import { ffmpegBinary } from '../../src/media/ffmpeg';
import { readImageSize } from '../../src/media/image-header';

/**
 * Real media for tests, made on the spot by ffmpeg's own generators (a sine tone, noise, the
 * `testsrc` pattern) and encoded to each format Meta delivers. Nothing is committed.
 */

const run = promisify(execFile);

export type AudioFormat = 'ogg' | 'aac' | 'amr' | 'mp3' | 'm4a' | 'webm';

const AUDIO_ENCODINGS: Record<AudioFormat, { args: string[]; ext: string; mimeType: string }> = {
  ogg: { args: ['-c:a', 'libopus', '-b:a', '24k', '-f', 'ogg'], ext: 'ogg', mimeType: 'audio/ogg; codecs=opus' },
  aac: { args: ['-c:a', 'aac', '-b:a', '48k', '-f', 'adts'], ext: 'aac', mimeType: 'audio/aac' },
  amr: {
    args: ['-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', '-f', 'amr'],
    ext: 'amr',
    mimeType: 'audio/amr',
  },
  mp3: { args: ['-c:a', 'libmp3lame', '-b:a', '48k', '-f', 'mp3'], ext: 'mp3', mimeType: 'audio/mpeg' },
  // plain MP4 (index at the end, as phones write it): needs a seekable input to decode
  m4a: { args: ['-c:a', 'aac', '-b:a', '48k', '-f', 'mp4'], ext: 'm4a', mimeType: 'audio/mp4' },
  webm: { args: ['-c:a', 'libopus', '-b:a', '24k', '-f', 'webm'], ext: 'webm', mimeType: 'audio/webm' },
};

async function generate(inputArgs: string[], outputArgs: string[], ext: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'threadline-fixture-'));
  try {
    const out = join(dir, `out.${ext}`);
    await run(ffmpegBinary(), ['-hide_banner', '-loglevel', 'error', '-y', ...inputArgs, ...outputArgs, out]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `seconds` of a 440 Hz tone with a little noise (stereo 48 kHz source: the transcoder must downmix). */
export async function makeAudio(format: AudioFormat, seconds = 2): Promise<{ bytes: Buffer; mimeType: string }> {
  const encoding = AUDIO_ENCODINGS[format];
  const bytes = await generate(
    [
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `anoisesrc=d=${seconds}:a=0.02:r=48000`,
    ],
    [
      '-filter_complex',
      '[0:a][1:a]amix=inputs=2,aformat=channel_layouts=stereo',
      ...(format === 'amr' ? ['-ac', '1'] : ['-ac', '2']),
      ...encoding.args,
    ],
    encoding.ext,
  );
  return { bytes, mimeType: encoding.mimeType };
}

/** A `testsrc` picture, JPEG or PNG, at the given size. */
export async function makeImage(
  width: number,
  height: number,
  format: 'jpeg' | 'png' = 'jpeg',
  quality = 3,
): Promise<Buffer> {
  const codec =
    format === 'jpeg' ? ['-c:v', 'mjpeg', '-q:v', String(quality), '-pix_fmt', 'yuvj420p'] : ['-c:v', 'png'];
  return generate(
    ['-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=1`],
    ['-frames:v', '1', ...codec, '-f', 'image2'],
    format === 'jpeg' ? 'jpg' : 'png',
  );
}

/** Inserts an EXIF APP1 segment carrying only an orientation tag right after the JPEG's SOI. */
export function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(0x2a, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/**
 * A decompression bomb: a valid PNG of `width`×`height` black pixels (8-bit grey, or RGB), whose
 * compressed size is about a thousandth of what a decoder must allocate for it.
 */
export async function pngBomb(width: number, height: number, channels: 1 | 3 = 1): Promise<Buffer> {
  const row = Buffer.alloc(1 + width * channels); // filter byte 0, then zero samples
  const deflate = createDeflate({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  for (let y = 0; y < height; y += 1) {
    if (!deflate.write(row)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(channels === 1 ? 0 : 2, 9); // grey or RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.concat(compressed)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `content` behind an ID3v2.3 tag (10-byte header, a title frame): how MP3 files begin. */
export function id3Wrapped(content: string | Buffer): Buffer {
  const frame = Buffer.concat([
    Buffer.from('TIT2', 'latin1'),
    Buffer.from([0, 0, 0, 6, 0, 0, 0]),
    Buffer.from('voice'),
  ]);
  const size = frame.length;
  const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, (size >> 7) & 0x7f, size & 0x7f]);
  return Buffer.concat([header, frame, Buffer.isBuffer(content) ? content : Buffer.from(content, 'latin1')]);
}

/** Width and height from a JPEG's start-of-frame segment. */
export function jpegSize(jpeg: Buffer): { width: number; height: number } {
  const size = readImageSize(jpeg, 'jpeg');
  if (!size) throw new Error('no SOF segment');
  return size;
}

/** The fmt chunk of a WAV file, and its data length. */
export function wavFormat(wav: Buffer): {
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
} {
  if (wav.toString('latin1', 0, 4) !== 'RIFF' || wav.toString('latin1', 8, 12) !== 'WAVE')
    throw new Error('not a RIFF/WAVE file');
  let offset = 12;
  let fmt: { audioFormat: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('latin1', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      fmt = {
        audioFormat: wav.readUInt16LE(offset + 8),
        channels: wav.readUInt16LE(offset + 10),
        sampleRate: wav.readUInt32LE(offset + 12),
        bitsPerSample: wav.readUInt16LE(offset + 22),
      };
    }
    if (id === 'data' && fmt) return { ...fmt, dataBytes: size };
    offset += 8 + size + (size % 2);
  }
  throw new Error('WAV without fmt/data chunks');
}
