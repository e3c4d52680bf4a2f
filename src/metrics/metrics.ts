import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { readQueueDepth, type CountableQueue } from './queue-depth';
import { registerRedisGauges, type RedisHealthReading } from './redis-gauges';

/**
 * Every metric Threadline exports, on a registry of its own per process (web and worker each
 * build one; tests run both in one process, so the global registry would collide). Conventions:
 * the `threadline_` prefix, base units (seconds, tokens), `_total` on counters. Labels name only
 * bounded things — platform, mode, configured model, outcome, limit, error class, queue, state —
 * never a user id, a phone number or message text.
 */
export interface Metrics {
  readonly registry: Registry;
  /** web: webhook POSTs answered, by platform and HTTP status */
  readonly webhookDeliveries: Counter<'platform' | 'status'>;
  /** web: from the first byte of a delivery to its answer */
  readonly ingestDuration: Histogram<'platform'>;
  /** worker: turns that ended, once each (src/turn/count-turn.ts) */
  readonly turns: Counter<'platform' | 'mode' | 'outcome'>;
  /** worker: a turn's time in the worker, from pick-up to reply recorded */
  readonly turnDuration: Histogram<'platform' | 'mode' | 'outcome'>;
  /** worker: from enqueue to a worker picking the turn up */
  readonly turnQueueWait: Histogram<'platform'>;
  readonly modelCallDuration: Histogram<'mode' | 'model' | 'result'>;
  readonly modelTokens: Counter<'mode' | 'model' | 'kind'>;
  readonly speechToTextDuration: Histogram<'result'>;
  /** ffmpeg: voice note to WAV (`audio`) or photo to JPEG (`image`) */
  readonly transcodeDuration: Histogram<'kind' | 'result'>;
  /** Send API calls, by platform and the Graph error class (`none` when it was accepted) */
  readonly sends: Counter<'platform' | 'error_class'>;
  readonly fairUseRefusals: Counter<'limit'>;
  /** worker: auto mode's choice per turn (`fast`, `thinking`) and why (a signal, `router`, `thinking-limit`) */
  readonly autoRoutes: Counter<'route' | 'reason'>;
  /**
   * worker: reactions (feedback), by the answer's mode and model and the reaction's kind; mode and
   * model `none` for a reaction to a message that is no answer kept (take-reaction.ts)
   */
  readonly answerReactions: Counter<'platform' | 'mode' | 'model' | 'reaction'>;
  /** worker: calls to auto's router model, by what came of them (verdict, unclear, timeout, error) */
  readonly autoRouterCalls: Counter<'result'>;
  /** answers the promise guard changed: `rewritten` (the promise taken out) or `withheld`, by kind of promise */
  readonly promiseGuard: Counter<'action' | 'kind'>;
  /** answers by how they used the business's knowledge: `cited`, `uncited`, `unknown` (strict mode's "I don't know") */
  readonly knowledgeAnswers: Counter<'outcome'>;
  /** conversations handed to a person, by why (`asked`, `frustration`, ...) and the target that took it */
  readonly handoffs: Counter<'reason' | 'target'>;
  /** from stepping aside to the first agent reply the person was sent */
  readonly handoffFirstReply: Histogram<'target'>;
  /** conversations given back to the assistant: `resolved`, `bot` (the agent's /bot), `idle` */
  readonly handoffReturns: Counter<'why'>;
  /** BullMQ jobs per queue and state, read from Redis at scrape time */
  readonly queueJobs: Gauge<'queue' | 'state'>;
}

/** Buckets from ten seconds to two days: how long people wait for an agent. */
const WAIT_BUCKETS = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 43_200, 86_400, 172_800];

/** Buckets from 5 ms to two minutes: model calls and reasoning turns are slow, ingest is fast. */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120];

/**
 * `queues`: those whose depth this process reports (read from Redis when scraped); `redisHealth`:
 * the probe behind the Redis readiness gauges (redis-gauges.ts).
 */
/** a reaction's kind (positive, negative, other, removed) by the answer's platform, mode and model (`none`: no answer) */
const REACTION_LABELS = ['platform', 'mode', 'model', 'reaction'] as const;

