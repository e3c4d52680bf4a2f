import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import zlib from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { parseSandboxEnv } from '../../config/sandbox-env';
import { startSandbox, type RunningSandbox } from '../../sandbox/start-sandbox';
import { deleteKeysWithPrefix, REDIS_URL } from '../helpers/system';

/**
 * The sandbox as `npm run sandbox` builds it (emulator, demo responder, Threadline web + worker,
 * the page server), but with web and worker in this process, a free port, and a fresh
 * QUEUE_PREFIX on the shared test Redis. Ollama detection is off so the demo responder answers.
 */
export async function startTestSandbox(
  extraEnv: Record<string, string> = {},
  /** what the launcher passes on to web and worker beyond the test settings */
  passOn: Record<string, string> = {},
  /** the launcher's console lines */
  say?: (line: string) => void,
): Promise<RunningSandbox & { cleanup(): Promise<void> }> {
  const env = {
    PORT: '0',
    REDIS_URL,
    QUEUE_PREFIX: `t-sbx-${randomUUID().slice(0, 8)}`,
    SANDBOX_DETECT_OLLAMA: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...extraEnv,
  };
  const sandbox = await startSandbox({
    env: parseSandboxEnv(env),
    passThrough: { NODE_ENV: 'test', TURN_RETRY_DELAY_MS: '100', METRICS_PORT: '0', ...passOn },
    product: 'in-process',
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'threadline-sandbox-')),
    emulator: { readAfterMs: 200, retryDelaysMs: [0, 200, 400] },
    say,
  });
  return {
    ...sandbox,
    async cleanup() {
      await sandbox.stop();
      const redis = new Redis(REDIS_URL);
      await deleteKeysWithPrefix(redis, env.QUEUE_PREFIX);
      redis.disconnect();
    },
  };
}

export async function waitUntil<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A small real PNG (solid colour), made here rather than committed. */
export function makePng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
