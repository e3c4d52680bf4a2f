import { existsSync } from 'node:fs';
import { ConfigError, parseEnv, type Env, type LimitSpec } from './env';

export { ConfigError, parseEnv, parseLimitSpec, type Env, type LimitSpec } from './env';

/** How one mode answers (issue 4). */
export interface ModeConfig {
  model: string | undefined;
  /** undefined: the built-in prompt for the mode */
  systemPrompt: string | undefined;
  maxTokens: number;
  timeoutMs: number;
  reasoningEffort: Env['LLM_REASONING_EFFORT_THINKING'];
}

/**
 * The parsed environment, arranged by the part of the system that uses it. Defaults that depend
 * on other variables (Instagram's secret, the speech-to-text endpoint) are resolved here, once.
 */
export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  log: { level: Env['LOG_LEVEL']; messageContent: boolean };
  redis: { url: string; prefix: string };
  meta: {
    appSecret: string;
    verifyToken: string;
    instagramAppSecret: string;
    graphApiUrl: string;
    graphApiVersion: string;
    instagramGraphApiUrl: string;
    timeoutMs: number;
  };
  /** A channel whose token is unset is off: its webhook routes answer 404 and nothing is sent. */
  channels: {
    whatsapp: { accessToken: string } | null;
    messenger: { accessToken: string } | null;
    instagram: { accessToken: string } | null;
  };
  mediaAllowedHosts: string[];
  llm: {
    baseUrl: string | undefined;
    apiKey: string | undefined;
    models: { fast: string | undefined; thinking: string | undefined };
    timeoutMs: number;
    maxTokens: number;
    systemPrompt: string | undefined;
  };
  stt: { baseUrl: string | undefined; apiKey: string | undefined; model: string; timeoutMs: number };
  media: {
    maxAudioBytes: number;
    maxImageBytes: number;
    downloadTimeoutMs: number;
    voiceNoteMaxSeconds: number;
    transcodeTimeoutMs: number;
    imageMaxSidePx: number;
    imageMaxOutputBytes: number;
    mergeWindowMs: number;
    ffmpegPath: string | undefined;
  };
  history: { maxTurns: number; maxChars: number; ttlSeconds: number };
  dedupeTtlSeconds: number;
  webhookBodyLimitBytes: number;
  concurrency: { turns: number; sends: number };
  turnRetry: { attempts: number; delayMs: number };
  // --- issue 4: modes, commands and fair-use limits ---
  modes: {
    fast: ModeConfig;
    thinking: ModeConfig;
    contemplating: ModeConfig & { drafts: number };
  };
  /** null = that limit is off */
  limits: {
    fast: LimitSpec | null;
    thinking: LimitSpec | null;
    contemplating: LimitSpec | null;
    burst: LimitSpec | null;
    globalDaily: LimitSpec | null;
    /** userIds or platform:userId */
    exemptUsers: string[];
  };
  signsOfLife: { typingRefreshMs: number; thinkingNoteAfterMs: number };
  /** BullMQ lock and stall settings, shutdown grace, send retries (issue 5) */
  jobs: { lockMs: number; stalledIntervalMs: number; shutdownGraceMs: number; sendAttempts: number };
  /** the shopping catalog: null when neither a feed nor a Meta catalog is configured */
  catalog: {
    feed: string | undefined;
    metaCatalogId: string | undefined;
    /** the token that reads META_CATALOG_ID through the Graph API */
    graphAccessToken: string | undefined;
    refreshIntervalMs: number;
  } | null;
  shoppingLimit: LimitSpec | null;
  orders: { checkoutUrl: string | undefined };
}

export function buildConfig(env: Env): Config {
  const channel = (token: string | undefined) => (token ? { accessToken: token } : null);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    log: { level: env.LOG_LEVEL, messageContent: env.LOG_MESSAGE_CONTENT },
    redis: { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX },
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
      models: { fast: env.LLM_MODEL_FAST, thinking: env.LLM_MODEL_THINKING ?? env.LLM_MODEL_FAST },
      timeoutMs: env.LLM_TIMEOUT_MS,
      maxTokens: env.LLM_MAX_TOKENS,
      systemPrompt: env.SYSTEM_PROMPT,
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
    },
    history: {
      maxTurns: env.HISTORY_MAX_TURNS,
      maxChars: env.HISTORY_MAX_CHARS,
      ttlSeconds: env.HISTORY_TTL_DAYS * 24 * 3600,
    },
    dedupeTtlSeconds: env.DEDUPE_TTL_HOURS * 3600,
    webhookBodyLimitBytes: env.WEBHOOK_BODY_LIMIT_BYTES,
    concurrency: { turns: env.TURN_CONCURRENCY, sends: env.SEND_CONCURRENCY },
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
    },
    limits: {
      fast: env.LIMIT_FAST,
      thinking: env.LIMIT_THINKING,
      contemplating: env.LIMIT_CONTEMPLATING,
      burst: env.LIMIT_BURST,
      globalDaily: env.LIMIT_GLOBAL_DAILY,
      exemptUsers: env.LIMIT_EXEMPT_USERS,
    },
    signsOfLife: { typingRefreshMs: env.TYPING_REFRESH_MS, thinkingNoteAfterMs: env.THINKING_NOTE_AFTER_MS },
    jobs: {
      lockMs: env.JOB_LOCK_MS,
      stalledIntervalMs: env.JOB_STALLED_INTERVAL_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      sendAttempts: env.SEND_ATTEMPTS,
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
    shoppingLimit: env.LIMIT_SHOPPING,
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
