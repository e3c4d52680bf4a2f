import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { transcodeForSpeech } from '../src/media/audio';
import { downloadMedia, isHostAllowed } from '../src/media/download';
import { MediaError, MediaUrlExpiredError } from '../src/media/errors';
import { chooseFfmpeg } from '../src/media/ffmpeg-setup';
import { normaliseImage } from '../src/media/image';
import { sniffMedia } from '../src/media/sniff';
import { FakeHttpServer, type ScriptedResponse } from './helpers/http-fake';
import {
  jpegSize,
  makeAudio,
  makeImage,
  wavFormat,
  withExifOrientation,
  type AudioFormat,
} from './helpers/media-fixtures';

/**
 * The media pieces on their own, with the real ffmpeg and real HTTP on loopback: every
 * audio format Meta delivers comes out as 16 kHz mono PCM WAV, photos come out upright and
 * bounded, and the downloader fetches only from allowed hosts, within its byte cap.
 */
const voice = { ffmpegPath: '', maxSeconds: 300, timeoutMs: 20_000 };
const image = { ffmpegPath: '', maxSidePx: 1568, maxOutputBytes: 1536 * 1024, timeoutMs: 20_000 };
// The ffmpeg a worker would choose here (FFMPEG_PATH, else a system ffmpeg ≥ 5, else the bundled one).
beforeAll(async () => {
  voice.ffmpegPath = image.ffmpegPath = (await chooseFfmpeg(process.env.FFMPEG_PATH)).path;
});
const mediaTempDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('threadline-media-'));

describe('audio → speech-to-text WAV', () => {
  const formats: Array<[AudioFormat, string]> = [
    ['ogg', 'ogg'],
    ['aac', 'aac'],
    ['amr', 'amr'],
    ['mp3', 'mp3'],
    ['m4a', 'mp4'],
    ['webm', 'webm'],
  ];
  it.each(formats)('%s is sniffed from its bytes and becomes 16 kHz mono 16-bit PCM WAV', async (format, sniffed) => {
    const { bytes } = await makeAudio(format, 2);
    expect(sniffMedia(bytes)).toEqual({ kind: 'audio', format: sniffed });
    const { wav, durationSeconds } = await transcodeForSpeech(bytes, voice);
    expect(wavFormat(wav)).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16_000, bitsPerSample: 16 });
    expect(wavFormat(wav).dataBytes).toBe(wav.length - 44);
    expect(durationSeconds).toBeGreaterThan(1.8);
    expect(durationSeconds).toBeLessThan(2.3);
  });

  it('refuses a voice note over the duration cap, without decoding all of it', async () => {
    const { bytes } = await makeAudio('ogg', 6);
    await expect(transcodeForSpeech(bytes, { ...voice, maxSeconds: 3 })).rejects.toMatchObject({ reason: 'too-long' });
  });

  it('calls corrupt audio unreadable and leaves no temp files behind', async () => {
    const before = new Set(mediaTempDirs());
    const { bytes } = await makeAudio('ogg', 2);
    const corrupt = Buffer.concat([bytes.subarray(0, 64), Buffer.alloc(4000, 0x5a)]);
    await expect(transcodeForSpeech(corrupt, voice)).rejects.toMatchObject({ reason: 'unreadable' });
    await expect(transcodeForSpeech(Buffer.from('OggS not really'), voice)).rejects.toBeInstanceOf(MediaError);
    // Other test files transcode in the same /tmp at the same time; their folders come and go, a
    // leaked one stays: wait a little for the new folders to be gone.
    const appeared = () => mediaTempDirs().filter((name) => !before.has(name));
    for (let i = 0; i < 50 && appeared().length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(appeared()).toEqual([]);
  });

  it('kills ffmpeg at the timeout', async () => {
    const { bytes } = await makeAudio('mp3', 30);
    await expect(transcodeForSpeech(bytes, { ...voice, timeoutMs: 5 })).rejects.toMatchObject({ reason: 'unreadable' });
  });
});

