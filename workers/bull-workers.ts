import { Worker, type Processor } from 'bullmq';
import type { Config } from '../config';
import type { InboundMessage } from '../src/core/inbound';
import type { Logger } from '../src/logging';
import { graphBackoff, type Sender } from '../src/outbound';
import { INBOUND_QUEUE, OUTBOUND_QUEUE, REMINDERS_QUEUE, type ReminderJob } from '../src/queues/jobs';
import { queuePrefix } from '../src/redis/keys';
import { createRedis, type RedisClient } from '../src/redis/connection';

/** The three BullMQ Workers (turns, sends, reminders), each on its own connection, logging what fails. */
export function createBullWorkers(
  config: Config,
  connections: { turnConnection: RedisClient; sendConnection: RedisClient; remindConnection: RedisClient },
  processors: { processTurn: Processor<InboundMessage>; sendReply: Sender; remind: Processor<ReminderJob> },
  logger: Logger,
) {
  const { turnConnection, sendConnection, remindConnection } = connections;
  const { processTurn, sendReply, remind } = processors;
  // The lock is renewed every lockDuration/2 while a job runs, however long the model takes; it
  // only decides how soon a job whose worker died is seen as stalled and run again elsewhere.
  const workerOptions = {
    prefix: queuePrefix(config.redis.prefix),
    lockDuration: config.jobs.lockMs,
    stalledInterval: config.jobs.stalledIntervalMs,
    maxStalledCount: 3,
    // After a connection error BullMQ waits this long before fetching again (15 s by default). A
    // cluster master's failover ends such errors in about 10 s, and the connections back off on
    // their own, so a second brings the worker back soon after the replica is promoted.
    runRetryDelay: 1000,
  };
  const turns = new Worker(INBOUND_QUEUE, processTurn, {
    ...workerOptions,
    connection: turnConnection,
    concurrency: config.concurrency.turns,
  });
  const sends = new Worker(OUTBOUND_QUEUE, sendReply, {
    ...workerOptions,
    connection: sendConnection,
    concurrency: config.concurrency.sends,
    settings: { backoffStrategy: graphBackoff },
  });
  // A reminder's job only queues its message (the send job sends it): a few at once are plenty.
  const reminders = new Worker(REMINDERS_QUEUE, remind, {
    ...workerOptions,
    connection: remindConnection,
    concurrency: 4,
  });
  for (const [name, worker] of [
    ['turns', turns],
    ['sender', sends],
    ['reminders', reminders],
  ] as const) {
    worker.on('failed', (job, err) => {
      logger.error({ queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err }, 'job failed');
    });
    worker.on('error', (err) => logger.error({ queue: name, err }, 'worker error'));
  }
  // The confirmation of an erasure writes its last events line as it finishes; that line goes too.
  sends.on('completed', (job) => void sendReply.finished(job));
  sends.on('failed', (job) => void sendReply.finished(job));
  return { turns, sends, reminders };
}

/** The three Workers, each on a connection of its own made here (the caller closes them after the workers). */
export function openBullWorkers(
  config: Config,
  processors: { processTurn: Processor<InboundMessage>; sendReply: Sender; remind: Processor<ReminderJob> },
  logger: Logger,
) {
  const connections = {
    turnConnection: createRedis(config.redis, 'worker'),
    sendConnection: createRedis(config.redis, 'worker'),
    remindConnection: createRedis(config.redis, 'worker'),
  };
  const workers = createBullWorkers(config, connections, processors, logger);
  return { workers: Object.values(workers), connections: Object.values(connections) };
}
