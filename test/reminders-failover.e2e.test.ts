import { loadConfig } from '../config';
import { createLogger } from '../src/logging';
import { signBody } from '../src/platforms/signature';
import { queuePrefix } from '../src/redis/keys';
import { startWeb, type RunningWeb } from '../webhooks/web';
import { startWorkers, type RunningWorkers } from '../workers/worker';
import { FakeGraph } from './helpers/fake-graph';
import { OwnCluster, clusterUnavailableReason } from './helpers/own-cluster';
import { whatsAppText } from './helpers/payloads';
import { reminderModel } from './helpers/reminder-model';
import { replies, sleep } from './helpers/replies';
import { TEST_APP_SECRET, testEnv } from './helpers/system';

/**
 * A reminder waiting for its minute while the Redis Cluster master holding the queues dies
 * (SIGKILL, as a crashed host) and its replica takes over: the delayed job was replicated, so the
 * reminder still arrives, once, not before its minute. Three masters with a replica each, the
 * masters as seeds, QUEUE_PREFIX=tl (as cluster-failover.e2e.test.ts runs them).
 */
const unavailable = clusterUnavailableReason();
if (unavailable) console.warn(`reminders-failover.e2e skipped: ${unavailable}`);
const describeCluster = unavailable ? describe.skip : describe;

const NODE_TIMEOUT_MS = 5000;
const WA = '34600000901';

describeCluster('a reminder through a Redis Cluster failover', () => {
  let cluster: OwnCluster;
  let graph: FakeGraph;
  let web: RunningWeb;
  let workers: RunningWorkers;
  const model = reminderModel();

  beforeAll(async () => {
    cluster = await OwnCluster.start({ nodeTimeoutMs: NODE_TIMEOUT_MS });
    graph = await new FakeGraph().start();
    await model.start();
    const seeds = (await cluster.masters()).map((node) => node.port);
    const config = loadConfig(
      testEnv({
        REDIS_URL: OwnCluster.urlOf(seeds),
        QUEUE_PREFIX: 'tl',
        GRAPH_API_URL: graph.url,
        INSTAGRAM_GRAPH_API_URL: graph.url,
        LLM_BASE_URL: model.url,
        JOB_LOCK_MS: '3000',
        JOB_STALLED_INTERVAL_MS: '1000',
      }),
    );
    const logger = createLogger({ level: config.log.level, name: 'reminders-failover-test' });
    web = await startWeb(config, logger, 0);
    workers = await startWorkers(config, logger);
  }, 40_000);

  afterAll(async () => {
    await workers?.close();
    await web?.close();
    await Promise.all([graph?.stop(), model.stop()]);
    await cluster?.destroy();
  });

  async function deliverUntilAccepted(payload: unknown): Promise<void> {
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) };
    for (let attempt = 1; attempt < 150; attempt += 1) {
      const status = await fetch(`http://127.0.0.1:${web.port}/webhooks/whatsapp`, { method: 'POST', headers, body })
        .then((response) => response.status)
        .catch(() => 0);
      if (status === 200) return;
      await sleep(200);
    }
    throw new Error('webhook never accepted the delivery');
  }

  const due = () => replies(graph, WA).filter((r) => r.text.startsWith('⏰ Reminder: '));

  it('delivers once after the queues master is killed while the reminder waits', async () => {
    await deliverUntilAccepted(whatsAppText(WA, 'remind me in 15 seconds to check the oven'));
    await graph.waitFor(() => replies(graph, WA).length >= 1, 15_000);
    expect(replies(graph, WA)[0]!.text).toMatch(/^Reminder set for .*: check the oven/);
    const setAt = Date.now();
    // The delayed job reaches the replica asynchronously, within milliseconds.
    await sleep(1000);

    const victim = await cluster.masterOf(`${queuePrefix('tl')}:reminders:delayed`);
    const replica = await cluster.replicaOf(victim);
    const killedAt = Date.now();
    await cluster.kill(victim.port);
    await cluster.waitForPromotion(replica!, killedAt);

    await graph.waitFor(() => due().length >= 1, 40_000);
    await sleep(3000);
    expect(due().map((r) => r.text)).toEqual(['⏰ Reminder: check the oven']);
    expect(due()[0]!.request.at).toBeGreaterThanOrEqual(setAt + 13_000);
  }, 90_000);
});
