import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config';
import type { EvalEnv } from '../config/eval-env';
import { firstContactNotice } from '../src/commands/memory-texts';
import { translatorFor } from '../src/i18n/translator';
import { createLogger } from '../src/logging';
import { signBody } from '../src/platforms/signature';
import { freePort } from '../sandbox/redis';
import { startWeb, type RunningWeb } from '../webhooks/web';
import { startWorkers, type RunningWorkers } from '../workers/worker';
import { FakeGraph } from '../test/helpers/fake-graph';
import type { FakeModel } from '../test/helpers/fake-model';
import { deleteKeysWithPrefix } from '../test/helpers/system';
import { OFFLINE_MODEL, startOfflineModel } from './offline-model';
import type { Conversation, Language } from './suite';

/**
 * The product as it runs for real, `web` and `worker` in this process, against a fake Graph on
 * loopback (nothing reaches Meta), Redis under a prefix of its own, the eval's catalog, and the
 * model the environment names (or the offline reference model). Limits are off and the "still
 * thinking" note too, so every answer is the model's; the first-contact notice is on, to be checked.
 */
export const EVAL_CATALOG = join(__dirname, 'catalog.csv');
const EVAL_SECRET = 'threadline-eval-app-secret';

export interface EvalSystem {
  config: Config;
  graph: FakeGraph;
  /** the offline reference model, when no LLM_BASE_URL was given */
  offline: FakeModel | undefined;
  /** `openai`, `ollama`, ..., or `offline` */
  backend: string;
  /** the first-contact notice the deployment starts a conversation with, in the person's language */
  notice: ((language: Language) => string) | undefined;
  metricsUrl: string;
  deliver(platform: string, payload: unknown): Promise<void>;
  stop(): Promise<void>;
}

/** What the eval changes in the operator's environment: everything that could reach Meta, and the limits. */
async function deploymentEnv(graphUrl: string, logLevel: string): Promise<Record<string, string | undefined>> {
  return {
    LOG_LEVEL: logLevel,
    QUEUE_PREFIX: `eval-${randomUUID().slice(0, 8)}`,
    META_APP_SECRET: EVAL_SECRET,
    META_VERIFY_TOKEN: 'threadline-eval',
    INSTAGRAM_APP_SECRET: undefined,
    GRAPH_API_URL: graphUrl,
    INSTAGRAM_GRAPH_API_URL: graphUrl,
    WHATSAPP_ACCESS_TOKEN: 'eval-wa-token',
    MESSENGER_PAGE_ACCESS_TOKEN: 'eval-page-token',
    INSTAGRAM_ACCESS_TOKEN: 'eval-ig-token',
    CATALOG_FEED: EVAL_CATALOG,
    META_CATALOG_ID: undefined,
    AI_DISCLOSURE: 'on',
    ...Object.fromEntries(
      ['FAST', 'THINKING', 'CONTEMPLATING', 'SHOPPING', 'BURST', 'USER_DAILY', 'GLOBAL_DAILY'].map((l) => [
        `LIMIT_${l}`,
        'off',
      ]),
    ),
    THINKING_NOTE_AFTER_MS: '0',
    METRICS_PORT: String(await freePort()),
    METRICS_HOST: '127.0.0.1',
    METRICS_TOKEN: undefined,
    ADMIN_TOKEN: undefined,
  };
}

export async function startEvalSystem(
  operatorEnv: Record<string, string | undefined>,
  evalEnv: EvalEnv,
  conversations: Conversation[],
): Promise<EvalSystem> {
  const graph = await new FakeGraph().start();
  const offline = evalEnv.LLM_BASE_URL ? undefined : await startOfflineModel(conversations);
  const model = offline
    ? { LLM_BASE_URL: `${offline.url}/v1`, LLM_API_KEY: 'offline', LLM_MODEL_FAST: OFFLINE_MODEL }
    : {};
  const config = loadConfig({ ...operatorEnv, ...model, ...(await deploymentEnv(graph.url, evalEnv.EVAL_LOG_LEVEL)) });
  if (!config.llm.models.fast) throw new Error('LLM_BASE_URL is set but LLM_MODEL_FAST is not: name the model.');
  const logger = createLogger({ level: config.log.level, name: 'eval' });
  const web: RunningWeb = await startWeb(config, logger, 0);
  const workers: RunningWorkers = await startWorkers(config, logger);
  const days = Math.round(config.history.ttlSeconds / 86_400);
  return {
    config,
    graph,
    offline,
    backend: offline ? 'offline' : (evalEnv.LLM_PROVIDER ?? 'generic'),
    notice: config.aiDisclosure
      ? (language) => firstContactNotice(translatorFor(language), config.businessName, days)
      : undefined,
    metricsUrl: `http://127.0.0.1:${workers.metricsPort}/metrics`,
    async deliver(platform, payload) {
      const body = JSON.stringify(payload);
      const response = await fetch(`http://127.0.0.1:${web.port}/webhooks/${platform}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, EVAL_SECRET) },
        body,
      });
      if (response.status !== 200) throw new Error(`web answered ${response.status} to a delivery`);
    },
    async stop() {
      await workers.close();
      await web.close();
      await Promise.all([graph.stop(), offline?.stop()]);
      const redis = new Redis(config.redis.url);
      await deleteKeysWithPrefix(redis, config.redis.prefix);
      redis.disconnect();
    },
  };
}
