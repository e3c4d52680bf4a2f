import { loadConfig } from '../config';
import { createLogger } from '../src/logging';
import { queuePrefix } from '../src/redis/keys';
import { startWeb, type RunningWeb } from '../webhooks/web';
import { startWorkers, type RunningWorkers } from '../workers/worker';
import { FakeGraph } from './helpers/fake-graph';
import { FakeModel } from './helpers/fake-model';
import { OwnCluster, clusterUnavailableReason } from './helpers/own-cluster';
import { pageText, whatsAppText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { afterLastReply, codeIn } from './helpers/say';
import { TEST_APP_SECRET, testEnv } from './helpers/system';
import { signBody } from '../src/platforms/signature';
import { defined } from './helpers/present';

/**
 * Threadline on a real Redis Cluster (three masters, three replicas): the conversation works end
 * to end (web and workers, history, commands), and when the master that holds the queues is
 * killed under load, its replica takes over and every message is answered exactly once, in each
 * user's order. "Meta" here redelivers a webhook until it gets a 200, as Meta does.
 */
const unavailable = clusterUnavailableReason();
if (unavailable) console.warn(`cluster.e2e skipped: ${unavailable}`);
const describeCluster = unavailable ? describe.skip : describe;

const USERS = 20;
const MESSAGES_PER_USER = 5;

describeCluster('Threadline on a Redis Cluster', () => {
  let cluster: OwnCluster;
  let graph: FakeGraph;
  let model: FakeModel;
  let web: RunningWeb;
  let workers: RunningWorkers;
  let baseUrl: string;
  let prefix: string;

  beforeAll(async () => {
    cluster = await OwnCluster.start({ nodeTimeoutMs: 1000 });
    graph = await new FakeGraph().start();
    model = await new FakeModel().start();
    const config = loadConfig(
      testEnv({
        REDIS_URL: cluster.url,
        GRAPH_API_URL: graph.url,
        INSTAGRAM_GRAPH_API_URL: graph.url,
        LLM_BASE_URL: model.url,
        JOB_LOCK_MS: '3000',
        JOB_STALLED_INTERVAL_MS: '1000',
      }),
    );
    prefix = config.redis.prefix;
    const logger = createLogger({ level: config.log.level, name: 'cluster-test' });
    web = await startWeb(config, logger, 0);
    workers = await startWorkers(config, logger);
    baseUrl = `http://127.0.0.1:${web.port}`;
  }, 40_000);

  afterAll(async () => {
    await workers?.close();
    await web?.close();
    await Promise.all([graph?.stop(), model?.stop()]);
    await cluster?.destroy();
  });

  /** Posts a signed delivery until the webhook answers 200 (a 503 during failover is redelivered). */
  async function deliverUntilAccepted(payload: unknown, app: 'whatsapp' | 'messenger' = 'whatsapp'): Promise<number> {
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) };
    for (let attempt = 1; ; attempt += 1) {
      const status = await fetch(`${baseUrl}/webhooks/${app}`, { method: 'POST', headers, body })
        .then((response) => response.status)
        .catch(() => 0);
      if (status === 200) return attempt;
      if (attempt >= 100) throw new Error(`webhook still answers ${status} after ${attempt} deliveries`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const delivered = (to?: string) => replies(graph, to).filter((reply) => reply.request.answeredWith === 200);

  it('answers a conversation with its history and commands, keys spread over the masters', async () => {
    const user = '15550009001';
    await deliverUntilAccepted(whatsAppText(user, 'hello cluster'));
    await graph.waitFor(() => delivered(user).length === 1, 15_000);
    await deliverUntilAccepted(whatsAppText(user, 'do you remember me?'));
    await graph.waitFor(() => delivered(user).length === 2, 15_000);
    await deliverUntilAccepted(whatsAppText(user, '/help'));
    await graph.waitFor(() => delivered(user).length === 3, 15_000);
    const texts = delivered(user).map((s) => s.text);
    expect(texts.slice(0, 2)).toEqual(['echo: hello cluster (history: 0)', 'echo: do you remember me? (history: 2)']);
    expect(texts[2]).toContain('/think');

    // The queues' keys sit in one slot, conversations in others: state is not all on one master.
    const queueMaster = await cluster.masterOf(`${queuePrefix(prefix)}:inbound:wait`);
    const conversationMaster = await cluster.masterOf(`{whatsapp:106540352242922:${user}}`);
    const masters = (await cluster.nodes()).filter((node) => node.role === 'master');
    expect(masters).toHaveLength(3);
    expect([queueMaster.port, conversationMaster.port].every((port) => cluster.ports.includes(port))).toBe(true);
  }, 30_000);

  /** Sends a text and resolves with the reply to it. */
  async function say(app: 'whatsapp' | 'messenger', from: string, text: string): Promise<string> {
    const before = delivered(from).length;
    const at = afterLastReply(graph, from);
    const payload =
      app === 'whatsapp'
        ? whatsAppText(from, text, { timestamp: Math.floor(at / 1000) })
        : pageText('page', from, text, { timestamp: at });
    await deliverUntilAccepted(payload, app);
    await graph.waitFor(() => delivered(from).length > before, 15_000);
    return defined(delivered(from)[before]).text;
  }

  it('keeps memory, joins two apps and erases everything, each transaction in one slot', async () => {
    const [wa, psid] = ['15550009002', '3000902'];
    await say('whatsapp', wa, '/memory on');
    await say('whatsapp', wa, 'yes');
    expect(await say('whatsapp', wa, '/remember I am vegetarian')).toMatch(/I'll remember/);
    const code = codeIn(await say('whatsapp', wa, '/link'));
    expect(await say('messenger', psid, `/link ${code}`)).toMatch(/Linked with WhatsApp/);
    expect(await say('messenger', psid, '/memory')).toMatch(/vegetarian/);
    expect(await say('messenger', psid, '/forget all')).toMatch(/Erase everything/);
    expect(await say('messenger', psid, 'yes')).toMatch(/^Done/);
    expect(await say('whatsapp', wa, '/memory')).toMatch(/Memory is off/);
  }, 60_000);

  it('loses and doubles no answer when the queues master is killed mid-load; its replica takes over', async () => {
    const before = delivered().length;
    const users = Array.from({ length: USERS }, (_, i) => `1555001${String(i).padStart(4, '0')}`);
    const queueKey = `${queuePrefix(prefix)}:inbound:wait`;
    const victim = await cluster.masterOf(queueKey);
    const replica = (await cluster.nodes()).find((node) => node.masterId === victim.id);
    expect(replica).toBeDefined();

    const t = Math.floor(Date.now() / 1000);
    let accepted = 0;
    let killed: Promise<void> | undefined;
    const sendAll = users.map(async (user, u) => {
      for (let m = 1; m <= MESSAGES_PER_USER; m += 1) {
        await deliverUntilAccepted(whatsAppText(user, `u${u} m${m}`, { timestamp: t + m }));
        accepted += 1;
        // A third of the way in, with turns and sends in flight, the queues' master dies.
        if (accepted === Math.floor((USERS * MESSAGES_PER_USER) / 3)) killed = cluster.kill(victim.port);
      }
    });
    await Promise.all(sendAll);
    await killed;
    const total = USERS * MESSAGES_PER_USER;
    await graph.waitFor(() => delivered().length - before >= total, 40_000);
    // Anything doubled would arrive shortly after the rest.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    for (const [u, user] of users.entries()) {
      const expected = Array.from({ length: MESSAGES_PER_USER }, (_, i) => `echo: u${u} m${i + 1} (history: ${2 * i})`);
      expect(delivered(user).map((s) => s.text)).toEqual(expected);
    }
    expect(delivered().length - before).toBe(total);

    await cluster.waitUntilHealthy();
    const promoted = (await cluster.nodes()).find((node) => node.id === replica!.id);
    expect(promoted?.role).toBe('master');
    expect((await cluster.masterOf(queueKey)).id).toBe(replica!.id);
  }, 60_000);
});
