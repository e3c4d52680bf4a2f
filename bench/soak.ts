/**
 * Soak test (not in CI): several hundred simulated users talk to the whole system at once for
 * about a minute while faults are injected — a worker process SIGKILLed and restarted, another
 * stopped with SIGTERM (a deploy), Redis restarted, 10% of Graph sends failing — then counts what
 * came out: messages in, answers out, duplicates, losses, answers out of order. Some users hand
 * off to a person (`/human`) and come back (bench/soak-handoffs.ts): what they write meanwhile must
 * reach the helpdesk, once each and in order, and get no answer.
 *
 *   npm run bench:soak            (SOAK_USERS=300 SOAK_SECONDS=60 by default)
 *
 * Everything runs on loopback: its own redis-server (AOF on, as production should be) on a free
 * port in 6400-6499, fake Graph and model servers, the web process in this process, and two
 * worker processes (workers/main.ts through tsx). Load is bounded by the user count and interval.
 */
import { loadConfig } from '../config';
import { createLogger } from '../src/logging';
import { signBody } from '../src/platforms/signature';
import { startWeb } from '../webhooks/web';
import { ChildWorker, childEnv } from '../test/helpers/child-worker';
import { FakeHttpServer, type ScriptedResponse } from '../test/helpers/http-fake';
import { FakeModel } from '../test/helpers/fake-model';
import { OwnRedis } from '../test/helpers/own-redis';
import { IG_ACCOUNT_ID, PAGE_ID, WA_PHONE_NUMBER_ID } from '../test/helpers/payloads';
import { TEST_APP_SECRET, testEnv } from '../test/helpers/system';
import { SoakHandoffs } from './soak-handoffs';

const USERS = Number(process.env.SOAK_USERS ?? 300);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const GRAPH_ERROR_RATE = Number(process.env.SOAK_GRAPH_ERROR_RATE ?? 0.1);
const DUPLICATE_RATE = 0.03;
const DRAIN_SECONDS = 150;
const handoffs = new SoakHandoffs(Number(process.env.SOAK_HANDOFF_SHARE ?? 0.1));

const t0 = Date.now();
const say = (text: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Platform = 'whatsapp' | 'messenger' | 'instagram';
const PLATFORMS: Platform[] = ['whatsapp', 'messenger', 'instagram'];

// --- what the fakes saw -----------------------------------------------------------------------
const injected = new Map<string, number>();
const GRAPH_FAULTS: Array<{ name: string; response: ScriptedResponse }> = [
  { name: 'http-500', response: { status: 500, body: { error: { message: 'An unknown error occurred', code: 1 } } } },
  { name: 'http-503', response: { status: 503, body: 'Service Unavailable' } },
  {
    name: '130429',
    response: {
      status: 400,
      headers: { 'Retry-After': '1' },
      body: { error: { message: '(#130429) Rate limit hit', code: 130429 } },
    },
  },
  {
    name: '131056',
    response: { status: 400, body: { error: { message: '(#131056) pair rate limit hit', code: 131056 } } },
  },
  {
    name: '131000',
    response: { status: 500, body: { error: { message: '(#131000) Something went wrong', code: 131000 } } },
  },
  { name: 'hang-up', response: { status: 0, hangUp: true } },
];
/** message id → how many times its answer was accepted by Graph, and in which order per user */
const deliveredCount = new Map<string, number>();
const deliveredOrder = new Map<string, number[]>();
/** message id → when (s into the run) each of its answers was accepted: places a duplicate among the faults */
const deliveredAt = new Map<string, number[]>();
let sendCalls = 0;

function answerOf(body: Record<string, unknown> | undefined): { to: string; text: string } | undefined {
  const wa = body as { to?: string; text?: { body?: string } } | undefined;
  if (typeof wa?.text?.body === 'string') return { to: String(wa.to), text: wa.text.body };
  const page = body as { recipient?: { id?: string }; message?: { text?: string } } | undefined;
  if (typeof page?.message?.text === 'string') return { to: String(page.recipient?.id), text: page.message.text };
  return undefined;
}

const graph = new FakeHttpServer((request) => {
  sendCalls += 1;
  const answer = answerOf(request.body as Record<string, unknown> | undefined);
  if (Math.random() < GRAPH_ERROR_RATE) {
    const fault = GRAPH_FAULTS[Math.floor(Math.random() * GRAPH_FAULTS.length)]!;
    injected.set(fault.name, (injected.get(fault.name) ?? 0) + 1);
    return fault.response;
  }
  // The last id: an answer after a handoff echoes the messages the person wrote meanwhile too.
  const match = answer ? ([...answer.text.matchAll(/soak-(\S+?)-(\d+)/g)].at(-1) ?? null) : null;
  const noticeTo = answer && !match ? handoffs.answerTo(answer.to, answer.text) : undefined;
  const seq = match ?? (noticeTo ? /soak-(\S+)-(\d+)/.exec(noticeTo) : null);
  if (seq) {
    const id = `soak-${seq[1]}-${seq[2]}`;
    deliveredCount.set(id, (deliveredCount.get(id) ?? 0) + 1);
    deliveredAt.set(id, [...(deliveredAt.get(id) ?? []), Number(((Date.now() - t0) / 1000).toFixed(1))]);
    const order = deliveredOrder.get(seq[1]!) ?? [];
    order.push(Number(seq[2]));
    deliveredOrder.set(seq[1]!, order);
  }
  return {
    status: 200,
    body: {
      messaging_product: 'whatsapp',
      messages: [{ id: `wamid.out.${sendCalls}` }],
      message_id: `m_out_${sendCalls}`,
    },
  };
});
// The model answers in 20-120 ms with the usual echo.
const model = new FakeHttpServer((request) => {
  const body = (request.body ?? {}) as { model?: string; messages?: Array<{ role: string; content: unknown }> };
  return {
    status: 200,
    delayMs: 20 + Math.floor(Math.random() * 100),
    body: FakeModel.completion(body.model ?? 'fake', FakeModel.echo(body)),
  };
});

// --- Meta's side: deliveries, redelivered until 200 -----------------------------------------------
let baseUrl = '';
const accepted = new Set<string>();
let posts = 0;
let refused = 0;
let duplicatesSent = 0;

function delivery(platform: Platform, user: string, id: string, text: string): string {
  const now = Date.now();
  if (platform === 'whatsapp') {
    return JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '1', phone_number_id: WA_PHONE_NUMBER_ID },
                messages: [
                  { from: user, id, timestamp: String(Math.floor(now / 1000)), type: 'text', text: { body: text } },
                ],
              },
            },
          ],
        },
      ],
    });
  }
  const recipient = platform === 'messenger' ? PAGE_ID : IG_ACCOUNT_ID;
  return JSON.stringify({
    object: platform === 'messenger' ? 'page' : 'instagram',
    entry: [
      {
        id: recipient,
        time: now,
        messaging: [{ sender: { id: user }, recipient: { id: recipient }, timestamp: now, message: { mid: id, text } }],
      },
    ],
  });
}

