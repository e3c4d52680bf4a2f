/**
 * The `web` process under stalled uploads: its resident memory (RSS) before, at the peak and after
 * N clients each start a 1 MB webhook upload, send part of it and stop. Two runs:
 *   unsigned   no X-Hub-Signature-256 header: refused with 401 before any body is read
 *   signed     a well-formed (forged) signature: the body is read until WEB_REQUEST_TIMEOUT_MS
 *              cuts it; at most WEB_MAX_CONNECTIONS are accepted at once
 *
 *   npm run bench:stalled                 (REDIS_URL defaults to redis://127.0.0.1:6379)
 *   STALLED_CLIENTS=1000 STALLED_PARTIAL_BYTES=262144 npm run bench:stalled
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const CLIENTS = Number(process.env.STALLED_CLIENTS ?? 1000);
const PARTIAL_BYTES = Number(process.env.STALLED_PARTIAL_BYTES ?? 256 * 1024);
const DECLARED_BYTES = 1024 * 1024 - 1;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = path.resolve(__dirname, '..');

function startWebChild(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'webhooks/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      REDIS_URL,
      QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}`,
      META_APP_SECRET: 'bench-secret',
      META_VERIFY_TOKEN: 'bench',
      WHATSAPP_ACCESS_TOKEN: 'bench',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        child.stdout.resume(); // keep draining its log so it never blocks on a full pipe
        resolve({ child, port: Number(match[1]) });
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => reject(new Error(`web exited with ${code}: ${output}`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  answered: Record<string, number>;
  closedByServer: number;
}

/** Opens the stalled uploads; resolves once each is answered, closed, or `holdMs` has passed. */
async function stall(port: number, signed: boolean, holdMs: number): Promise<Outcome> {
  const head =
    `POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${DECLARED_BYTES}\r\n` +
    (signed ? `X-Hub-Signature-256: sha256=${'ab'.repeat(32)}\r\n` : '') +
    '\r\n';
  const partial = Buffer.alloc(PARTIAL_BYTES, 0x20);
  const outcome: Outcome = { answered: {}, closedByServer: 0 };
  const sockets: net.Socket[] = [];
  const finished: Array<Promise<void>> = [];
  for (let i = 0; i < CLIENTS; i += 1) {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    let counted = false;
    finished.push(
      new Promise((resolve) => {
        socket.on('connect', () => {
          socket.write(head);
          socket.write(partial);
        });
        socket.on('data', (chunk: Buffer) => {
          const status = /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1];
          if (status && !counted) {
            counted = true;
            outcome.answered[status] = (outcome.answered[status] ?? 0) + 1;
          }
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          outcome.closedByServer += 1;
          resolve();
        });
      }),
    );
    if (i % 100 === 99) await sleep(20); // stay under the listen backlog
  }
  await Promise.race([Promise.all(finished), sleep(holdMs)]);
  for (const socket of sockets) socket.destroy();
  return outcome;
}

async function measure(pid: number, port: number, signed: boolean) {
  const before = rssMb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  const started = Date.now();
  // Longer than the default request timeout (10 s), so a signed stall is cut by the server.
  const outcome = await stall(port, signed, 15_000);
  const tookMs = Date.now() - started;
  await sleep(1500);
  clearInterval(sampler);
  const after = rssMb(pid);
  const answered = Object.entries(outcome.answered)
    .map(([status, n]) => `${n}×${status}`)
    .join(' ');
  console.log(
    `${(signed ? 'signed (forged)' : 'unsigned').padEnd(16)} RSS before ${before.toFixed(0).padStart(4)} MB` +
      `   peak ${peak.toFixed(0).padStart(5)} MB   after ${after.toFixed(0).padStart(4)} MB` +
      `   answered: ${answered || 'none'}; closed by server or done in ${(tookMs / 1000).toFixed(1)} s`,
  );
}

async function main() {
  const web = await startWebChild();
  try {
    await sleep(1000);
    console.log(
      `\n${CLIENTS} stalled uploads to web (declared ${DECLARED_BYTES} bytes, ${PARTIAL_BYTES} sent, then silence)`,
    );
    await measure(web.child.pid!, web.port, false);
    await measure(web.child.pid!, web.port, true);
  } finally {
    web.child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
