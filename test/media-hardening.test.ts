import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transcodeForSpeech } from '../src/media/audio';
import { ffmpegBinary, ffmpegArguments } from '../src/media/ffmpeg';
import { chooseFfmpeg, majorVersion, setUpFfmpeg } from '../src/media/ffmpeg-setup';
import { normaliseImage } from '../src/media/image';
import { readImageSize } from '../src/media/image-header';
import { ProcessSlots } from '../src/media/process-slots';
import { identifyMedia, sniffMedia } from '../src/media/sniff';
import type { Logger } from '../src/logging';
import { id3Wrapped, makeAudio, makeImage, pngBomb } from './helpers/media-fixtures';

/**
 * The defences around untrusted media, piece by piece with the real ffmpeg: the demuxer is named
 * and playlists never reach it, images are sized from their headers and capped, and ffmpeg runs a
 * bounded number at a time under a memory ceiling. Media hosts: media-hosts.test.ts.
 */
const run = promisify(execFile);
let ffmpegPath = '';
beforeAll(async () => {
  ffmpegPath = (await chooseFfmpeg(process.env.FFMPEG_PATH)).path;
});
const image = () => ({ ffmpegPath, maxSidePx: 1568, maxOutputBytes: 1536 * 1024, timeoutMs: 20_000 });

