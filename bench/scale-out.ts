/**
 * Scale-out check (not in CI): 2 `web` processes and 1, 2, then 3 `worker` processes against one
 * Redis, then against a Redis Cluster (three masters, three replicas), under the same burst of
 * load. Prints answers per second against the worker count, answer latency, and what came out
 * wrong: answers lost, doubled, or out of a user's order.
 *
 *   npm run bench:scale-out   (SCALE_USERS=60 SCALE_MESSAGES=5 SCALE_MODEL_MS=200 by default)
 *
 * Every process is real (webhooks/main.ts and workers/main.ts through tsx); the model and Graph are
 * loopback fakes, the model answering after SCALE_MODEL_MS as a real one takes its time. A user's
 * messages alternate between the two web processes, so order is kept across them. Each worker
 * runs TURN_CONCURRENCY=4 turns at once, so the worker count is what adds capacity.
 */
import net from 'node:net';
import { loadConfig, type Config } from '../config';
import { signBody } from '../src/platforms/signature';
import { ChildWorker, childEnv } from '../test/helpers/child-worker';
import { FakeGraph } from '../test/helpers/fake-graph';
import { FakeModel } from '../test/helpers/fake-model';
import { FakeHttpServer } from '../test/helpers/http-fake';
import { OwnCluster } from '../test/helpers/own-cluster';
import { OwnRedis } from '../test/helpers/own-redis';
import { whatsAppText } from '../test/helpers/payloads';
import { TEST_APP_SECRET, testEnv } from '../test/helpers/system';

const USERS = Number(process.env.SCALE_USERS ?? 60);
const MESSAGES = Number(process.env.SCALE_MESSAGES ?? 5);
const MODEL_MS = Number(process.env.SCALE_MODEL_MS ?? 200);
const WORKER_COUNTS = [1, 2, 3];
const TURN_CONCURRENCY = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (text: string) => process.stdout.write(`${text}\n`);

interface RunResult {
  backend: string;
  workers: number;
  answers: number;
  seconds: number;
  p50: number;
  p95: number;
  lost: number;
  doubled: number;
  outOfOrder: number;
}

const children = new Set<ChildWorker>();
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function spawnProcess(env: Record<string, string>, entry: string, readyLog: RegExp): Promise<ChildWorker> {
  const child = new ChildWorker(env, entry);
  children.add(child);
  await child.waitForLog(readyLog, 60_000);
  return child;
}

/** Posts one delivery to a web process until it answers 200, as Meta redelivers. */
async function deliver(port: number, payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) };
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const status = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, { method: 'POST', headers, body })
      .then((res) => res.status)
      .catch(() => 0);
    if (status === 200) return;
    await sleep(100 * (attempt + 1));
  }
  throw new Error('a delivery was never accepted');
}

