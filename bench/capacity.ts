/**
 * Capacity benchmark (not in CI): how many turns one worker process keeps in flight and answers
 * per second, what the bot adds to the model's own latency, and what each turn costs in Redis
 * commands, CPU and memory.
 *
 *   npm run bench:capacity
 *
 * Each scenario starts its own redis-server (AOF on, as production should be), the `web` and
 * `worker` processes as real child processes, compiled and run as the Procfile runs them,
 * and in this process a fake model answering after a fixed delay and a fake Graph API. It posts
 * signed WhatsApp text deliveries, one message each, from distinct users, at a fixed rate (or as
 * fast as the webhook takes them), and measures:
 * - turns/s: messages / (last answer - first post);
 * - added latency: webhook POST → the answer's Send API call, minus the model's delay, p50/p99;
 * - Redis commands per turn: INFO commandstats (commands inside Lua scripts included) around
 *   the run, divided by the messages; the top commands are listed;
 * - CPU ms per turn for each process (/proc utime + stime), and peak RSS (VmHWM);
 * - then the same users each write once more, and the Redis commands per turn of those second
 *   messages (a known person: no first-contact mark or limits hash to create).
 *
 * Settings: CAPACITY_SCENARIOS (e.g. `2000:3000:240,0:3000:0` = model ms : messages : posts per
 * second, 0 = unpaced), CAPACITY_WORKER_ENV (extra worker env, `K=V,K=V`), CAPACITY_CPU_PROF=dir
 * (worker runs with --cpu-prof into dir).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../config';
import { signBody } from '../src/platforms/signature';
import { childEnv } from '../test/helpers/child-worker';
import { FakeModel } from '../test/helpers/fake-model';
import { FakeHttpServer } from '../test/helpers/http-fake';
import { OwnRedis } from '../test/helpers/own-redis';
import { whatsAppText } from '../test/helpers/payloads';
import { TEST_APP_SECRET, testEnv } from '../test/helpers/system';
import { commandCalls, cpuMs, loadAverage, peakRssMb, percentile, rssMb } from './capacity-probes';

const ROOT = path.resolve(__dirname, '..');
/** Children still running: whatever ends this process, none of them outlives it. */
const children = new Set<ChildProcess>();
const redisServers = new Set<OwnRedis>();
process.on('exit', () => {
  children.forEach((child) => child.kill('SIGKILL'));
  // stop() signals at once; the exit does not wait for the rest.
  redisServers.forEach((server) => void server.stop('SIGKILL'));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void Promise.all([...redisServers].map((r) => r.destroy())).finally(() => process.exit(1));
  });
}
/** messages answered before measuring, from other users */
const WARM_UP = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (text: string) => process.stdout.write(`${text}\n`);

interface Scenario {
  modelMs: number;
  messages: number;
  /** posts per second; 0 = as fast as the webhook answers */
  rate: number;
}

function scenarios(): Scenario[] {
  const spec = process.env.CAPACITY_SCENARIOS ?? '2000:3000:240,0:3000:0';
  return spec.split(',').map((item) => {
    const [modelMs, messages, rate] = item.split(':').map(Number);
    return { modelMs: modelMs ?? 2000, messages: messages ?? 3000, rate: rate ?? 0 };
  });
}

