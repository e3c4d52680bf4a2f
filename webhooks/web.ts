import type express from 'express';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import { TurnOrder } from '../src/conversation/turn-order';
import { createLogger, type Logger } from '../src/logging';
import type { Queue } from 'bullmq';
import { createPlatformRegistry, type PlatformRegistry } from '../src/platforms/registry';
import { createInboundQueue, createOutboundQueue } from '../src/queues/queues';
import { createMetrics, type Metrics } from '../src/metrics/metrics';
import { metricsResponder } from '../src/metrics/exposition';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import { createAdminDashboard } from './admin-dashboard';
import { createRedis, waitForRedis, type RedisClient } from '../src/redis/connection';
import { stateKeys } from '../src/redis/keys';
import { checkRedis } from '../src/redis/redis-health';
import { createJobIds } from '../src/queues/jobs';
import { createAppScopedErasure } from '../src/privacy/app-scoped-erasure';
import { DeletionRequests } from '../src/privacy/deletion-requests';
import { createApp, type AppDependencies } from './app';
import { createDataDeletionRouter } from './data-deletion';
import { createExportDownloadRouter } from './export-download';
import { createExportLinks } from '../src/privacy/export-link';
import { createSealer } from '../src/crypto/sealing';
import { EnqueueBatcher } from './enqueue-batcher';
import { createIngestHandler } from './ingest';
import { createWebServer } from './server';
import { ThrottledWarning } from './throttled-warning';
import { watchRedisReachability } from '../src/redis/reachability';
import { RecipientOutbox } from '../src/conversation/recipient-outbox';
import { buildHandoffDesk, type DeskParts } from '../src/handoff/build-desk';
import { otherHandoffTargets } from '../src/handoff/other-targets';
import { chatwootWebhookFor } from './chatwoot-wiring';
import type { HandoffDesk } from '../src/handoff/handoff-desk';
import { createHandoffRouter } from './handoff-routes';

