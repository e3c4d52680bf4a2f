import { Worker } from 'bullmq';
import type { Config } from '../config';
import { AnswerLedger } from '../src/conversation/answer-ledger';
import { MessagingWindow } from '../src/conversation/messaging-window';
import { RecipientOutbox } from '../src/conversation/recipient-outbox';
import { ConversationHistory } from '../src/conversation/history';
import { TurnOrder } from '../src/conversation/turn-order';
import { createOpenAiChatModel } from '../src/inference/chat-model';
import { createLogger, type Logger } from '../src/logging';
import { createPlatformRegistry } from '../src/platforms/registry';
import { INBOUND_QUEUE, OUTBOUND_QUEUE, isPendingJobState, outboundJobId } from '../src/queues/jobs';
import { createInboundQueue, createOutboundQueue } from '../src/queues/queues';
import { createRedis, logConnectionErrors } from '../src/redis/connection';
import { stateKeys } from '../src/redis/keys';
import { checkRedisForProduction } from '../src/redis/production-check';
import { createSender, graphBackoff } from './sender';
import { createTurnProcessor } from './turn-processor';
import { createTurnConductor } from '../src/modes/create-conductor';
import { inboundMessageSchema } from '../src/core/inbound';
import { createOpenAiSpeechToText } from '../src/inference/speech-to-text';
import { ffmpegBinary } from '../src/media/ffmpeg';
import { createMediaTurnPreparer } from '../src/media/media-turn';

/** The bundled ffmpeg, or `ffmpeg` on PATH when the bundle is missing (text keeps working either way). */
function resolveFfmpeg(configured: string | undefined, logger: Logger): string {
  try {
    return ffmpegBinary(configured);
  } catch (error) {
    logger.error({ err: error }, 'no bundled ffmpeg; trying `ffmpeg` on PATH for voice notes and photos');
    return 'ffmpeg';
  }
}

export interface RunningWorkers {
  /** Stops taking jobs, lets running ones finish, closes connections. */
  close(): Promise<void>;
}

/**
 * The `worker` process: the turn processor and the sender, each a BullMQ Worker. Model calls can
 * be slow, so the job lock is long and renewed by BullMQ while the job runs; a worker that dies
 * loses its lock and the job is picked up again (stalled) by another.
 */
