import { existsSync } from 'node:fs';
import { ConfigError, parseEnv, type Env } from './env';
import type { Config } from './config-shape';
import { clusterTarget } from './redis-target';
import { knowledgeSettings } from './env-knowledge';
import { answersSettings } from './env-answers';
import { chatwootSettings } from './env-chatwoot';
import { remindersSettings } from './env-reminders';
import { handoffSettings } from './env-handoff';
import {
  catalogSettings,
  jobsSettings,
  limitsSettings,
  llmSettings,
  mediaSettings,
  metaSettings,
  modesSettings,
  privacySettings,
  sttSettings,
  webSettings,
} from './config-sections';

export { ConfigError, parseEnv, parseLimitSpec, type Env, type LimitSpec } from './env';
export type { Config, ModeConfig } from './config-shape';
export type { KnowledgeConfig } from './env-knowledge';
export type { RedisClusterTarget } from './redis-target';
export type { AnswersConfig, WebSearchConfig } from './env-answers';
export type { ChatwootConfig } from './env-chatwoot';
export type { RemindersConfig } from './env-reminders';
export { LLM_PROVIDERS, type LlmProvider } from './env-llm';
export type { BusinessHours, HandoffConfig, HandoffTargetName } from './env-handoff';

/** The config from parsed variables: one section per part of the system (config-sections.ts). */
export function buildConfig(env: Env): Config {
  const channel = (token: string | undefined) => (token ? { accessToken: token } : null);
  return {
    port: env.PORT,
    log: { level: env.LOG_LEVEL, messageContent: env.LOG_MESSAGE_CONTENT },
    redis: {
      url: env.REDIS_URL,
      prefix: env.QUEUE_PREFIX,
      cluster: clusterTarget(env.REDIS_URL, env.REDIS_CLUSTER_NODES),
    },
    meta: metaSettings(env),
    channels: {
      whatsapp: channel(env.WHATSAPP_ACCESS_TOKEN),
      messenger: channel(env.MESSENGER_PAGE_ACCESS_TOKEN),
      instagram: channel(env.INSTAGRAM_ACCESS_TOKEN),
    },
    mediaAllowedHosts: env.MEDIA_ALLOWED_HOSTS,
    llm: llmSettings(env),
    stt: sttSettings(env),
    media: mediaSettings(env),
    history: {
      maxTurns: env.HISTORY_MAX_TURNS,
      maxChars: env.HISTORY_MAX_CHARS,
      ttlSeconds: env.HISTORY_TTL_DAYS * 24 * 3600,
    },
    dedupeTtlSeconds: env.DEDUPE_TTL_HOURS * 3600,
    webhookBodyLimitBytes: env.WEBHOOK_BODY_LIMIT_BYTES,
    concurrency: { turns: env.TURN_CONCURRENCY, mediaTurns: env.MEDIA_READ_CONCURRENCY, sends: env.SEND_CONCURRENCY },
    turnRetry: { attempts: env.TURN_ATTEMPTS, delayMs: env.TURN_RETRY_DELAY_MS },
    modes: modesSettings(env),
    limits: limitsSettings(env),
    signsOfLife: { typingRefreshMs: env.TYPING_REFRESH_MS, thinkingNoteAfterMs: env.THINKING_NOTE_AFTER_MS },
    jobs: jobsSettings(env),
    web: webSettings(env),
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST, token: env.METRICS_TOKEN },
    admin: env.ADMIN_TOKEN ? { token: env.ADMIN_TOKEN, readOnly: env.ADMIN_READ_ONLY } : null,
    businessName: env.BUSINESS_NAME,
    aiDisclosure: env.AI_DISCLOSURE,
    defaultLanguage: env.DEFAULT_LANGUAGE,
    memory: { ttlSeconds: env.MEMORY_TTL_DAYS * 24 * 3600 },
    publicBaseUrl: env.PUBLIC_BASE_URL,
    privacy: privacySettings(env),
    catalog: catalogSettings(env),
    orders: { checkoutUrl: env.ORDER_CHECKOUT_URL },
    knowledge: knowledgeSettings(env),
    answers: answersSettings(env),
    chatwoot: chatwootSettings(env),
    reminders: remindersSettings(env),
    handoff: handoffSettings(env),
  };
}

/** Parses `source` (the process environment by default) once; throws ConfigError naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  return buildConfig(parseEnv(source));
}

/** For entry points: load the config or print what is wrong and exit, before anything starts. */
export function loadConfigOrExit(): Config {
  try {
    // A local `.env` (copied from .env.example) is read when present; real environment wins.
    if (existsSync('.env')) process.loadEnvFile('.env');
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
