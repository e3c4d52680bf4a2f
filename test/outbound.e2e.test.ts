import { AnswerLedger } from '../src/conversation/answer-ledger';
import { MessagingWindow } from '../src/conversation/messaging-window';
import { PendingQuestions } from '../src/conversation/pending-question';
import { RecipientOutbox } from '../src/conversation/recipient-outbox';
import { SentAnswers } from '../src/conversation/sent-answers';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import { createLogger } from '../src/logging';
import { createMetrics } from '../src/metrics/metrics';
import { createOutbound, type Outbound } from '../src/outbound';
import { createPlatformRegistry } from '../src/platforms/registry';
import { createAccountErasure } from '../src/privacy/account-erasure';
import { createJobIds } from '../src/queues/jobs';
import { createOutboundQueue } from '../src/queues/queues';
import { createRedis, type RedisClient } from '../src/redis/connection';
import { stateKeys } from '../src/redis/keys';
import { FakeGraph } from './helpers/fake-graph';
import type { RecordedRequest } from './helpers/http-fake';
import { WA_PHONE_NUMBER_ID, whatsAppText } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * The outbound layer used from outside a turn, the way an agent's reply or a reminder will use
 * it: built from the deployment's config over its own connection, its sends run by the worker's
 * send job. What counts is what Graph records.
 */
describe('the outbound layer, from outside a turn', () => {
  let system: TestSystem;
  let redis: RedisClient;
  let outbound: Outbound;
  /** send jobs waiting for their time (an answer handed to the queue after Graph asked for a wait) */
  let delayedSends: () => Promise<number>;
  let close: () => Promise<void>;
  afterEach(async () => {
    await close?.();
    await system?.stop();
  });

  async function start(): Promise<void> {
    system = await startSystem();
    const { config } = system;
    redis = createRedis(config.redis, 'worker');
    const queue = createOutboundQueue(redis, config.redis.prefix, config.jobs.sendAttempts);
    const keys = stateKeys(config.redis.prefix);
    const jobIds = createJobIds(createPseudonyms(config.privacy.logPseudonymKey));
    const ttl = config.dedupeTtlSeconds;
    outbound = createOutbound({
      adapters: createPlatformRegistry(config),
      outbound: queue,
      jobIds,
      outbox: new RecipientOutbox(redis, keys.outbox, keys.sendLock, ttl, config.jobs.lockMs),
      window: new MessagingWindow(redis, keys.windowClosed, ttl),
      ledger: new AnswerLedger(redis, keys, ttl),
      sentAnswers: new SentAnswers(redis, keys.sentIds, config.history.ttlSeconds),
      pendingQuestions: new PendingQuestions(redis, keys.pendingQuestion),
      metrics: createMetrics('web', [queue]),
      logger: createLogger({ level: 'silent', name: 'test' }),
      erasure: createAccountErasure(redis, config.redis.prefix, jobIds),
    });
    delayedSends = () => queue.getDelayedCount();
    close = async () => {
      await queue.close();
      redis.disconnect();
    };
  }

  const to = (user: string) => (r: RecordedRequest) => (r.body as { to?: string } | undefined)?.to === user;
  const attemptsTo = (user: string) => system.graph.sentTexts().filter((s) => s.to === user);
  const deliveredTo = (user: string) => attemptsTo(user).filter((s) => s.request.answeredWith === 200);
  const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));
  const whatsApp = (userId: string) => ({ platform: 'whatsapp' as const, channelId: WA_PHONE_NUMBER_ID, userId });

  it('puts a notice behind an answer Graph holds back, and sends it once however often it is told', async () => {
    await start();
    const user = '15550003001';
    system.graph.script(FakeGraph.graphError(131056, 400), 1, to(user));
    await system.deliver('whatsapp', whatsAppText(user, 'first'));
    await system.graph.waitFor(() => attemptsTo(user).length === 1);
    // The turn hands its answer to the send queue, to wait ~6 s for the pair limit; the notice
    // told after that must not overtake it.
    while ((await delayedSends()) === 0) await settle(25);
    await outbound.tell(whatsApp(user), 'An agent will answer you here.', 'agent-note-1');
    await outbound.tell(whatsApp(user), 'An agent will answer you here.', 'agent-note-1');
    await system.graph.waitFor(() => deliveredTo(user).length === 2, 20_000);
    await settle();
    expect(deliveredTo(user).map((s) => s.text)).toEqual([
      'echo: first (history: 0)',
      'An agent will answer you here.',
    ]);
  }, 40_000);

  it('sends a text now once; a closed window is tried once and remembered for older replies', async () => {
    await start();
    const [open, closed] = ['15550003002', '15550003003'];
    const now = Date.now();
    const recorded: string[] = [];
    const markAnswered = (user: string) => () => Promise.resolve(void recorded.push(user));
    const sentNow = await outbound.sendNow(
      whatsApp(open),
      { text: 'A reminder.', answeringAt: now },
      markAnswered(open),
    );
    expect(sentNow.kind).toBe('sent');
    expect(deliveredTo(open).map((s) => s.text)).toEqual(['A reminder.']);

    system.graph.script(FakeGraph.graphError(131047, 400), 1, to(closed));
    const refused = await outbound.sendNow(whatsApp(closed), { text: 'Late.', answeringAt: now }, markAnswered(closed));
    expect(refused.kind).toBe('refused');
    expect(recorded).toEqual([open, closed]);
    // An answer to an older message is not tried; one to a newer message is.
    const reply = (answering: string, text: string, answeringAt: number) => ({ answering, parts: [text], answeringAt });
    await outbound.enqueue(whatsApp(closed), reply('older', 'Older.', now - 60_000));
    await outbound.enqueue(whatsApp(closed), reply('newer', 'Newer.', now + 1000));
    await system.graph.waitFor(() => deliveredTo(closed).length === 1);
    await settle();
    expect(attemptsTo(closed).map((s) => s.text)).toEqual(['Late.', 'Newer.']);
  });

  it('leaves a text that failed for a reason worth retrying to the send queue, unrecorded', async () => {
    await start();
    const user = '15550003004';
    system.graph.script({ status: 503, body: 'Service Unavailable' }, 1, to(user));
    let recorded = false;
    const result = await outbound.sendNow(whatsApp(user), { text: 'Soon.', answeringAt: Date.now() }, () => {
      recorded = true;
      return Promise.resolve();
    });
    expect(result.kind).toBe('retry');
    expect(result.kind === 'retry' && result.retryInMs).toBeGreaterThanOrEqual(500);
    expect(recorded).toBe(false);
    expect(deliveredTo(user)).toHaveLength(0);
  });
});
