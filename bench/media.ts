/**
 * Media benchmark (a script, not a test): how long a voice note takes to become STT-ready WAV
 * and a 12-megapixel photo to become the model's JPEG, through Threadline's own code, next to
 * the bare ffmpeg command line on the same input in the same run. Runs are interleaved so both
 * see the same machine load. Prints medians, the ratio, and the process's peak RSS.
 *
 *   npm run bench:media            (RUNS=9 by default)
 *
 * Targets: 60 s OGG/Opus voice note < 300 ms; 12 MP photo < 400 ms; ≤ 1.2x bare ffmpeg.
 * Documents (a 20-page PDF, a DOCX) and a 30 s video: see bench/media-kinds.ts, with the peak
 * memory of the processes each side started (targets: document < 3 s, video < 5 s).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transcodeForSpeech } from '../src/media/audio';
import { ffmpegBinary } from '../src/media/ffmpeg';
import { ProcessSlots } from '../src/media/process-slots';
import { MediaError } from '../src/media/errors';
import { imageFilterChain, normaliseImage } from '../src/media/image';
import { pngBomb } from '../test/helpers/media-fixtures';
import { documentRows, videoRows } from './media-kinds';

const run = promisify(execFile);
const RUNS = Number(process.env.RUNS ?? 9);
const ffmpeg = ffmpegBinary(process.env.FFMPEG_PATH);
// As a worker runs it by default: one process slot in use, under the 768 MB memory ceiling (prlimit).
const processes = { slots: new ProcessSlots(2), memoryCeilingBytes: 768 * 1024 * 1024 };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function compare(
  name: string,
  ours: () => Promise<unknown>,
  bare: () => Promise<unknown>,
  targetMs: number,
  bareName = 'bare ffmpeg',
) {
  await ours(); // warm-up: first spawn, page cache
  await bare();
  const oursMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    oursMs.push(await timed(ours));
    bareMs.push(await timed(bare));
  }
  const o = median(oursMs);
  const b = median(bareMs);
  const verdict = o < targetMs && o / b <= 1.2 ? 'OK' : 'MISSED';
  console.log(
    `${name.padEnd(34)} threadline ${o.toFixed(0).padStart(5)} ms   ${bareName} ${b.toFixed(0).padStart(5)} ms   ratio ${(o / b).toFixed(2)}   target < ${targetMs} ms, ≤ 1.20x: ${verdict}`,
  );
  console.log(
    `${''.padEnd(34)} (threadline runs: ${oursMs.map((v) => v.toFixed(0)).join(', ')}; bare: ${bareMs.map((v) => v.toFixed(0)).join(', ')})`,
  );
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'threadline-bench-'));
  try {
    const voicePath = join(dir, 'voice.ogg');
    const photoPath = join(dir, 'photo.jpg');
    // A 60 s mono Opus voice note as WhatsApp records it (a tone under noise stands in for speech).
    await run(ffmpeg, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=220:sample_rate=48000:duration=60',
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=d=60:a=0.05:r=48000',
      '-filter_complex',
      'amix=inputs=2',
      '-ac',
      '1',
      '-c:a',
      'libopus',
      '-b:a',
      '32k',
      '-f',
      'ogg',
      voicePath,
    ]);
    // A 12-megapixel (4000x3000) phone-like JPEG: noise keeps it from compressing unrealistically well.
    await run(ffmpeg, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=4000x3000:rate=1',
      '-vf',
      'noise=alls=12:allf=t',
      '-frames:v',
      '1',
      '-c:v',
      'mjpeg',
      '-q:v',
      '3',
      '-pix_fmt',
      'yuvj420p',
      '-f',
      'image2',
      photoPath,
    ]);
    const voice = await readFile(voicePath);
    const photo = await readFile(photoPath);
    console.log(`ffmpeg ${ffmpeg}`);
    console.log(
      `inputs: voice note ${(voice.length / 1024).toFixed(0)} KB (60 s OGG/Opus), photo ${(photo.length / 1024 / 1024).toFixed(1)} MB (4000x3000 JPEG); ${RUNS} runs each\n`,
    );

    const wavOut = join(dir, 'bare.wav');
    await compare(
      '60 s OGG/Opus → 16 kHz mono WAV',
      () => transcodeForSpeech(voice, { ffmpegPath: ffmpeg, maxSeconds: 300, timeoutMs: 30_000, processes }),
      () =>
        run(ffmpeg, [
          '-hide_banner',
          '-nostdin',
          '-loglevel',
          'error',
          '-i',
          voicePath,
          '-vn',
          '-ac',
          '1',
          '-ar',
          '16000',
          '-c:a',
          'pcm_s16le',
          '-f',
          'wav',
          '-y',
          wavOut,
        ]),
      300,
    );
    const jpgOut = join(dir, 'bare.jpg');
    await compare(
      '12 MP JPEG → 1568 px JPEG',
      () =>
        normaliseImage(photo, {
          ffmpegPath: ffmpeg,
          maxSidePx: 1568,
          maxOutputBytes: 1536 * 1024,
          timeoutMs: 30_000,
          processes,
        }),
      () =>
        run(ffmpeg, [
          '-hide_banner',
          '-nostdin',
          '-loglevel',
          'error',
          '-i',
          photoPath,
          '-vf',
          imageFilterChain(1, 1568),
          '-frames:v',
          '1',
          '-c:v',
          'mjpeg',
          '-q:v',
          '4',
          '-f',
          'image2',
          '-y',
          jpgOut,
        ]),
      400,
    );
    // A decompression bomb (746 KB PNG declaring 16000×16000): refused from its header, ffmpeg never runs.
    const bomb = await pngBomb(16_000, 16_000, 3);
    const refusedMs: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      refusedMs.push(
        await timed(() =>
          normaliseImage(bomb, {
            ffmpegPath: ffmpeg,
            maxSidePx: 1568,
            maxOutputBytes: 1536 * 1024,
            timeoutMs: 30_000,
          }).then(
            () => Promise.reject(new Error('the bomb was decoded')),
            (error: unknown) => {
              if (!(error instanceof MediaError && error.reason === 'too-many-pixels')) throw error;
            },
          ),
        ),
      );
    }
    console.log(
      `${`16000×16000 PNG bomb (${(bomb.length / 1024).toFixed(0)} KB)`.padEnd(34)} refused from its header in ${median(refusedMs).toFixed(2)} ms (median; ffmpeg not started)`,
    );
    await documentRows(dir, compare);
    await videoRows(dir, ffmpeg, processes, compare);
    const usage = process.resourceUsage();
    console.log(
      `\npeak RSS of this Node process (the worker's share; ffmpeg runs in its own process): ${(usage.maxRSS / 1024).toFixed(0)} MB`,
    );
    await writeFile(join(dir, 'done'), '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
