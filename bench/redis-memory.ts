/**
 * Redis memory per 1,000 active users (not in CI): BENCH_USERS people each send
 * BENCH_MESSAGES_PER_USER messages through the whole product (web, in-process workers, real
 * Redis, fake Graph and model), then every key under the run's QUEUE_PREFIX is weighed with
 * `MEMORY USAGE` and grouped by what it holds. Per-key weights are exact for this prefix even on
 * the shared Redis; `used_memory` is printed beside them but moves with everyone else's keys.
 *
 *   npm run bench:redis-memory       (BENCH_USERS=1000 BENCH_MESSAGES_PER_USER=5 BENCH_ANSWER_CHARS=800)
 *   BENCH_SEALED=0 npm run bench:redis-memory    (without DATA_ENCRYPTION_KEY)
 */
import { randomBytes } from 'node:crypto';
import { FakeModel } from '../test/helpers/fake-model';
import { whatsAppText } from '../test/helpers/payloads';
import { startSystem, type TestSystem } from '../test/helpers/system';

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES_PER_USER ?? 5);
const ANSWER_CHARS = Number(process.env.BENCH_ANSWER_CHARS ?? 800);
const SEALED = process.env.BENCH_SEALED !== '0';
const IN_FLIGHT = 50;

const words = 'the a shipping size colour order return box price delivery week blue cotton warm light'.split(' ');
const prose = (chars: number, seed: number) => {
  let text = '';
  for (let i = seed; text.length < chars; i++) text += `${words[(i * 7) % words.length]} `;
  return text.slice(0, chars).trim();
};

async function sendRound(system: TestSystem, round: number): Promise<void> {
  const users = Array.from({ length: USERS }, (_, i) => String(16_505_000_000 + i));
  for (let start = 0; start < users.length; start += IN_FLIGHT) {
    await Promise.all(
      users.slice(start, start + IN_FLIGHT).map(async (user, i) => {
        const text = `${prose(90, start + i + round)} (${round})`;
        const res = await system.deliver('whatsapp', whatsAppText(user, text, { id: `wamid.${user}.${round}` }));
        if (res.status !== 200) throw new Error(`delivery answered ${res.status}`);
      }),
    );
  }
  const expected = USERS * (round + 1);
  await system.graph.waitFor(() => system.graph.sentTexts().length >= expected, 600_000);
}

async function weigh(system: TestSystem): Promise<Map<string, { keys: number; bytes: number }>> {
  const prefix = system.config.redis.prefix;
  const groups = new Map<string, { keys: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await system.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = system.redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const sizes = (await pipeline.exec()) ?? [];
    keys.forEach((key, index) => {
      const parts = key.slice(prefix.length + 1).split(':');
      const group = parts[0] === 'state' ? `state:${parts[1]}` : `queue:${parts[0]}`;
      const entry = groups.get(group) ?? { keys: 0, bytes: 0 };
      entry.keys += 1;
      entry.bytes += Number(sizes[index]?.[1] ?? 0);
      groups.set(group, entry);
    });
  } while (cursor !== '0');
  return groups;
}

async function main(): Promise<void> {
  const model = new FakeModel((body) => prose(ANSWER_CHARS, (body.messages ?? []).length));
  const env: Record<string, string> = {
    LIMIT_FAST: 'off',
    LIMIT_BURST: 'off',
    LIMIT_USER_DAILY: 'off',
    LIMIT_GLOBAL_DAILY: 'off',
    TURN_CONCURRENCY: '32',
    SEND_CONCURRENCY: '32',
  };
  if (SEALED) env.DATA_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  const system = await startSystem({ model, env });
  const before = Number(/used_memory:(\d+)/.exec(await system.redis.info('memory'))?.[1]);
  const t0 = Date.now();
  try {
    for (let round = 0; round < MESSAGES; round++) await sendRound(system, round);
    const seconds = (Date.now() - t0) / 1000;
    const after = Number(/used_memory:(\d+)/.exec(await system.redis.info('memory'))?.[1]);
    const groups = [...(await weigh(system)).entries()].sort((a, b) => b[1].bytes - a[1].bytes);
    const total = groups.reduce((sum, [, g]) => sum + g.bytes, 0);
    const queues = groups.filter(([name]) => name.startsWith('queue:')).reduce((sum, [, g]) => sum + g.bytes, 0);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
    const per1000 = (bytes: number) => mb((bytes * 1000) / USERS);
    console.log(
      `users ${USERS}, messages each ${MESSAGES}, answer ${ANSWER_CHARS} chars, sealed ${SEALED}; ` +
        `${USERS * MESSAGES} turns in ${seconds.toFixed(1)} s (noisy: shared 2-core machine)`,
    );
    console.log('group                     keys        MB   MB per 1,000 users');
    for (const [name, g] of groups) {
      console.log(
        `${name.padEnd(24)}${String(g.keys).padStart(6)}${mb(g.bytes).padStart(10)}${per1000(g.bytes).padStart(21)}`,
      );
    }
    console.log(`${'total (MEMORY USAGE)'.padEnd(30)}${mb(total).padStart(10)}${per1000(total).padStart(21)}`);
    console.log(`${'  of which queues'.padEnd(30)}${mb(queues).padStart(10)}${per1000(queues).padStart(21)}`);
    console.log(
      `${'  per-person state'.padEnd(30)}${mb(total - queues).padStart(10)}${per1000(total - queues).padStart(21)}`,
    );
    console.log(`used_memory delta (whole server, others included): ${mb(after - before)} MB`);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
