import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config';
import { createLogger } from '../src/logging';
import { ffmpegBinary } from '../src/media/ffmpeg';
import { startWorkers } from '../workers/worker';
import { makeAudio } from './helpers/media-fixtures';
import { whatsAppMedia } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * A worker shut down (SIGTERM: RunningWorkers.close()) in the middle of a voice-note turn stops
 * what the turn is waiting on: the ffmpeg child is killed and the speech-to-text request is
 * cancelled, so shutdown takes the grace period, not as long as the media takes. The turn is
 * handed back and a fresh worker answers the message, exactly once.
 */
const GRACE_MS = 300;
const ENV = { MEDIA_ALLOWED_HOSTS: '127.0.0.1', SHUTDOWN_GRACE_MS: String(GRACE_MS) };
const USER = '16505550199';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A speech-to-text server that never answers, and notes when the client gives up on a request. */
async function startSilentSpeechToText() {
  const seen = { requests: 0, abandoned: 0 };
  const server = http.createServer((req, res) => {
    seen.requests += 1;
    req.resume();
    res.on('close', () => {
      if (!res.writableEnded) seen.abandoned += 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, seen, stop };
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Shuts the running workers down as SIGTERM does; resolves with how long it took. */
async function shutDown(system: TestSystem): Promise<number> {
  const started = Date.now();
  await defined(system.workers).close();
  system.workers = undefined;
  return Date.now() - started;
}

/** A second worker process would read the same environment; only the broken part is healed. */
async function restartWorkers(system: TestSystem, config: Config): Promise<void> {
  system.workers = await startWorkers(config, createLogger({ level: config.log.level, name: 'test' }));
}

async function expectAnsweredOnce(system: TestSystem): Promise<void> {
  await system.graph.waitFor(() => system.graph.sentTexts().length >= 1, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const texts = system.graph.sentTexts().map((sent) => sent.text);
  expect(texts).toEqual(['echo: [voice note] what is the weather tomorrow (history: 0)']);
}

describe('shutdown during a voice-note turn', () => {
  let system: TestSystem;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'threadline-shutdown-'));
  });
  afterEach(async () => {
    await system?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('kills ffmpeg, hands the turn back, and the message is answered once by the next worker', async () => {
    // A real ffmpeg that reads its input at playback speed (-re): a 20 s voice note takes 20 s.
    const pidFile = join(dir, 'ffmpeg.pids');
    const slowFfmpeg = join(dir, 'slow-ffmpeg.sh');
    // The worker also runs it to read its version; only transcodes (runs with an input, `-i`) are noted.
    const script = [
      '#!/bin/sh',
      `case " $* " in *" -i "*) echo $$ >> '${pidFile}';; esac`,
      `exec '${ffmpegBinary()}' -re "$@"`,
    ];
    await writeFile(slowFfmpeg, `${script.join('\n')}\n`);
    await chmod(slowFfmpeg, 0o755);
    system = await startSystem({ env: { ...ENV, FFMPEG_PATH: slowFfmpeg, MEDIA_TRANSCODE_TIMEOUT_MS: '60000' } });
    const audio = await makeAudio('ogg', 20);
    system.graph.addMedia('7100001', audio.bytes, audio.mimeType);
    await system.deliver('whatsapp', whatsAppMedia(USER, 'audio', { id: '7100001', mimeType: audio.mimeType }));

    await waitUntil(async () => (await readFile(pidFile, 'utf8').catch(() => '')).trim() !== '');
    const pid = Number((await readFile(pidFile, 'utf8')).trim().split('\n')[0]);
    expect(isRunning(pid)).toBe(true);

    const tookMs = await shutDown(system);
    expect(tookMs).toBeLessThan(GRACE_MS + 5000);
    await waitUntil(() => !isRunning(pid), 2000);
    expect(system.model.transcriptionRequests()).toHaveLength(0);
    expect(system.graph.sentTexts()).toHaveLength(0);

    await restartWorkers(system, { ...system.config, media: { ...system.config.media, ffmpegPath: undefined } });
    await expectAnsweredOnce(system);
  });

  it('cancels the speech-to-text request, hands the turn back, and the message is answered once', async () => {
    const silent = await startSilentSpeechToText();
    try {
      system = await startSystem({ env: { ...ENV, STT_BASE_URL: silent.url } });
      const audio = await makeAudio('ogg', 2);
      system.graph.addMedia('7100002', audio.bytes, audio.mimeType);
      await system.deliver('whatsapp', whatsAppMedia(USER, 'audio', { id: '7100002', mimeType: audio.mimeType }));
      await waitUntil(() => silent.seen.requests === 1);

      const tookMs = await shutDown(system);
      expect(tookMs).toBeLessThan(GRACE_MS + 5000);
      await waitUntil(() => silent.seen.abandoned === 1, 2000);
      expect(system.graph.sentTexts()).toHaveLength(0);

      await restartWorkers(system, { ...system.config, stt: { ...system.config.stt, baseUrl: system.model.url } });
      await expectAnsweredOnce(system);
      expect(silent.seen.requests).toBe(1);
    } finally {
      await silent.stop();
    }
  });
});