export async function startWorkers(
  config: Config,
  logger: Logger = createLogger({ level: config.log.level, name: 'worker' }),
): Promise<RunningWorkers> {
  const adapters = createPlatformRegistry(config);
  const keys = stateKeys(config.redis.prefix);
  const state = createRedis(config.redis.url, 'worker');
  const queueConnection = createRedis(config.redis.url, 'worker');
  const inbound = createInboundQueue(queueConnection, config.redis.prefix, config.turnRetry);
  const outbound = createOutboundQueue(queueConnection, config.redis.prefix, config.jobs.sendAttempts);
  const ledger = new AnswerLedger(state, keys, config.dedupeTtlSeconds);
  const outbox = new RecipientOutbox(state, keys.outbox, keys.sendLock, config.dedupeTtlSeconds, config.jobs.lockMs);
  const window = new MessagingWindow(state, keys.windowClosed, config.dedupeTtlSeconds);
  await checkRedisForProduction(state, logger);
  const model = config.llm.baseUrl
    ? createOpenAiChatModel({ baseUrl: config.llm.baseUrl, apiKey: config.llm.apiKey, timeoutMs: config.llm.timeoutMs })
    : null;
  if (!model || !config.llm.models.fast) {
    logger.warn('no model configured (LLM_BASE_URL, LLM_MODEL_FAST): users will be told the bot is not connected');
  }
  if (adapters.size === 0)
    logger.warn('no channel is on: set WHATSAPP_ACCESS_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN or INSTAGRAM_ACCESS_TOKEN');

  const history = new ConversationHistory(state, keys.history, config.history);
  const conductor = createTurnConductor(config, state, model, history, logger.child({ part: 'turns' }));
  const stt = config.stt.baseUrl
    ? createOpenAiSpeechToText({
        baseUrl: config.stt.baseUrl,
        apiKey: config.stt.apiKey,
        model: config.stt.model,
        timeoutMs: config.stt.timeoutMs,
      })
    : null;
  if (!stt)
    logger.warn('no speech-to-text configured (STT_BASE_URL or LLM_BASE_URL): voice notes will be apologised for');
  const media = {
    stt,
    settings: { ...config.media, ffmpegPath: resolveFfmpeg(config.media.ffmpegPath, logger) },
    prepare: createMediaTurnPreparer({
      merge: {
        redis: state,
        inboxKey: keys.inbox,
        windowMs: config.media.mergeWindowMs,
        isAnswered: (key) => ledger.isAnswered(key),
        loadMessage: async (key) => {
          const job = await inbound.getJob(key);
          const parsed = inboundMessageSchema.safeParse(job?.data);
          return parsed.success ? parsed.data : undefined;
        },
      },
      logger: logger.child({ part: 'media' }),
    }),
  };

  const processTurn = createTurnProcessor({
    redis: state,
    inbound,
    outbound,
    adapters,
    turnOrder: new TurnOrder(state, keys.inbox, keys.turnLock, config.jobs.lockMs),
    ledger,
    history,
    model,
    modelName: config.llm.models.fast,
    maxTokens: config.llm.maxTokens,
    systemPrompt: config.llm.systemPrompt,
    logContent: config.log.messageContent,
    logger: logger.child({ part: 'turns' }),
    conductor,
    media,
    outbox,
    window,
  });
  const sendReply = createSender({
    adapters,
    ledger,
    logger: logger.child({ part: 'sender' }),
    ordering: {
      outbox,
      headState: async (answering) =>
        isPendingJobState(await outbound.getJobState(outboundJobId(answering))) ? 'pending' : 'gone',
    },
    window,
  });

  const turnConnection = createRedis(config.redis.url, 'worker');
  const sendConnection = createRedis(config.redis.url, 'worker');
  // The lock is renewed every lockDuration/2 while a job runs, however long the model takes; it
  // only decides how soon a job whose worker died is seen as stalled and run again elsewhere.
  const workerOptions = {
    prefix: config.redis.prefix,
    lockDuration: config.jobs.lockMs,
    stalledInterval: config.jobs.stalledIntervalMs,
    maxStalledCount: 3,
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
  for (const [name, worker] of [
    ['turns', turns],
    ['sender', sends],
  ] as const) {
    worker.on('failed', (job, err) => {
      logger.error({ queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err }, 'job failed');
    });
    worker.on('error', (err) => logger.error({ queue: name, err }, 'worker error'));
  }
  // BullMQ re-emits its own connections' errors on the workers and queues; ours need a listener too.
  logConnectionErrors(state, logger, 'state');
  logConnectionErrors(queueConnection, logger, 'queues');
  for (const queue of [inbound, outbound]) queue.on('error', (err) => logger.warn({ err: err.message }, 'queue error'));
  await Promise.all([turns.waitUntilReady(), sends.waitUntilReady()]);
  logger.info({ channels: [...adapters.keys()], prefix: config.redis.prefix }, 'workers started');

  return {
    async close() {
      // Stop taking jobs and let those in flight finish; past the grace, abort them: each hands
      // its job back to the queue (moveToWait) and another worker resumes it from the ledger.
      const grace = setTimeout(() => {
        logger.warn(
          { graceMs: config.jobs.shutdownGraceMs },
          'jobs still running after the grace period; handing them back',
        );
        turns.cancelAllJobs('shutdown');
        sends.cancelAllJobs('shutdown');
      }, config.jobs.shutdownGraceMs);
      await Promise.all([turns.close(), sends.close()]);
      clearTimeout(grace);
      await Promise.all([inbound.close(), outbound.close()]);
      // BullMQ leaves connections it was handed open; they are ours to close.
      await Promise.all(
        [state, queueConnection, turnConnection, sendConnection].map((c) => c.quit().catch(() => undefined)),
      );
    },
  };
}
