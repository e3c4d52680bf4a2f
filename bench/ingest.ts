/**
 * Webhook ingest benchmark: the `web` process alone (signed single-message WhatsApp deliveries,
 * each a new message enqueued into real Redis) next to a bare node:http server answering 200, on
 * the same machine in the same run. Prints requests/s, p50, p99 and the ratio.
 *
 *   npm run bench:ingest                 (REDIS_URL defaults to redis://127.0.0.1:6379)
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 npm run bench:ingest
 *   BENCH_COMPARE=../threadline-old npm run bench:ingest   (adds a row for another checkout's web)
 *
 * Besides requests/s it prints the CPU time each server spent per request (user + system, read
 * from /proc): on a machine shared with other work, throughput moves with the neighbours, while
 * CPU per request stays put, so it is the figure to compare across runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { signBody } from '../src/platforms/signature';
import { queuePrefix } from '../src/redis/keys';
import { whatsAppText } from '../test/helpers/payloads';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-secret';
const PREFIX = `bench-${randomUUID().slice(0, 8)}`;
const root = path.resolve(__dirname, '..');

const COMPARE = process.env.BENCH_COMPARE ? path.resolve(process.env.BENCH_COMPARE) : undefined;

function startChild(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd = root,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)|"port":(\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1] ?? match[2]) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
  });
}

let sequence = 0;
/** A signed-to-be single-text WhatsApp delivery of about 500 bytes, each with a new message id. */
function delivery(): string {
  sequence += 1;
  const from = `1650555${sequence % 5000}`;
  const id = `wamid.BENCH${sequence}.${randomUUID()}`;
  return JSON.stringify(
    whatsAppText(from, 'Does it come in another color? I would like to know before ordering.', { id }),
  );
}

/** CPU milliseconds (user + system) a process has used so far; undefined where /proc is not there. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

async function load(url: string, pid?: number, seconds = SECONDS) {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const body = delivery();
          return {
            ...request,
            body,
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, SECRET) },
          };
        },
      },
    ],
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failed: non2xx,
    cpuUsPerRequest: cpuBefore === undefined ? undefined : ((cpuMs(pid)! - cpuBefore) * 1000) / result.requests.total,
  };
}

type Result = Awaited<ReturnType<typeof load>>;

const webEnv = (prefix: string) => ({
  PORT: '0',
  REDIS_URL,
  QUEUE_PREFIX: prefix,
  META_APP_SECRET: SECRET,
  META_VERIFY_TOKEN: 'bench',
  WHATSAPP_ACCESS_TOKEN: 'bench',
  LOG_LEVEL: 'info',
});

function row(name: string, r: Result, bare: Result): string {
  const cpu = r.cpuUsPerRequest === undefined ? 'n/a' : `${r.cpuUsPerRequest.toFixed(0)} µs CPU/req`;
  const ratio = ((r.rps / bare.rps) * 100).toFixed(1);
  return `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} req/s ${`(${ratio} %)`.padStart(9)}   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   ${cpu.padStart(16)}   (${r.total} requests, ${r.failed} failed)`;
}

async function main() {
  const redis = new Redis(REDIS_URL);
  const servers = [
    { name: 'bare node:http (reads body, 200)', ...(await startChild('bench/bare-server.ts', ['0'], {})), path: '/' },
    {
      name: 'threadline web (verify+enqueue)',
      ...(await startChild('webhooks/main.ts', [], webEnv(PREFIX))),
      path: '/webhooks/whatsapp',
    },
  ];
  if (COMPARE) {
    const started = await startChild('webhooks/main.ts', [], webEnv(`${PREFIX}c`), COMPARE);
    servers.push({ name: `web of ${path.basename(COMPARE)}`, ...started, path: '/webhooks/whatsapp' });
  }
  try {
    // A short warm-up of each, then the measured runs, one server at a time.
    for (const server of servers) await load(`http://127.0.0.1:${server.port}${server.path}`, undefined, 2);
    const results: Result[] = [];
    for (const server of servers)
      results.push(await load(`http://127.0.0.1:${server.port}${server.path}`, server.child.pid));
    console.log(`\nwebhook ingest, ${CONNECTIONS} connections, ${SECONDS} s each, load generator on the same machine`);
    servers.forEach((server, index) => console.log(row(server.name, results[index]!, results[0]!)));
    const enqueued = await redis.llen(`${queuePrefix(PREFIX)}:inbound:wait`);
    console.log(`messages waiting in the inbound queue afterwards: ${enqueued}`);
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    for (const prefix of [PREFIX, `${PREFIX}c`]) await unlinkAll(redis, prefix);
    redis.disconnect();
  }
}

async function unlinkAll(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
