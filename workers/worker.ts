import type { Queue, Worker } from 'bullmq';
import type { RedisClient } from '../src/redis/connection';
import type { FairUseLimiter } from '../src/limits/fair-use-limiter';
import type { Config } from '../config';
import { AnswerLedger } from '../src/conversation/answer-ledger';
import { SentAnswers } from '../src/conversation/sent-answers';
import { MessagingWindow } from '../src/conversation/messaging-window';
import { PendingQuestions } from '../src/conversation/pending-question';
import { RecipientOutbox } from '../src/conversation/recipient-outbox';
import { createLogger, type Logger } from '../src/logging';
import { createPlatformRegistry } from '../src/platforms/registry';
import { createJobIds } from '../src/queues/jobs';
import { createInboundQueue, createOutboundQueue, createRemindersQueue } from '../src/queues/queues';
import { createRedis, logConnectionErrors } from '../src/redis/connection';
import { stateKeys } from '../src/redis/keys';
import { checkRedisForProduction } from '../src/redis/production-check';
import { watchRedisReachability } from '../src/redis/reachability';
import { checkRedis } from '../src/redis/redis-health';
import { createTurnProcessor } from '../src/turn/run-turn';
import { createOutbound } from '../src/outbound';
import { createReminderDelivery } from '../src/quick-answers/deliver-reminder';
import { createTurnDependencies } from './turn-wiring';
import { createSealer } from '../src/crypto/sealing';
import { setUpFfmpeg } from '../src/media/ffmpeg-setup';
import { createLiveCatalog } from '../src/catalog/live-catalog-setup';
import { startKnowledge } from '../src/knowledge/knowledge-setup';
import { openBullWorkers } from './bull-workers';
import { createMetrics } from '../src/metrics/metrics';
import { startMetricsIfPossible, type MetricsServer } from './metrics-server';
import { createAccountErasure } from '../src/privacy/account-erasure';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import type { KnowledgeSearch } from '../src/knowledge/passage';
import type { HandoffDesk } from '../src/handoff/handoff-desk';

export interface RunningWorkers {
  /** the port /metrics and /healthz are served on; undefined when METRICS_PORT is 0 or it could not listen */
  metricsPort: number | undefined;
  /** the interface they listen on (METRICS_HOST) */
  metricsHost: string | undefined;
  /** Stops taking jobs, lets running ones finish, closes connections. */
  close(): Promise<void>;
}

/** What the worker is handed rather than building from the config. */
export interface WorkerParts {
  /** the knowledge base turns search (`search_knowledge`); absent: answers have no knowledge */
  knowledge?: KnowledgeSearch;
}

/**
 * The `worker` process: the turn processor and the sender, each a BullMQ Worker. Model calls can
 * be slow, so the job lock is long and renewed by BullMQ while the job runs; a worker that dies
 * loses its lock and the job is picked up again (stalled) by another.
 */
export async function startWorkers(
  config: Config,
  logger: Logger = createLogger({
    level: config.log.level,
    name: 'worker',
    pseudonymKey: config.privacy.logPseudonymKey,
  }),
  given: WorkerParts = {},
): Promise<RunningWorkers> {
  const shared = openSharedState(config);
  const { adapters, stateRedis, queueConnection, metrics } = shared;
  // Before the first command: a Redis that does not answer is named within seconds, not hung on.
  const meanwhile = 'no message is answered until it does';
  watchRedisReachability([stateRedis, queueConnection], config.redis, logger, { meanwhile });
  await checkRedisForProduction(stateRedis, logger);
  const metricsServer = await startMetricsIfPossible(config.metrics, metrics.registry, logger, () =>
    checkRedis(stateRedis),
  );
  if (adapters.size === 0)
    logger.warn('no channel is on: set WHATSAPP_ACCESS_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN or INSTAGRAM_ACCESS_TOKEN');

  const ffmpeg = await setUpFfmpeg(
    {
      configured: config.media.ffmpegPath,
      concurrency: config.media.concurrency,
      maxMemoryMb: config.media.ffmpegMaxMemoryMb,
    },
    logger.child({ part: 'media' }),
  );
  const loaded = await loadCatalogAndKnowledge(config, stateRedis, logger);
  // The queue connection stays the worker's own: the turn reaches Redis through the state connection.
  const { queueConnection: _ownConnection, ...wiring } = shared;
  // A knowledge base handed in (tests) stands in for the one KNOWLEDGE_SOURCES starts.
  const knowledge = given.knowledge ?? loaded.knowledge;
  const deps = createTurnDependencies(config, { ...wiring, ffmpeg, ...loaded, knowledge }, logger);
  const processTurn = createTurnProcessor(deps);
  const sendReply = senderFor(config, shared, logger, deps.handoff);
  const remind = createReminderDelivery(deps);
  const bull = openBullWorkers(config, { processTurn, sendReply, remind }, logger);
  const queues = listenForErrors(shared, logger);
  await Promise.all(bull.workers.map((worker) => worker.waitUntilReady()));
  logger.info(
    { channels: [...adapters.keys()], prefix: config.redis.prefix, metricsPort: metricsServer?.port },
    'workers started',
  );
  const connections = [stateRedis, queueConnection, ...bull.connections];
  const { limiter, handoff } = deps;
  const parts: RunningParts = {
    workers: bull.workers,
    queues,
    connections,
    ...loaded,
    metricsServer,
    limiter,
    handoff,
  };
  return {
    metricsPort: metricsServer?.port,
    metricsHost: metricsServer?.host,
    close: () => closeWorkers(config, logger, parts),
  };
}