export interface RunningWeb {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

/** The `web` process: HTTP server on `port` (0 picks a free one, as tests do). */
export async function startWeb(
  config: Config,
  logger: Logger = createLogger({ level: config.log.level, name: 'web', pseudonymKey: config.privacy.logPseudonymKey }),
  port: number = config.port,
): Promise<RunningWeb> {
  const adapters = createPlatformRegistry(config);
  const redis = createRedis(config.redis, 'producer');
  // Keep the process alive through a Redis outage; ingest answers 503 meanwhile, and the watch
  // says so, naming Redis and where it was looked for, every few seconds rather than per retry.
  const reachability = watchRedisReachability([redis], config.redis, logger, {
    meanwhile: 'webhooks answer 503 until it does',
  });
  const queue = createInboundQueue(redis, config.redis.prefix, config.turnRetry);
  // web sends nothing: the outbound queue is here to be counted and shown on the dashboard.
  const outbound = createOutboundQueue(redis, config.redis.prefix, config.jobs.sendAttempts);
  const queueErrors = new ThrottledWarning(logger, 'queue error', 10_000);
  for (const q of [queue, outbound]) q.on('error', (err) => queueErrors.warn({ err: err.message }));
  const metrics = createMetrics('web', [queue, outbound], () => checkRedis(redis));
  const keys = stateKeys(config.redis.prefix);
  const jobIds = createJobIds(createPseudonyms(config.privacy.logPseudonymKey));
  const turnOrder = new TurnOrder(
    redis,
    (c) => keys.inbox(c),
    (c) => keys.turnLock(c),
    config.jobs.lockMs,
    config.dedupeTtlSeconds,
  );
  const batcher = new EnqueueBatcher(queue, redis, turnOrder, jobIds);

  const desk = agentSide(config, logger, { redis, outbound, jobIds, adapters, metrics });
  const app = createApp({
    ...appDependencies(config, logger, { adapters, redis, queues: [queue, outbound], metrics, desk: desk.desk }),
    chatwootWebhook: desk.chatwootWebhook,
  });
  const ingest = createIngestHandler({
    enqueue: (messages) => batcher.enqueue(messages),
    body: { maxBytes: config.webhookBodyLimitBytes, timeoutMs: config.web.requestTimeoutMs },
    refusalLogIntervalMs: config.web.refusalLogIntervalMs,
    logger,
    metrics,
  });
  const server = createWebServer(app, adapters, ingest, config.web);
  // Take deliveries once Redis is ready (the producer connection queues nothing while it connects);
  // if Redis is down, listen anyway: ingest answers 503 until it is back, and /healthz stays up.
  await waitForRedis(redis, 5000).catch(() => undefined);
  await listen(server, port).catch(async (error: unknown) => {
    reachability.stop();
    await closeWeb(server, redis, [queue, outbound]).catch(() => undefined);
    throw error;
  });
  const actualPort = (server.address() as AddressInfo).port;
  logger.info({ port: actualPort, channels: [...adapters.keys()] }, 'web listening');

  return {
    server,
    port: actualPort,
    close: () => {
      reachability.stop();
      return closeWeb(server, redis, [queue, outbound]);
    },
  };
}

/**
 * The agent side of a handoff: the desk sends to the person from here, through the same send
 * queue and outbox as the worker, and Chatwoot's webhook (where it is a target) reaches it.
 */
function agentSide(
  config: Config,
  logger: Logger,
  parts: Omit<DeskParts, 'outbox' | 'logger' | 'otherTargets'>,
): { desk: HandoffDesk; chatwootWebhook: express.Router | undefined } {
  const { redis } = parts;
  const keys = stateKeys(config.redis.prefix);
  const outbox = new RecipientOutbox(redis, keys.outbox, keys.sendLock, config.dedupeTtlSeconds, config.jobs.lockMs);
  const others = otherHandoffTargets(config, redis, logger);
  const desk = buildHandoffDesk(config, { ...parts, outbox, logger, otherTargets: others.targets });
  return { desk, chatwootWebhook: chatwootWebhookFor(config, others.chatwoot, desk, logger) };
}

/** Thrown when `web` cannot listen: names the port and PORT, the setting that moves it. */
export class PortTakenError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is taken; set PORT to another (another web process, or something else, listens on it)`);
    this.name = 'PortTakenError';
  }
}

async function listen(server: http.Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortTakenError(port) : error),
    );
    server.listen(port, resolve);
  });
}

/** What the Express app answers with: handshake, health, data deletion, metrics, the dashboard. */
function appDependencies(
  config: Config,
  logger: Logger,
  parts: { adapters: PlatformRegistry; redis: RedisClient; queues: Queue[]; metrics: Metrics; desk: HandoffDesk },
): AppDependencies {
  const { adapters, redis, queues, metrics, desk } = parts;
  const webhookSecret = config.handoff.webhook?.secret;
  return {
    adapters,
    verifyToken: config.meta.verifyToken,
    redisHealth: () => checkRedis(redis),
    logger,
    refusalLogIntervalMs: config.web.refusalLogIntervalMs,
    dataDeletion: createDataDeletionRouter({
      appSecret: config.meta.appSecret,
      requests: new DeletionRequests(redis, config.redis.prefix),
      erasure: createAppScopedErasure(
        redis,
        config.redis.prefix,
        createJobIds(createPseudonyms(config.privacy.logPseudonymKey)),
        (conversations) => desk.forget(conversations),
      ),
      publicBaseUrl: config.publicBaseUrl,
      logger,
    }),
    exportDownload: createExportDownloadRouter({
      links: createExportLinks({
        redis,
        keys: stateKeys(config.redis.prefix),
        sealer: createSealer({ current: config.privacy.encryptionKey, old: config.privacy.oldEncryptionKeys }),
        appSecret: config.meta.appSecret,
        publicBaseUrl: config.publicBaseUrl ?? '',
      }),
      logger,
    }),
    metrics: metricsResponder(metrics.registry, config.metrics.token),
    handoff: webhookSecret ? createHandoffRouter({ desk, secret: webhookSecret, logger }) : undefined,
    adminDashboard: config.admin
      ? createAdminDashboard(queues, {
          ...config.admin,
          showContent: config.log.messageContent,
          pseudonyms: createPseudonyms(config.privacy.logPseudonymKey),
        })
      : undefined,
  };
}

/** Stops taking connections, then closes the queues and Redis; with Redis down, without waiting on it. */
async function closeWeb(server: http.Server, redis: RedisClient, queues: Queue[]): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // A client that never finishes its request must not hold a deploy up.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  });
  // With Redis down, a graceful quit would wait for a connection that never comes.
  if (redis.status === 'ready') {
    await Promise.all(queues.map((q) => q.close()));
    await redis.quit().catch(() => undefined);
  } else {
    redis.disconnect();
    await Promise.all(queues.map((q) => q.close())).catch(() => undefined);
  }
}