describe('photo normalisation', () => {
  it('scales a 12-megapixel JPEG so its longest side is 1568 px', async () => {
    const input = await makeImage(4000, 3000);
    const out = await normaliseImage(input, image);
    expect(sniffMedia(out.bytes)).toEqual({ kind: 'image', format: 'jpeg' });
    expect(jpegSize(out.bytes)).toEqual({ width: 1568, height: 1176 });
  });

  it('keeps a small PNG at its size, as JPEG', async () => {
    const out = await normaliseImage(await makeImage(320, 240, 'png'), image);
    expect(jpegSize(out.bytes)).toEqual({ width: 320, height: 240 });
  });

  it('applies the EXIF orientation (6: turned 90° clockwise)', async () => {
    const input = withExifOrientation(await makeImage(400, 200), 6);
    const out = await normaliseImage(input, image);
    expect(jpegSize(out.bytes)).toEqual({ width: 200, height: 400 });
  });

  it('re-encodes smaller, then gives up, when the output is over the byte cap', async () => {
    const input = await makeImage(1200, 900);
    await expect(normaliseImage(input, { ...image, maxOutputBytes: 2000 })).rejects.toMatchObject({
      reason: 'too-big',
    });
  });
});

describe('downloader', () => {
  let server: FakeHttpServer;
  let other: FakeHttpServer;
  const body = Buffer.alloc(50_000, 7);
  beforeEach(async () => {
    other = await new FakeHttpServer(() => ({ status: 200, rawBody: body })).start();
    server = await new FakeHttpServer((r): ScriptedResponse => {
      if (r.path === '/file') return { status: 200, rawBody: body, headers: { 'content-type': 'audio/ogg' } };
      if (r.path === '/hop') return { status: 302, headers: { location: '/file' } };
      if (r.path === '/away')
        return { status: 302, headers: { location: other.url.replace('127.0.0.1', 'localhost') + '/file' } };
      return { status: 404 };
    }).start();
  });
  afterEach(async () => Promise.all([server.stop(), other.stop()]));
  const limits = { allowedHosts: ['127.0.0.1'], maxBytes: 1_000_000, timeoutMs: 5000 };

  it('matches hosts exactly and `*.` entries by subdomain', () => {
    const allowed = ['lookaside.fbsbx.com', '*.fbcdn.net'];
    expect(isHostAllowed('lookaside.fbsbx.com', allowed)).toBe(true);
    expect(isHostAllowed('scontent.xx.fbcdn.net', allowed)).toBe(true);
    expect(isHostAllowed('fbcdn.net.evil.com', allowed)).toBe(false);
    expect(isHostAllowed('evilfbcdn.net', allowed)).toBe(false);
    expect(isHostAllowed('other.fbsbx.com', allowed)).toBe(false);
  });

  it('follows a redirect within allowed hosts', async () => {
    const got = await downloadMedia({ ...limits, url: `${server.url}/hop` });
    expect(got.bytes.equals(body)).toBe(true);
  });

  it('never requests a host that is not allowed, not even through a redirect', async () => {
    await expect(
      downloadMedia({ ...limits, url: `${other.url.replace('127.0.0.1', 'localhost')}/file` }),
    ).rejects.toMatchObject({
      reason: 'host-not-allowed',
    });
    await expect(
      downloadMedia({ ...limits, url: `${server.url}/away`, headers: { authorization: 'Bearer secret' } }),
    ).rejects.toMatchObject({
      reason: 'host-not-allowed',
    });
    expect(other.requests).toHaveLength(0);
  });

  it('stops at the byte cap', async () => {
    await expect(downloadMedia({ ...limits, maxBytes: 10_000, url: `${server.url}/file` })).rejects.toMatchObject({
      reason: 'too-big',
    });
  });

  it('reports 404 as an expired URL', async () => {
    await expect(downloadMedia({ ...limits, url: `${server.url}/gone` })).rejects.toBeInstanceOf(MediaUrlExpiredError);
  });
});