function extraWorkerEnv(): Record<string, string> {
  const pairs = (process.env.CAPACITY_WORKER_ENV ?? '').split(',').filter(Boolean);
  // Split at the first `=` only: a value may hold one (NODE_OPTIONS=--max-semi-space-size=4).
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A `web` or `worker` child process; resolves once it logged that it is up. */
/** The processes run as production runs them (the Procfile's commands): compiled once here. */
function build(): void {
  say('building (npm run build) ...');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

/** The node arguments the Procfile gives the process whose entry is `entry` (`workers/main.ts`). */
function procfileArgs(entry: string): string[] {
  const compiled = path.join('dist', entry.replace(/\.ts$/, '.js'));
  const line = readFileSync(path.join(ROOT, 'Procfile'), 'utf8')
    .split('\n')
    .find((l) => l.includes(compiled));
  if (!line) throw new Error(`no Procfile line runs ${compiled}`);
  const [, ...args] = line
    .slice(line.indexOf(':') + 1)
    .trim()
    .split(/\s+/);
  return args;
}

async function startProcess(entry: string, env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const profile = process.env.CAPACITY_CPU_PROF;
  const nodeArgs = profile && entry.startsWith('workers') ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...procfileArgs(entry)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${seen}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (seen.length < 20_000) seen += chunk.toString('utf8');
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}):\n${seen}`)));
  });
  child.stdout.resume();
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function run(scenario: Scenario): Promise<void> {
  const { modelMs, messages, rate } = scenario;
  const redis = await OwnRedis.start({ appendonly: true });
  redisServers.add(redis);
  const posted = new Map<number, number>();
  const answered = new Map<number, number>();
  let warmAnswers = 0;
  /** users answered on their second message */
  const again = new Set<number>();
  let inFlight = 0;
  let peakInFlight = 0;
  const model = await new FakeHttpServer(async (request) => {
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    if (modelMs > 0) await sleep(modelMs);
    inFlight -= 1;
    const body = (request.body ?? {}) as Parameters<typeof FakeModel.echo>[0];
    return { status: 200, body: FakeModel.completion(body.model ?? 'fake', FakeModel.echo(body)) };
  }).start();
  const graph = await new FakeHttpServer((request) => {
    const text = (request.body as { text?: { body?: string } } | undefined)?.text?.body;
    if (text?.includes('warm-')) warmAnswers += 1;
    const second = text ? /again-(\d+)/.exec(text)?.[1] : undefined;
    if (second !== undefined) again.add(Number(second));
    const n = text ? /cap-(\d+)/.exec(text)?.[1] : undefined;
    if (n !== undefined && !answered.has(Number(n))) answered.set(Number(n), Date.now());
    return { status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: `wamid.out.${n}` }] } };
  }).start();
  model.requests.length = 0;

  const port = await freePort();
  // Production's defaults where the tests turn things off: the first-contact notice is on.
  const config = loadConfig(
    testEnv({
      REDIS_URL: redis.url,
      GRAPH_API_URL: graph.url,
      LLM_BASE_URL: model.url,
      LOG_LEVEL: 'warn',
      AI_DISCLOSURE: 'on',
    }),
  );
  const env = childEnv(config, { LOG_LEVEL: 'warn', PORT: String(port) });
  const web = await startProcess('webhooks/main.ts', { ...env, LOG_LEVEL: 'info' }, /listening|web started/);
  const worker = await startProcess(
    'workers/main.ts',
    { ...env, LOG_LEVEL: 'info', ...extraWorkerEnv() },
    /workers started/,
  );
  const client = new Redis(redis.url);
  const baseUrl = `http://127.0.0.1:${port}/webhooks/whatsapp`;
  const post = async (n: number, text = `cap-${n}`) => {
    const body = JSON.stringify(whatsAppText(`1777${String(n).padStart(7, '0')}`, text, { id: `wamid.${text}` }));
    posted.set(n, Date.now());
    // Like Meta: a refused or broken delivery (a keep-alive socket the server just closed) is sent again.
    for (;;) {
      const status = await fetch(baseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) },
        body,
      }).then(
        async (res) => {
          await res.arrayBuffer();
          return res.status;
        },
        () => 0,
      );
      if (status === 200) return;
      await sleep(100);
    }
  };
  // Warm-up, not measured: connections opened, modules loaded, code compiled and optimised.
  await Promise.all(Array.from({ length: WARM_UP }, (_, i) => post(messages + i, `warm-${i}`)));
  while (warmAnswers < WARM_UP) await sleep(50);
  posted.clear();
  await client.config('RESETSTAT');
  await client.slowlog('RESET');
  if (process.env.CAPACITY_MONITOR)
    spawn('redis-cli', ['-p', String(redis.port), 'monitor'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const cpuBefore = { web: cpuMs(web.pid!), worker: cpuMs(worker.pid!) };
  const idleRss = rssMb(worker.pid!);

  const benchCpuBefore = process.cpuUsage();
  const started = Date.now();
  await postAll(messages, rate, (n) => post(n));

  const deadline = Date.now() + 60_000;
  while (answered.size < messages && Date.now() < deadline) await sleep(50);
  if (answered.size < messages) say(`gave up waiting: ${messages - answered.size} answers missing`);
  const finished = Math.max(...answered.values());
  await sleep(300);
  const calls = await commandCalls(client);
  const slow = (await client.slowlog('GET', 1000)) as Array<[number, number, number, string[]]>;
  const slowest = slow.reduce((max, entry) => Math.max(max, entry[2]), 0);
  const cpu = { web: cpuMs(web.pid!) - cpuBefore.web, worker: cpuMs(worker.pid!) - cpuBefore.worker };
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const peak = { web: peakRssMb(web.pid!), worker: peakRssMb(worker.pid!) };

  const added = [...answered].map(([n, at]) => at - posted.get(n)! - modelMs).sort((a, b) => a - b);
  const total = [...calls.values()].reduce((sum, c) => sum + c, 0);
  const top = [...calls].sort((a, b) => b[1] - a[1]).filter(([, c]) => c / messages >= 0.5);
  say(`\n== model ${modelMs} ms, ${messages} messages from ${messages} users, ${rate || 'unpaced'} posts/s ==`);
  say(`load average before: ${loadBefore}, after: ${loadAverage()}`);
  say(`answered ${answered.size}/${messages}; turns/s ${((answered.size * 1000) / (finished - started)).toFixed(0)}`);
  say(`added latency (send - post - model): p50 ${percentile(added, 50)} ms, p99 ${percentile(added, 99)} ms`);
  say(`Redis commands per turn: ${(total / messages).toFixed(1)}`);
  say(`  SLOWLOG (over 10 ms): ${slow.length} entries, slowest ${(slowest / 1000).toFixed(1)} ms`);
  say(`  top: ${top.map(([name, c]) => `${name} ${(c / messages).toFixed(1)}`).join(', ')}`);
  say(
    `CPU ms per turn: worker ${(cpu.worker / messages).toFixed(2)}, web ${(cpu.web / messages).toFixed(2)}, ` +
      `this process (load, fake model and Graph) ${((benchCpu.user + benchCpu.system) / 1000 / messages).toFixed(2)}`,
  );
  say(`peak model calls in flight: ${peakInFlight}`);
  say(
    `peak RSS: worker ${peak.worker.toFixed(0)} MB (idle ${idleRss.toFixed(0)} MB, ` +
      `${peakInFlight ? (((peak.worker - idleRss) * 1024) / peakInFlight).toFixed(0) : '-'} KB per turn in flight), ` +
      `web ${peak.web.toFixed(0)} MB`,
  );

  // The same people write again: what a turn costs once they are known (no first-contact mark or
  // limits hash to create).
  await client.config('RESETSTAT');
  await postAll(messages, rate, (n) => post(n, `again-${n}`));
  const againDeadline = Date.now() + 60_000;
  while (again.size < messages && Date.now() < againDeadline) await sleep(50);
  await sleep(300);
  const againTotal = [...(await commandCalls(client)).values()].reduce((sum, c) => sum + c, 0);
  say(`Redis commands per turn, the same users' second messages: ${(againTotal / messages).toFixed(1)}`);

  client.disconnect();
  await Promise.all([stopProcess(worker), stopProcess(web)]);
  await Promise.all([graph.stop(), model.stop()]);
  await redis.destroy();
  redisServers.delete(redis);
}

let loadBefore = '';

/** Posts `messages` deliveries at `rate` a second (0: as fast as 64 senders can). */
async function postAll(messages: number, rate: number, post: (n: number) => Promise<void>): Promise<void> {
  const started = Date.now();
  const posting: Array<Promise<void>> = [];
  if (rate > 0) {
    for (let n = 0; n < messages; n += 1) {
      const due = started + (n * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      posting.push(post(n));
    }
  } else {
    let next = 0;
    const poster = async () => {
      while (next < messages) await post(next++);
    };
    posting.push(...Array.from({ length: 64 }, poster));
  }
  await Promise.all(posting);
}

async function main(): Promise<void> {
  build();
  for (const scenario of scenarios()) {
    loadBefore = loadAverage();
    await run(scenario);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`capacity bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