export function createMetrics(
  process: 'web' | 'worker',
  queues: readonly CountableQueue[],
  redisHealth?: () => Promise<RedisHealthReading>,
): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process });
  collectDefaultMetrics({ register: registry, prefix: 'threadline_' });
  if (redisHealth) registerRedisGauges(registry, redisHealth);
  const registers = [registry];
  const histogram = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Histogram<L>({ name, help, labelNames, buckets: SECONDS_BUCKETS, registers });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  return {
    registry,
    webhookDeliveries: counter('threadline_webhook_deliveries_total', 'Webhook POSTs answered', ['platform', 'status']),
    ingestDuration: histogram('threadline_ingest_duration_seconds', 'Webhook POST, first byte to answer', ['platform']),
    turns: counter('threadline_turns_total', 'Turns ended', ['platform', 'mode', 'outcome']),
    turnDuration: histogram('threadline_turn_duration_seconds', 'Turn time in the worker, pick-up to reply', [
      'platform',
      'mode',
      'outcome',
    ]),
    turnQueueWait: histogram('threadline_turn_queue_wait_seconds', 'Enqueue to pick-up of a turn', ['platform']),
    modelCallDuration: histogram('threadline_model_call_duration_seconds', 'Chat model calls', [
      'mode',
      'model',
      'result',
    ]),
    modelTokens: counter('threadline_model_tokens_total', 'Tokens the model reported', ['mode', 'model', 'kind']),
    speechToTextDuration: histogram('threadline_speech_to_text_duration_seconds', 'Speech-to-text calls', ['result']),
    transcodeDuration: histogram('threadline_transcode_duration_seconds', 'ffmpeg runs', ['kind', 'result']),
    sends: counter('threadline_sends_total', 'Send API calls', ['platform', 'error_class']),
    fairUseRefusals: counter('threadline_fair_use_refusals_total', 'Turns refused by a fair-use limit', ['limit']),
    autoRoutes: counter('threadline_auto_routes_total', 'Turns auto mode answered, by the mode it chose and why', [
      'route',
      'reason',
    ]),
    answerReactions: counter('threadline_answer_reactions_total', 'Reactions to answers', [...REACTION_LABELS]),
    autoRouterCalls: counter('threadline_auto_router_calls_total', "Calls to auto mode's router model", ['result']),
    promiseGuard: counter('threadline_promise_guard_total', 'Answers whose unsupported promises were taken out', [
      'action',
      'kind',
    ]),
    knowledgeAnswers: counter('threadline_knowledge_answers_total', 'Answers by their use of the knowledge', [
      'outcome',
    ]),
    ...handoffMetrics(registers),
    queueJobs: new Gauge({
      name: 'threadline_queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers,
      collect: readQueueDepth(queues),
    }),
  };
}

/** Handing conversations to a person: how many, by why and where; how long until an agent answered; returns. */
function handoffMetrics(registers: Registry[]) {
  return {
    handoffs: new Counter<'reason' | 'target'>({
      name: 'threadline_handoffs_total',
      help: 'Conversations handed to a person',
      labelNames: ['reason', 'target'],
      registers,
    }),
    handoffFirstReply: new Histogram<'target'>({
      name: 'threadline_handoff_first_reply_seconds',
      help: 'Handoff to the first agent reply sent to the person',
      labelNames: ['target'],
      buckets: WAIT_BUCKETS,
      registers,
    }),
    handoffReturns: new Counter<'why'>({
      name: 'threadline_handoff_returns_total',
      help: 'Conversations given back to the assistant',
      labelNames: ['why'],
      registers,
    }),
  };
}

/** Seconds since `startedAt` (a `performance.now()` reading). */
export const secondsSince = (startedAt: number) => (performance.now() - startedAt) / 1000;

/** Runs `work`, observing its duration with `result` ok or error. */
export async function timed<T>(
  observe: (seconds: number, result: 'ok' | 'error') => void,
  work: () => Promise<T>,
): Promise<T> {
  const startedAt = performance.now();
  try {
    const value = await work();
    observe(secondsSince(startedAt), 'ok');
    return value;
  } catch (error) {
    observe(secondsSince(startedAt), 'error');
    throw error;
  }
}