const percentile = (values: number[], p: number) =>
  values.length === 0
    ? NaN
    : [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!;

/** One run: fresh prefix, 2 web + `workers` worker processes, the burst, then the count. */
async function run(backend: string, redisUrl: string, workers: number, graph: FakeGraph, modelUrl: string) {
  const config: Config = loadConfig(
    testEnv({
      REDIS_URL: redisUrl,
      GRAPH_API_URL: graph.url,
      INSTAGRAM_GRAPH_API_URL: graph.url,
      LLM_BASE_URL: modelUrl,
    }),
  );
  const env = childEnv(config, {
    LOG_LEVEL: 'info',
    TURN_CONCURRENCY: String(TURN_CONCURRENCY),
    LIMIT_FAST: 'off',
    LIMIT_BURST: 'off',
    LIMIT_GLOBAL_DAILY: 'off',
    LIMIT_USER_DAILY: 'off',
    THINKING_NOTE_AFTER_MS: '0',
  });
  const webPorts = [await freePort(), await freePort()];
  const started = await Promise.all([
    ...webPorts.map((port) =>
      spawnProcess({ ...env, PORT: String(port) }, 'webhooks/main.ts', /"msg":"web listening"/),
    ),
    ...Array.from({ length: workers }, () => spawnProcess(env, 'workers/main.ts', /"msg":"workers started"/)),
  ]);
  graph.requests.length = 0;
  const tag = `${backend[0]}${workers}`;
  const users = Array.from(
    { length: USERS },
    (_, u) => `1555${tag.charCodeAt(0)}${workers}${String(u).padStart(4, '0')}`,
  );
  const t = Math.floor(Date.now() / 1000);
  const sentAt = new Map<string, number>();
  const startedAt = Date.now();
  await Promise.all(
    users.map(async (user, u) => {
      for (let m = 1; m <= MESSAGES; m += 1) {
        const text = `${tag} u${u} m${m}`;
        sentAt.set(text, Date.now());
        await deliver(webPorts[m % 2]!, whatsAppText(user, text, { timestamp: t + m }));
      }
    }),
  );
  const total = USERS * MESSAGES;
  const answered = () => graph.sentTexts().filter((s) => s.request.answeredWith === 200);
  const deadline = Date.now() + 120_000;
  while (answered().length < total && Date.now() < deadline) await sleep(50);
  const seconds = (Math.max(...answered().map((s) => s.request.at)) - startedAt) / 1000;
  await sleep(1500); // anything doubled arrives shortly after
  const result = tally(backend, workers, users, answered(), sentAt, seconds);
  await Promise.all(started.map((child) => child.stop().then(() => children.delete(child))));
  return result;
}

function tally(
  backend: string,
  workers: number,
  users: string[],
  answers: Array<{ to: string; text: string; request: { at: number } }>,
  sentAt: Map<string, number>,
  seconds: number,
): RunResult {
  const seen = new Map<string, number>();
  const latencies: number[] = [];
  let outOfOrder = 0;
  for (const user of users) {
    const numbers = answers
      .filter((a) => a.to === user)
      .map((a) => {
        const asked = /^echo: (.*) \(history/.exec(a.text)?.[1] ?? a.text;
        seen.set(asked, (seen.get(asked) ?? 0) + 1);
        if (sentAt.has(asked)) latencies.push(a.request.at - sentAt.get(asked)!);
        return Number(/ m(\d+)$/.exec(asked)?.[1]);
      });
    if (numbers.some((n, i) => i > 0 && n < numbers[i - 1]!)) outOfOrder += 1;
  }
  return {
    backend,
    workers,
    answers: answers.length,
    seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    lost: [...sentAt.keys()].filter((text) => !seen.has(text)).length,
    doubled: [...seen.values()].filter((n) => n > 1).length,
    outOfOrder,
  };
}

async function main(): Promise<void> {
  const graph = await new FakeGraph().start();
  const model = await new FakeHttpServer((request) => ({
    status: 200,
    delayMs: MODEL_MS,
    body: FakeModel.completion('fake-fast', FakeModel.echo(request.body as Parameters<typeof FakeModel.echo>[0])),
  })).start();
  const single = await OwnRedis.start({ appendonly: true });
  const cluster = await OwnCluster.start();
  const results: RunResult[] = [];
  say(`${USERS} users x ${MESSAGES} messages per run, model ${MODEL_MS} ms, ${TURN_CONCURRENCY} turns per worker`);
  try {
    for (const [backend, url] of [
      ['single', single.url],
      ['cluster', cluster.url],
    ] as const) {
      for (const workers of WORKER_COUNTS) {
        const result = await run(backend, url, workers, graph, model.url);
        results.push(result);
        say(
          `${backend.padEnd(8)} 2 web + ${workers} worker: ${(result.answers / result.seconds).toFixed(1)} answers/s ` +
            `(${result.answers} in ${result.seconds.toFixed(1)} s), p50 ${result.p50} ms, p95 ${result.p95} ms, ` +
            `lost ${result.lost}, doubled ${result.doubled}, users out of order ${result.outOfOrder}`,
        );
      }
    }
  } finally {
    await Promise.all([graph.stop(), model.stop(), single.destroy(), cluster.destroy()]);
  }
  say('\n| Redis | workers | answers/s | p50 ms | p95 ms | lost | doubled | out of order |');
  say('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const rate = (r.answers / r.seconds).toFixed(1);
    say(`| ${r.backend} | ${r.workers} | ${rate} | ${r.p50} | ${r.p95} | ${r.lost} | ${r.doubled} | ${r.outOfOrder} |`);
  }
  const wrong = results.some((r) => r.lost > 0 || r.doubled > 0 || r.outOfOrder > 0);
  process.exitCode = wrong ? 1 : 0;
}

void main();
