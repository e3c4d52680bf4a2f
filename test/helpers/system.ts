import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../config';
import { createLogger } from '../../src/logging';
import { signBody } from '../../src/platforms/signature';
import { startWeb, type RunningWeb } from '../../webhooks/web';
import { startWorkers, type RunningWorkers } from '../../workers/worker';
import { FakeGraph } from './fake-graph';
import { FakeModel } from './fake-model';
import type { KnowledgeSearch } from '../../src/knowledge/passage';

export const TEST_APP_SECRET = 'test-app-secret';
export const TEST_VERIFY_TOKEN = 'test-verify-token';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The environment of a test deployment; every test gets its own QUEUE_PREFIX. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_URL,
    QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`,
    META_APP_SECRET: TEST_APP_SECRET,
    META_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: 'wa-token',
    MESSENGER_PAGE_ACCESS_TOKEN: 'page-token',
    INSTAGRAM_ACCESS_TOKEN: 'ig-token',
    LLM_MODEL_FAST: 'fake-fast',
    TURN_RETRY_DELAY_MS: '100',
    // Tests assert exact reply texts; the first-contact notice has tests of its own that turn it on.
    AI_DISCLOSURE: 'off',
    // Most tests assert what one mode sends the model; auto mode's own tests set DEFAULT_MODE=auto.
    DEFAULT_MODE: 'fast',
    // Many test deployments run at once: none takes the worker's fixed metrics port unless it asks.
    METRICS_PORT: '0',
    // .ci/run runs the media tests a second time with the other ffmpeg build.
    FFMPEG_PATH: process.env.FFMPEG_PATH,
    ...overrides,
  };
}

export interface TestSystem {
  config: Config;
  graph: FakeGraph;
  model: FakeModel;
  web: RunningWeb;
  workers: RunningWorkers | undefined;
  baseUrl: string;
  redis: Redis;
  /** POSTs `payload` to the platform's webhook, signed like Meta does. */
  deliver(
    platform: string,
    payload: unknown,
    options?: { secret?: string; signature?: string | null },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/**
 * The whole product against real Redis and loopback fakes of Graph and the model API:
 * `web` on a free port, the workers in-process (pass `workers: false` to start them later).
 */
export async function startSystem(
  options: {
    env?: Record<string, string | undefined>;
    workers?: boolean;
    model?: FakeModel;
    /** the knowledge base the workers search (an in-memory one: test/helpers/memory-knowledge.ts) */
    knowledge?: KnowledgeSearch;
  } = {},
): Promise<TestSystem> {
  const graph = await new FakeGraph().start();
  const model = await (options.model ?? new FakeModel()).start();
  const config = loadConfig(
    testEnv({ GRAPH_API_URL: graph.url, INSTAGRAM_GRAPH_API_URL: graph.url, LLM_BASE_URL: model.url, ...options.env }),
  );
  const logger = createLogger({ level: config.log.level, name: 'test' });
  const web = await startWeb(config, logger, 0);
  const workers =
    options.workers === false ? undefined : await startWorkers(config, logger, { knowledge: options.knowledge });
  const redis = new Redis(config.redis.url);
  const baseUrl = `http://127.0.0.1:${web.port}`;
  const system: TestSystem = {
    config,
    graph,
    model,
    web,
    workers,
    baseUrl,
    redis,
    async deliver(platform, payload, deliverOptions = {}) {
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const signature =
        deliverOptions.signature === undefined
          ? signBody(body, deliverOptions.secret ?? TEST_APP_SECRET)
          : deliverOptions.signature;
      if (signature !== null) headers['x-hub-signature-256'] = signature;
      return fetch(`${baseUrl}/webhooks/${platform}`, { method: 'POST', headers, body });
    },
    async stop() {
      const leaks = graph.reasoningLeaks().length;
      await system.workers?.close();
      await web.close();
      await Promise.all([graph.stop(), model.stop()]);
      await deleteKeysWithPrefix(redis, config.redis.prefix);
      redis.disconnect();
      if (leaks > 0) throw new Error(`${leaks} Send API call(s) carried the model's reasoning tags`);
    },
  };
  return system;
}
