import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { whatsAppDelivery } from './helpers/payloads';
import { replies, sleep } from './helpers/replies';
import { REDIS_URL, TEST_APP_SECRET, TEST_VERIFY_TOKEN, startSystem, type TestSystem } from './helpers/system';

/**
 * The limits live in Redis, so they hold when the turns are spread over separate worker
 * processes: two real `workers/main.ts` processes, one web process (in the test), one budget.
 */
const ROOT = path.resolve(__dirname, '..');

function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'workers/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker process did not start:\n${output}`)), 25_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('workers started')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`worker process exited (${code}):\n${output}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('fair-use limits across worker processes', () => {
  let system: TestSystem;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map(stopProcess));
    await system?.stop();
  });

  it('spends the global daily budget exactly once across two worker processes', async () => {
    system = await startSystem({ workers: false, env: { LIMIT_GLOBAL_DAILY: '4' } });
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      REDIS_URL,
      QUEUE_PREFIX: system.config.redis.prefix,
      META_APP_SECRET: TEST_APP_SECRET,
      META_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      WHATSAPP_ACCESS_TOKEN: 'wa-token',
      GRAPH_API_URL: system.graph.url,
      LLM_BASE_URL: system.model.url,
      LLM_MODEL_FAST: 'fake-fast',
      LIMIT_GLOBAL_DAILY: '4',
      TURN_RETRY_DELAY_MS: '100',
      AI_DISCLOSURE: 'off',
      METRICS_PORT: '0',
    };
    children.push(...(await Promise.all([startWorkerProcess(env), startWorkerProcess(env)])));

    const users = Array.from({ length: 10 }, (_, i) => `1650555060${i}`);
    await system.deliver(
      'whatsapp',
      whatsAppDelivery(
        users.map((from, i) => ({
          from,
          id: `wamid.PROC${i}`,
          timestamp: '1749416383',
          type: 'text',
          text: { body: `hi ${i}` },
        })),
      ),
    );
    await system.graph.waitFor(() => replies(system.graph).length >= 10, 20_000);
    await sleep(300);
    const all = replies(system.graph);
    expect(all).toHaveLength(10);
    expect(all.filter((r) => r.text.startsWith('echo:'))).toHaveLength(4);
    expect(all.filter((r) => r.text.includes("used up today's budget"))).toHaveLength(6);
    expect(system.model.chatRequests()).toHaveLength(4);
  }, 60_000);
});