/** BullMQ re-emits its own connections' errors on the workers and queues; ours need a listener too. */
function listenForErrors(shared: ReturnType<typeof openSharedState>, logger: Logger): Queue[] {
  logConnectionErrors(shared.stateRedis, logger, 'state');
  logConnectionErrors(shared.queueConnection, logger, 'queues');
  const queues = [shared.inbound, shared.outbound, shared.remindersQueue];
  for (const queue of queues) queue.on('error', (err) => logger.warn({ err: err.message }, 'queue error'));
  return queues;
}

/** Catalog and knowledge load before turns start, each within a bounded wait (another process may
 *  hold the first refresh for minutes); a source that fails leaves none in use: shopping says the
 *  catalog is not ready, knowledge search finds nothing. KNOWLEDGE_SOURCES unset: no knowledge. */
async function loadCatalogAndKnowledge(config: Config, stateRedis: RedisClient, logger: Logger) {
  const catalog = createLiveCatalog(config, stateRedis, logger.child({ part: 'catalog' }));
  const [, knowledge] = await Promise.all([
    waitAtMost(catalog?.start(), CATALOG_BOOT_WAIT_MS),
    startKnowledge(config, stateRedis, logger.child({ part: 'knowledge' })),
  ]);
  return { catalog, knowledge };
}

/** The connections, queues and per-conversation stores the turn and the sender share. */
function openSharedState(config: Config) {
  const keys = stateKeys(config.redis.prefix);
  const stateRedis = createRedis(config.redis, 'worker');
  const queueConnection = createRedis(config.redis, 'worker');
  const inbound = createInboundQueue(queueConnection, config.redis.prefix, config.turnRetry);
  const outbound = createOutboundQueue(queueConnection, config.redis.prefix, config.jobs.sendAttempts);
  const remindersQueue = createRemindersQueue(queueConnection, config.redis.prefix);
  const sealer = createSealer({ current: config.privacy.encryptionKey, old: config.privacy.oldEncryptionKeys });
  const { dedupeTtlSeconds } = config;
  return {
    adapters: createPlatformRegistry(config),
    keys,
    stateRedis,
    queueConnection,
    inbound,
    outbound,
    remindersQueue,
    jobIds: createJobIds(createPseudonyms(config.privacy.logPseudonymKey)),
    metrics: createMetrics('worker', [inbound, outbound, remindersQueue], () => checkRedis(stateRedis)),
    sealer,
    ledger: new AnswerLedger(stateRedis, keys, dedupeTtlSeconds, sealer),
    // The ids point into the history: they live as long as it does.
    sentAnswers: new SentAnswers(stateRedis, keys.sentIds, config.history.ttlSeconds),
    outbox: new RecipientOutbox(stateRedis, keys.outbox, keys.sendLock, dedupeTtlSeconds, config.jobs.lockMs),
    window: new MessagingWindow(stateRedis, keys.windowClosed, dedupeTtlSeconds),
  };
}

interface RunningParts {
  /** turns, sends, reminders */
  workers: Worker[];
  queues: Queue[];
  connections: RedisClient[];
  catalog: { stop(): void } | null | undefined;
  knowledge: { close(): void } | null;
  metricsServer: MetricsServer | undefined;
  /** the fair-use limiter: this process's share of the daily budget goes back on close */
  limiter: Pick<FairUseLimiter, 'close'>;
  /** the handoff core: its watch for idle handoffs stops */
  handoff: { stopWatching(): void };
}

/**
 * The send queue's processor, over the same ledger, outbox and window marks as the turn; an
 * agent's reply the platform refused is passed to the handoff desk, which tells the agent.
 */
function senderFor(
  config: Config,
  shared: ReturnType<typeof openSharedState>,
  logger: Logger,
  desk: Pick<HandoffDesk, 'replyRefused'>,
) {
  const { adapters, outbound, stateRedis, jobIds, outbox, window, ledger, sentAnswers, metrics } = shared;
  const outboundLayer = createOutbound({
    adapters,
    outbound,
    jobIds,
    outbox,
    window,
    ledger,
    sentAnswers,
    pendingQuestions: new PendingQuestions(stateRedis, shared.keys.pendingQuestion),
    metrics,
    logger: logger.child({ part: 'sender' }),
    erasure: createAccountErasure(stateRedis, config.redis.prefix, jobIds),
    onRefused: (reply, failure) => desk.replyRefused(reply.conversation, reply.answeringMessageKey, failure.kind),
  });
  return outboundLayer.sendJob;
}

/**
 * Stops taking jobs and lets those in flight finish; past the grace, aborts them: each hands its
 * job back to the queue (moveToWait) and another worker resumes it from the ledger.
 */
async function closeWorkers(config: Config, logger: Logger, parts: RunningParts): Promise<void> {
  const { workers } = parts;
  parts.handoff.stopWatching();
  const grace = setTimeout(() => {
    logger.warn(
      { graceMs: config.jobs.shutdownGraceMs },
      'jobs still running after the grace period; handing them back',
    );
    for (const worker of workers) worker.cancelAllJobs('shutdown');
  }, config.jobs.shutdownGraceMs);
  await Promise.all(workers.map((worker) => worker.close()));
  clearTimeout(grace);
  parts.catalog?.stop();
  parts.knowledge?.close();
  // No turn runs any more: what is left of this process's share of the daily budget goes back.
  await parts.limiter.close();
  await parts.metricsServer?.close();
  await Promise.all(parts.queues.map((queue) => queue.close()));
  // BullMQ leaves connections it was handed open; they are ours to close.
  await Promise.all(parts.connections.map((c) => c.quit().catch(() => undefined)));
}

/** How long a starting worker waits for the catalog before it takes turns anyway. */
const CATALOG_BOOT_WAIT_MS = 30_000;

async function waitAtMost(task: Promise<void> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([task, timeout]);
  clearTimeout(timer);
}