describe('ffmpeg never guesses the format', () => {
  it('refuses HLS playlists and ffconcat lists, bare or behind an ID3 tag, as unsupported', () => {
    const playlists = [
      '#EXTM3U\n#EXTINF:1,\n/etc/passwd.mp3\n',
      '\ufeff  #extm3u\n',
      "ffconcat version 1.0\nfile '/tmp/x.mp3'\n",
    ];
    for (const text of playlists) {
      for (const bytes of [Buffer.from(text), id3Wrapped(text)]) {
        expect(sniffMedia(bytes)).toBeUndefined();
        let refusal: unknown;
        try {
          identifyMedia(bytes, 'audio');
        } catch (error) {
          refusal = error;
        }
        expect(refusal).toMatchObject({ reason: 'unsupported-type' });
      }
    }
  });

  it('still reads an MP3 that starts with an ID3 tag', async () => {
    const { bytes } = await makeAudio('mp3', 1);
    expect(bytes.subarray(0, 3).toString('latin1')).toBe('ID3');
    expect(sniffMedia(bytes)).toEqual({ kind: 'audio', format: 'mp3' });
  });

  it('passes the demuxer before -i and allows only the file protocol', () => {
    const args = ffmpegArguments('/tmp/in', '/tmp/out.wav', {
      input: Buffer.alloc(0),
      inputFormat: 'mp3',
      outputOptions: ['-f', 'wav'],
      outputExtension: 'wav',
      timeoutMs: 1000,
      maxOutputBytes: 1000,
    });
    const input = args.indexOf('-i');
    expect(args.slice(input - 2, input + 2)).toEqual(['-f', 'mp3', '-i', '/tmp/in']);
    expect(args[args.indexOf('-protocol_whitelist') + 1]).toBe('file');
    expect(args.indexOf('-protocol_whitelist')).toBeLessThan(input);
  });

  it('decodes an ID3 + playlist forced through as MP3 as nothing: ffmpeg does not follow it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'threadline-secret-'));
    try {
      const secret = join(dir, 'secret.mp3');
      await writeFile(secret, (await makeAudio('mp3', 2)).bytes);
      const playlist = id3Wrapped(`#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n${secret}\n#EXT-X-ENDLIST\n`);
      await expect(
        transcodeForSpeech(playlist, { ffmpegPath, maxSeconds: 300, timeoutMs: 20_000, format: 'mp3' }),
      ).rejects.toMatchObject({ reason: 'unreadable' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('image headers and the pixel cap', () => {
  it.each([
    ['jpeg', ['-c:v', 'mjpeg', '-f', 'image2'], 'jpg'],
    ['png', ['-f', 'image2'], 'png'],
    ['gif', ['-f', 'gif'], 'gif'],
    ['webp', ['-c:v', 'libwebp', '-lossless', '0', '-f', 'webp'], 'webp'],
    ['webp', ['-c:v', 'libwebp', '-lossless', '1', '-f', 'webp'], 'webp'],
  ] as const)('reads the size of a %s (%j) from its header', async (format, args, ext) => {
    const dir = await mkdtemp(join(tmpdir(), 'threadline-header-'));
    try {
      const out = join(dir, `out.${ext}`);
      await run(ffmpegBinary(), [
        ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=333x211:rate=1'],
        ...['-frames:v', '1', ...args, out],
      ]);
      const bytes = await readFile(out);
      expect(sniffMedia(bytes)).toEqual({ kind: 'image', format });
      expect(readImageSize(bytes, format)).toEqual({ width: 333, height: 211 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['gif', ['-f', 'gif'], 'gif'],
    ['webp', ['-c:v', 'libwebp', '-f', 'webp'], 'webp'],
    ['png', ['-f', 'image2'], 'png'],
  ] as const)('decodes a %s through its named demuxer', async (format, args, ext) => {
    const dir = await mkdtemp(join(tmpdir(), 'threadline-header-'));
    try {
      const out = join(dir, `out.${ext}`);
      await run(ffmpegBinary(), [
        ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x200:rate=1'],
        ...['-frames:v', '1', ...args, out],
      ]);
      const bytes = await readFile(out);
      const normalised = await normaliseImage(bytes, image());
      expect(readImageSize(normalised.bytes, 'jpeg')).toEqual({ width: 320, height: 200 });
      expect(sniffMedia(bytes)).toMatchObject({ format });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the canvas of an extended (VP8X) WebP', () => {
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUIntLE(15_999, 24, 3);
    vp8x.writeUIntLE(15_999, 27, 3);
    expect(readImageSize(vp8x, 'webp')).toEqual({ width: 16_000, height: 16_000 });
  });

  it('refuses an image over the pixel cap with a typed refusal, and one whose header has no size', async () => {
    const bomb = await pngBomb(16_000, 16_000);
    await expect(normaliseImage(bomb, image())).rejects.toMatchObject({ reason: 'too-many-pixels' });
    const photo = await makeImage(400, 300);
    await expect(normaliseImage(photo, { ...image(), maxPixels: 400 * 300 - 1 })).rejects.toMatchObject({
      reason: 'too-many-pixels',
    });
    await expect(normaliseImage(photo, { ...image(), maxPixels: 400 * 300 })).resolves.toMatchObject({
      mimeType: 'image/jpeg',
    });
    const noFrame = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xda]);
    await expect(normaliseImage(noFrame, image())).rejects.toMatchObject({ reason: 'unreadable' });
  });
});

describe('ffmpeg processes', () => {
  /** ffmpeg processes that are children of this test process, sampled from /proc. */
  async function childFfmpegs(): Promise<number> {
    const { stdout } = await run('ps', ['-o', 'comm=', '--ppid', String(process.pid)]).catch(() => ({ stdout: '' }));
    return stdout.split('\n').filter((name) => name.trim() === 'ffmpeg').length;
  }

  it('runs at most MEDIA_CONCURRENCY ffmpeg processes at once', async () => {
    const processes = { slots: new ProcessSlots(2), memoryCeilingBytes: undefined };
    const photo = await makeImage(3000, 2000, 'png');
    let most = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        most = Math.max(most, await childFfmpegs());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const runs = Array.from({ length: 6 }, () => normaliseImage(photo, { ...image(), processes }));
    await Promise.all(runs);
    sampling = false;
    await sampler;
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('lets a waiting run leave the queue when its turn is aborted', async () => {
    const slots = new ProcessSlots(1);
    let release!: () => void;
    const holder = slots.run(() => new Promise<void>((resolve) => (release = resolve)));
    const abort = new AbortController();
    const waiter = slots.run(() => Promise.resolve('ran'), abort.signal);
    expect(slots.load).toEqual({ active: 1, waiting: 1 });
    abort.abort();
    await expect(waiter).rejects.toMatchObject({ transient: true });
    expect(slots.load).toEqual({ active: 1, waiting: 0 });
    release();
    await holder;
  });

  it('stops an ffmpeg that passes its memory ceiling, as unreadable, and not one under it', async () => {
    const photo = await makeImage(3000, 2000, 'png');
    const tight = { slots: new ProcessSlots(1), memoryCeilingBytes: 24 * 1024 * 1024 };
    await expect(normaliseImage(photo, { ...image(), processes: tight })).rejects.toMatchObject({
      reason: 'unreadable',
    });
    const roomy = { slots: new ProcessSlots(1), memoryCeilingBytes: 768 * 1024 * 1024 };
    await expect(normaliseImage(photo, { ...image(), processes: roomy })).resolves.toMatchObject({
      mimeType: 'image/jpeg',
    });
  });
});

describe('which ffmpeg runs', () => {
  it('reads major versions of release builds, not of git snapshots', () => {
    expect(majorVersion('5.1.9-0+deb12u1')).toBe(5);
    expect(majorVersion('n6.1')).toBe(6);
    expect(majorVersion('4.4.2-0ubuntu0.22.04.1')).toBe(4);
    expect(majorVersion('N-47683-g0e8eb07980-static')).toBeUndefined();
  });

  it('prefers FFMPEG_PATH and logs the binary, its version and the memory ceiling at start', async () => {
    const logged: Array<{ fields: Record<string, unknown>; message: string }> = [];
    const logger = {
      info: (fields: Record<string, unknown>, message: string) => logged.push({ fields, message }),
      warn: (fields: Record<string, unknown>, message: string) => logged.push({ fields, message }),
      error: (fields: Record<string, unknown>, message: string) => logged.push({ fields, message }),
    } as unknown as Logger;
    const bundled = ffmpegBinary();
    const setup = await setUpFfmpeg({ configured: bundled, concurrency: 3, maxMemoryMb: 512 }, logger);
    expect(setup).toMatchObject({ path: bundled, source: 'FFMPEG_PATH' });
    expect(setup.version).toMatch(/\S/);
    expect(setup.processes.slots.size).toBe(3);
    expect(setup.processes.memoryCeilingBytes).toBe(512 * 1024 * 1024);
    const start = logged.find((line) => line.message === 'ffmpeg for voice notes and photos');
    expect(start?.fields).toMatchObject({ ffmpeg: bundled, version: setup.version, memoryCeilingMb: 512 });
  });

  it('without FFMPEG_PATH, takes a system ffmpeg only when it is version 5 or newer', async () => {
    const choice = await chooseFfmpeg(undefined);
    if (choice.source === 'system') expect(majorVersion(choice.version)).toBeGreaterThanOrEqual(5);
    else expect(choice.path).toBe(ffmpegBinary());
  });
});