async function post(platform: Platform, body: string): Promise<number> {
  posts += 1;
  try {
    const res = await fetch(`${baseUrl}/webhooks/${platform}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Posts until Meta would be satisfied (200), backing off like Meta (much faster, for a soak). */
async function deliverUntilAccepted(platform: Platform, body: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const status = await post(platform, body);
    if (status === 200) return;
    refused += 1;
    if (status !== 503 && status !== 0) throw new Error(`webhook answered ${status}`);
    await sleep(Math.min(3000, 250 * 2 ** attempt));
  }
}

async function user(index: number, until: number): Promise<void> {
  const platform = PLATFORMS[index % 3]!;
  const userId =
    platform === 'whatsapp'
      ? `1555${String(index).padStart(7, '0')}`
      : `${platform === 'messenger' ? 2 : 3}${String(index).padStart(9, '0')}`;
  const send = async (n: number, text?: string): Promise<string> => {
    const id = `soak-${userId}-${n}`;
    const body = delivery(platform, userId, platform === 'whatsapp' ? `wamid.${id}` : `m_${id}`, text ?? id);
    await deliverUntilAccepted(platform, body);
    if (Math.random() < DUPLICATE_RATE) {
      duplicatesSent += 1;
      // Meta redelivers an accepted message, sometimes after its answer went out.
      void sleep(Math.random() * 5000).then(() => deliverUntilAccepted(platform, body));
    }
    return id;
  };
  const handoffAt = handoffs.pickMessage();
  await sleep(Math.random() * 3000);
  for (let n = 1; Date.now() < until; n += 1) {
    if (n === handoffAt && until - Date.now() > 20_000) {
      const writer = { userId, send, accept: (id: string) => accepted.add(id) };
      n = await handoffs.run(writer, n, baseUrl);
    }
    accepted.add(await send(n));
    await sleep(3000 + Math.random() * 4000);
  }
}

// --- the run ------------------------------------------------------------------------------------
async function main(): Promise<void> {
  const redis = await OwnRedis.start({ appendonly: true });
  await graph.start();
  await model.start();
  await handoffs.helpdesk.start();
  const config = loadConfig(
    testEnv({
      REDIS_URL: redis.url,
      GRAPH_API_URL: graph.url,
      INSTAGRAM_GRAPH_API_URL: graph.url,
      LLM_BASE_URL: model.url,
      LOG_LEVEL: 'silent',
      ...handoffs.env(),
    }),
  );
  say(
    `redis-server on ${redis.port} (AOF), prefix ${config.redis.prefix}, ${USERS} users for ${SECONDS} s, ${GRAPH_ERROR_RATE * 100}% Graph errors`,
  );
  const web = await startWeb(config, createLogger({ level: 'silent', name: 'web' }), 0);
  baseUrl = `http://127.0.0.1:${web.port}`;
  const workerEnv = childEnv(config, {
    LOG_LEVEL: 'info',
    JOB_LOCK_MS: '5000',
    JOB_STALLED_INTERVAL_MS: '2000',
    SHUTDOWN_GRACE_MS: '5000',
    // The soak measures delivery, not fair use: each user writes ~12 times a minute, above the
    // default burst limit, and refusals past the first are silent by design.
    LIMIT_FAST: 'off',
    LIMIT_BURST: 'off',
    LIMIT_GLOBAL_DAILY: 'off',
    ...handoffs.env(),
  });
  const workers: ChildWorker[] = [new ChildWorker(workerEnv), new ChildWorker(workerEnv)];
  // Whatever happens, no worker process outlives the soak.
  process.on('exit', () => workers.forEach((w) => w.kill('SIGKILL')));
  await Promise.all(workers.map((w) => w.ready()));
  say('web and 2 worker processes up');

  const until = Date.now() + SECONDS * 1000;
  const users = Promise.all(Array.from({ length: USERS }, (_, i) => user(i, until)));

  const faults = (async () => {
    const at = (fraction: number) => sleep(Math.max(0, t0 + 5000 + SECONDS * 1000 * fraction - Date.now()));
    await at(0.25);
    say(`SIGKILL worker pid ${workers[0]!.pid}`);
    workers[0]!.kill('SIGKILL');
    await workers[0]!.exited;
    await sleep(2000);
    workers[0] = new ChildWorker(workerEnv);
    await workers[0].ready();
    say(`replacement worker pid ${workers[0].pid} up`);

    await at(0.5);
    say('restarting Redis (SIGTERM, then start again on the same port and AOF)');
    await redis.stop();
    await sleep(2000);
    await redis.restart();
    say('Redis back');

    await at(0.75);
    say(`SIGTERM worker pid ${workers[1]!.pid} (deploy)`);
    workers[1]!.kill('SIGTERM');
    const exit = await workers[1]!.exited;
    say(`worker exited with code ${exit.code}`);
    workers[1] = new ChildWorker(workerEnv);
    await workers[1].ready();
    say(`replacement worker pid ${workers[1].pid} up`);
  })();

  await Promise.all([users, faults]);
  say(`users stopped: ${accepted.size} messages accepted; draining (up to ${DRAIN_SECONDS} s)`);
  const drainUntil = Date.now() + DRAIN_SECONDS * 1000;
  let lastReport = 0;
  while (Date.now() < drainUntil) {
    const missing = [...accepted].filter((id) => !deliveredCount.has(id)).length + handoffs.outstanding();
    if (missing === 0) break;
    if (Date.now() - lastReport > 10_000) {
      say(`${missing} answers still outstanding`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
  await sleep(3000); // late duplicates would show up here

  const lost = [...accepted].filter((id) => !deliveredCount.has(id));
  const duplicates = [...deliveredCount.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
  let outOfOrder = 0;
  for (const order of deliveredOrder.values()) {
    for (let i = 1; i < order.length; i += 1) if (order[i]! < order[i - 1]!) outOfOrder += 1;
  }
  const unexpected = [...deliveredCount.keys()].filter((id) => !accepted.has(id)).length;

  await Promise.all(
    workers.map(async (w) => {
      w.kill('SIGTERM');
      await w.exited;
    }),
  );
  await web.close();
  await Promise.all([graph.stop(), model.stop(), handoffs.helpdesk.stop()]);
  await redis.destroy();

  const summary = {
    users: USERS,
    seconds: SECONDS,
    messagesIn: accepted.size,
    answersOut: deliveredCount.size,
    duplicates,
    duplicatedAt: [...deliveredAt.values()].filter((times) => times.length > 1),
    lost: lost.length,
    outOfOrder,
    answersToUnknownMessages: unexpected,
    webhookPosts: posts,
    webhookRefused503: refused,
    metaRedeliveriesOfAcceptedMessages: duplicatesSent,
    graphSendCalls: sendCalls,
    graphFaultsInjected: Object.fromEntries(injected),
    ...handoffs.summary(),
  };
  say(JSON.stringify(summary, null, 2));
  if (lost.length > 0) say(`lost (first 10): ${lost.slice(0, 10).join(', ')}`);
  const forwardsClean = summary.forwardLost === 0 && summary.forwardDuplicates === 0 && summary.forwardOutOfOrder === 0;
  process.exit(lost.length === 0 && duplicates === 0 && outOfOrder === 0 && forwardsClean ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
