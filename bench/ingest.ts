/**
 * Webhook ingest benchmark: the `web` process alone (signed single-message WhatsApp deliveries,
 * each a new message enqueued into real Redis) next to a bare node:http server answering 200, on
 * the same machine in the same run. Prints requests/s, p50, p99 and the ratio.
 *
 *   npm run bench:ingest                 (REDIS_URL defaults to redis://127.0.0.1:6379)
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 npm run bench:ingest
 */
import { spawn, type ChildProcess } from 'node:child_process';
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

function startChild(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
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

async function load(url: string) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
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
  };
}

async function main() {
  const redis = new Redis(REDIS_URL);
  const bare = await startChild('bench/bare-server.ts', ['0'], {});
  const web = await startChild('webhooks/main.ts', [], {
    PORT: '0',
    REDIS_URL,
    QUEUE_PREFIX: PREFIX,
    META_APP_SECRET: SECRET,
    META_VERIFY_TOKEN: 'bench',
    WHATSAPP_ACCESS_TOKEN: 'bench',
    LOG_LEVEL: 'info',
  });
  try {
    // A short warm-up of each, then the measured runs.
    await autocannon({ url: `http://127.0.0.1:${bare.port}/`, connections: 10, duration: 2 });
    const bareResult = await load(`http://127.0.0.1:${bare.port}/`);
    const webResult = await load(`http://127.0.0.1:${web.port}/webhooks/whatsapp`);
    const enqueued = await redis.llen(`${queuePrefix(PREFIX)}:inbound:wait`);
    const row = (name: string, r: Awaited<ReturnType<typeof load>>) =>
      `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   (${r.total} requests, ${r.failed} failed)`;
    console.log(`\nwebhook ingest, ${CONNECTIONS} connections, ${SECONDS} s each, load generator on the same machine`);
    console.log(row('bare node:http (reads body, 200)', bareResult));
    console.log(row('threadline web (verify+enqueue)', webResult));
    console.log(`ratio web/bare: ${((webResult.rps / bareResult.rps) * 100).toFixed(1)} %`);
    console.log(`messages waiting in the inbound queue afterwards: ${enqueued}`);
  } finally {
    bare.child.kill('SIGKILL');
    web.child.kill('SIGTERM');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
