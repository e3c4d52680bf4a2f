import { documentSettings, videoSettings } from './env-media';
import { createHmac } from 'node:crypto';
import type { Env } from './env';
import type { Config } from './config-shape';

/**
 * Each part of the Config built from the parsed variables, one function a section, so defaults
 * that derive from other variables (the thinking model falls back to the fast one) sit beside
 * the section they belong to.
 */

export function metaSettings(env: Env): Config['meta'] {
  return {
    appSecret: env.META_APP_SECRET,
    verifyToken: env.META_VERIFY_TOKEN,
    instagramAppSecret: env.INSTAGRAM_APP_SECRET ?? env.META_APP_SECRET,
    graphApiUrl: env.GRAPH_API_URL,
    graphApiVersion: env.GRAPH_API_VERSION,
    instagramGraphApiUrl: env.INSTAGRAM_GRAPH_API_URL,
    timeoutMs: env.GRAPH_TIMEOUT_MS,
  };
}

export function llmSettings(env: Env): Config['llm'] {
  return {
    baseUrl: env.LLM_BASE_URL,
    apiKey: env.LLM_API_KEY,
    provider: env.LLM_PROVIDER,
    models: { fast: env.LLM_MODEL_FAST },
    timeoutMs: env.LLM_TIMEOUT_MS,
  };
}

export function sttSettings(env: Env): Config['stt'] {
  return {
    baseUrl: env.STT_BASE_URL ?? env.LLM_BASE_URL,
    apiKey: env.STT_API_KEY ?? env.LLM_API_KEY,
    model: env.STT_MODEL,
    timeoutMs: env.STT_TIMEOUT_MS,
  };
}

export function mediaSettings(env: Env): Config['media'] {
  return {
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
    documents: documentSettings(env),
    video: videoSettings(env),
  };
}

export function modesSettings(env: Env): Config['modes'] {
  return {
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
    auto: {
      defaultChoice: env.DEFAULT_MODE,
      routerModel: env.LLM_MODEL_ROUTER,
      routerTimeoutMs: env.LLM_TIMEOUT_MS_ROUTER,
    },
  };
}

export function limitsSettings(env: Env): Config['limits'] {
  return {
    fast: env.LIMIT_FAST,
    thinking: env.LIMIT_THINKING,
    contemplating: env.LIMIT_CONTEMPLATING,
    shopping: env.LIMIT_SHOPPING,
    burst: env.LIMIT_BURST,
    globalDaily: env.LIMIT_GLOBAL_DAILY,
    exemptUsers: env.LIMIT_EXEMPT_USERS,
    userDaily: env.LIMIT_USER_DAILY,
  };
}

export function jobsSettings(env: Env): Config['jobs'] {
  return {
    lockMs: env.JOB_LOCK_MS,
    stalledIntervalMs: env.JOB_STALLED_INTERVAL_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    sendAttempts: env.SEND_ATTEMPTS,
  };
}

export function webSettings(env: Env): Config['web'] {
  return {
    headersTimeoutMs: env.WEB_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.WEB_REQUEST_TIMEOUT_MS,
    maxConnections: env.WEB_MAX_CONNECTIONS,
    refusalLogIntervalMs: env.WEB_REFUSAL_LOG_INTERVAL_MS,
  };
}

export function privacySettings(env: Env): Config['privacy'] {
  return {
    encryptionKey: env.DATA_ENCRYPTION_KEY,
    oldEncryptionKeys: env.DATA_ENCRYPTION_OLD_KEYS,
    // Derived, not the secret itself: a log reader who sees hashes learns nothing about the secret.
    logPseudonymKey: createHmac('sha256', env.LOG_PSEUDONYM_KEY ?? env.META_APP_SECRET)
      .update('threadline log pseudonyms')
      .digest(),
    // From the app secret alone: rotating the log key must not reset everyone's counters.
    counterKey: createHmac('sha256', env.META_APP_SECRET).update('threadline counters').digest(),
    linkWrongCodesPerHour: env.LINK_WRONG_CODES_PER_HOUR,
  };
}

export function catalogSettings(env: Env): Config['catalog'] {
  return env.CATALOG_FEED || env.META_CATALOG_ID
    ? {
        feed: env.CATALOG_FEED,
        metaCatalogId: env.META_CATALOG_ID,
        graphAccessToken: env.META_CATALOG_ACCESS_TOKEN ?? env.WHATSAPP_ACCESS_TOKEN ?? env.MESSENGER_PAGE_ACCESS_TOKEN,
        refreshIntervalMs: env.CATALOG_REFRESH_MINUTES * 60_000,
        feedMaxBytes: env.CATALOG_FEED_MAX_BYTES,
      }
    : null;
}
