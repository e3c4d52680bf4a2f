import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ConfigError, parseEnv, type Env } from './env';
import type { Config } from './config-shape';
import { clusterTarget } from './redis-target';

export { ConfigError, parseEnv, parseLimitSpec, type Env, type LimitSpec } from './env';
export type { Config, ModeConfig } from './config-shape';
export type { RedisClusterTarget } from './redis-target';

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
    meta: {
      appSecret: env.META_APP_SECRET,
      verifyToken: env.META_VERIFY_TOKEN,
      instagramAppSecret: env.INSTAGRAM_APP_SECRET ?? env.META_APP_SECRET,
      graphApiUrl: env.GRAPH_API_URL,
      graphApiVersion: env.GRAPH_API_VERSION,
      instagramGraphApiUrl: env.INSTAGRAM_GRAPH_API_URL,
      timeoutMs: env.GRAPH_TIMEOUT_MS,
    },
    channels: {
      whatsapp: channel(env.WHATSAPP_ACCESS_TOKEN),
      messenger: channel(env.MESSENGER_PAGE_ACCESS_TOKEN),
      instagram: channel(env.INSTAGRAM_ACCESS_TOKEN),
    },
    mediaAllowedHosts: env.MEDIA_ALLOWED_HOSTS,
    llm: {
      baseUrl: env.LLM_BASE_URL,
      apiKey: env.LLM_API_KEY,
      models: { fast: env.LLM_MODEL_FAST },
      timeoutMs: env.LLM_TIMEOUT_MS,
    },
    stt: {
      baseUrl: env.STT_BASE_URL ?? env.LLM_BASE_URL,
      apiKey: env.STT_API_KEY ?? env.LLM_API_KEY,
      model: env.STT_MODEL,
      timeoutMs: env.STT_TIMEOUT_MS,
    },
    media: {
      maxAudioBytes: env.MEDIA_MAX_AUDIO_BYTES,
      maxImageBytes: env.MEDIA_MAX_IMAGE_BYTES,
      downloadTimeoutMs: env.MEDIA_DOWNLOAD_TIMEOUT_MS,
      voiceNoteMaxSeconds: env.VOICE_NOTE_MAX_SECONDS,
      transcodeTimeoutMs: env.MEDIA_TRANSCODE_TIMEOUT_MS,
      imageMaxSidePx: env.IMAGE_MAX_SIDE_PX,
      imageMaxOutputBytes: env.IMAGE_MAX_OUTPUT_BYTES,
      mergeWindowMs: env.MEDIA_MERGE_WINDOW_MS,
      ffmpegPath: env.FFMPEG_PATH,
      imageMaxPixels: env.MEDIA_MAX_IMAGE_PIXELS,
      maxAttachments: env.MEDIA_MAX_ATTACHMENTS,
      concurrency: env.MEDIA_CONCURRENCY,
      ffmpegMaxMemoryMb: env.MEDIA_FFMPEG_MAX_MEMORY_MB,
    },
    history: {
      maxTurns: env.HISTORY_MAX_TURNS,
      maxChars: env.HISTORY_MAX_CHARS,
      ttlSeconds: env.HISTORY_TTL_DAYS * 24 * 3600,
    },
    dedupeTtlSeconds: env.DEDUPE_TTL_HOURS * 3600,
    webhookBodyLimitBytes: env.WEBHOOK_BODY_LIMIT_BYTES,
    concurrency: { turns: env.TURN_CONCURRENCY, mediaTurns: env.MEDIA_READ_CONCURRENCY, sends: env.SEND_CONCURRENCY },
    turnRetry: { attempts: env.TURN_ATTEMPTS, delayMs: env.TURN_RETRY_DELAY_MS },
    modes: {
      fast: {
        model: env.LLM_MODEL_FAST,
        systemPrompt: env.SYSTEM_PROMPT,
        maxTokens: env.LLM_MAX_TOKENS,
        timeoutMs: env.LLM_TIMEOUT_MS,
        reasoningEffort: undefined,
      },
      thinking: {
        model: env.LLM_MODEL_THINKING ?? env.LLM_MODEL_FAST,
        systemPrompt: env.SYSTEM_PROMPT_THINKING,
        maxTokens: env.LLM_MAX_TOKENS_THINKING,
        timeoutMs: env.LLM_TIMEOUT_MS_THINKING,
        reasoningEffort: env.LLM_REASONING_EFFORT_THINKING,
      },
      contemplating: {
        model: env.LLM_MODEL_CONTEMPLATING ?? env.LLM_MODEL_THINKING ?? env.LLM_MODEL_FAST,
        systemPrompt: env.SYSTEM_PROMPT_CONTEMPLATING,
        maxTokens: env.LLM_MAX_TOKENS_CONTEMPLATING,
        timeoutMs: env.LLM_TIMEOUT_MS_CONTEMPLATING,
        reasoningEffort: env.LLM_REASONING_EFFORT_CONTEMPLATING,
        drafts: env.CONTEMPLATE_DRAFTS,
      },
      shopping: {
        model: env.LLM_MODEL_FAST,
        systemPrompt: env.SYSTEM_PROMPT,
        maxTokens: env.LLM_MAX_TOKENS,
        timeoutMs: env.LLM_TIMEOUT_MS,
        reasoningEffort: undefined,
      },
    },
    limits: {
      fast: env.LIMIT_FAST,
      thinking: env.LIMIT_THINKING,
      contemplating: env.LIMIT_CONTEMPLATING,
      shopping: env.LIMIT_SHOPPING,
      burst: env.LIMIT_BURST,
      globalDaily: env.LIMIT_GLOBAL_DAILY,
      exemptUsers: env.LIMIT_EXEMPT_USERS,
      userDaily: env.LIMIT_USER_DAILY,
    },
    signsOfLife: { typingRefreshMs: env.TYPING_REFRESH_MS, thinkingNoteAfterMs: env.THINKING_NOTE_AFTER_MS },
    jobs: {
      lockMs: env.JOB_LOCK_MS,
      stalledIntervalMs: env.JOB_STALLED_INTERVAL_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      sendAttempts: env.SEND_ATTEMPTS,
    },
    web: {
      headersTimeoutMs: env.WEB_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.WEB_REQUEST_TIMEOUT_MS,
      maxConnections: env.WEB_MAX_CONNECTIONS,
      refusalLogIntervalMs: env.WEB_REFUSAL_LOG_INTERVAL_MS,
    },
    metrics: { port: env.METRICS_PORT, token: env.METRICS_TOKEN },
    admin: env.ADMIN_TOKEN ? { token: env.ADMIN_TOKEN, readOnly: env.ADMIN_READ_ONLY } : null,
    businessName: env.BUSINESS_NAME,
    aiDisclosure: env.AI_DISCLOSURE,
    memory: { ttlSeconds: env.MEMORY_TTL_DAYS * 24 * 3600 },
    publicBaseUrl: env.PUBLIC_BASE_URL,
    privacy: {
      encryptionKey: env.DATA_ENCRYPTION_KEY,
      oldEncryptionKeys: env.DATA_ENCRYPTION_OLD_KEYS,
      // Derived, not the secret itself: a log reader who sees hashes learns nothing about the secret.
      logPseudonymKey: createHmac('sha256', env.LOG_PSEUDONYM_KEY ?? env.META_APP_SECRET)
        .update('threadline log pseudonyms')
        .digest(),
    },
    catalog:
      env.CATALOG_FEED || env.META_CATALOG_ID
        ? {
            feed: env.CATALOG_FEED,
            metaCatalogId: env.META_CATALOG_ID,
            graphAccessToken:
              env.META_CATALOG_ACCESS_TOKEN ?? env.WHATSAPP_ACCESS_TOKEN ?? env.MESSENGER_PAGE_ACCESS_TOKEN,
            refreshIntervalMs: env.CATALOG_REFRESH_MINUTES * 60_000,
          }
        : null,
    orders: { checkoutUrl: env.ORDER_CHECKOUT_URL },
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
