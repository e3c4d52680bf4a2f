import { z } from 'zod';
import {
  DEFAULT_MEDIA_HOSTS,
  booleanFlag,
  dailyBudget,
  encryptionKey,
  encryptionKeyList,
  hostList,
  idList,
  limitSpec,
  logLevel,
  onOffFlag,
  optionalString,
  positiveInt,
  reasoningEffort,
  requiredString,
  shippedLanguage,
  url,
} from './env-values';
import { llmEnv } from './env-llm';
import { operationsEnv } from './env-operations';
import { modeChoiceEnv } from './env-modes';
import { clusterNodeList, redisUrl } from './redis-target';
import { knowledgeEnvShape } from './env-knowledge';
import { answersEnvShape } from './env-answers';
import { chatwootEnvShape } from './env-chatwoot';
import { remindersEnvShape } from './env-reminders';
import { handoffEnvShape } from './env-handoff';
import { mediaKindsEnvShape } from './env-media';

export { parseLimitSpec, type LimitSpec } from './env-values';

/**
 * The one schema for Threadline's environment. Everything outside `config/` receives the parsed
 * `Config` object; nothing else reads `process.env`. Empty strings count as "unset" so that a
 * `.env` file copied from `.env.example` with blank values behaves like a missing variable.
 */

export const envSchema = z.object({
  /** unset means production: nothing behaves as in development unless asked to */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: logLevel.default('info'),
  /** When true, message text and model answers appear in debug logs. Off by default: privacy. */
  LOG_MESSAGE_CONTENT: booleanFlag.default(false),

  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER_NODES: clusterNodeList.optional(),
  /** `{…}` is a Redis Cluster hash tag: allowed (as BullMQ's docs show it), once, around a plain name. */
  QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]*(?:\{[A-Za-z0-9_.-]+\}[A-Za-z0-9_.-]*)?$/, {
      message: 'letters, digits, "_", "." and "-" only, optionally one {hash tag}',
    })
    .refine((value) => value !== '', { message: 'must not be empty' })
    .default('threadline'),

  META_APP_SECRET: requiredString('the app secret from App settings > Basic'),
  META_VERIFY_TOKEN: requiredString('any string; enter the same one in the Meta dashboard'),
  INSTAGRAM_APP_SECRET: optionalString,

  GRAPH_API_URL: url('Graph API base').default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z
    .string()
    .trim()
    .regex(/^v\d+\.\d+$/, { message: 'must look like v25.0' })
    .default('v25.0'),
  INSTAGRAM_GRAPH_API_URL: url('Instagram Graph API base').default('https://graph.instagram.com'),
  GRAPH_TIMEOUT_MS: positiveInt(15_000),

  WHATSAPP_ACCESS_TOKEN: optionalString,
  MESSENGER_PAGE_ACCESS_TOKEN: optionalString,
  INSTAGRAM_ACCESS_TOKEN: optionalString,

  MEDIA_ALLOWED_HOSTS: z.string().default(DEFAULT_MEDIA_HOSTS).pipe(hostList),
  /** Download caps (WhatsApp's own limits: audio 16 MB, image 5 MB) and the time one download may take. */
  MEDIA_MAX_AUDIO_BYTES: positiveInt(16 * 1024 * 1024),
  MEDIA_MAX_IMAGE_BYTES: positiveInt(5 * 1024 * 1024),
  MEDIA_DOWNLOAD_TIMEOUT_MS: positiveInt(20_000),
  /** Longest voice note transcribed; ffmpeg is killed after MEDIA_TRANSCODE_TIMEOUT_MS. */
  VOICE_NOTE_MAX_SECONDS: positiveInt(300),
  MEDIA_TRANSCODE_TIMEOUT_MS: positiveInt(30_000),
  /** Photos reach the model as JPEG with the longest side at most this many pixels. */
  IMAGE_MAX_SIDE_PX: positiveInt(1568),
  IMAGE_MAX_OUTPUT_BYTES: positiveInt(1536 * 1024),
  /** A photo and a text this close together are one turn. Only photos wait for it; text never does. */
  /** ffmpeg binary; unset = a system `ffmpeg` of version 5 or newer, else the bundled 2018 build. */
  FFMPEG_PATH: optionalString,
  MEDIA_MERGE_WINDOW_MS: z.coerce.number().int().min(0).default(4000),
  /** Images whose header declares more pixels (width × height) are refused before ffmpeg runs. */
  MEDIA_MAX_IMAGE_PIXELS: positiveInt(40_000_000),
  /** Voice notes and photos one turn may carry (a merged photo + question counts them together). */
  MEDIA_MAX_ATTACHMENTS: positiveInt(5),
  /** ffmpeg processes at once per worker process. */
  MEDIA_CONCURRENCY: positiveInt(2),
  /** Memory ceiling (RLIMIT_DATA, MB) of each ffmpeg process, applied with prlimit; 0 = none. */
  MEDIA_FFMPEG_MAX_MEMORY_MB: z.coerce.number().int().min(0).default(768),

  ...llmEnv,

  STT_BASE_URL: url('OpenAI-compatible API base for /audio/transcriptions').optional(),
  STT_API_KEY: optionalString,
  STT_MODEL: z.string().trim().min(1).default('whisper-1'),
  STT_TIMEOUT_MS: positiveInt(60_000),

  HISTORY_MAX_TURNS: positiveInt(20),
  HISTORY_MAX_CHARS: positiveInt(24_000),
  HISTORY_TTL_DAYS: positiveInt(30),
  /** How long "this message was answered" is remembered. Meta redelivers for up to 7 days. */
  DEDUPE_TTL_HOURS: positiveInt(24 * 8),

  /** Tries per turn (a model timeout or 5xx is retried), and the first retry's delay (doubling). */
  TURN_ATTEMPTS: positiveInt(4),
  TURN_RETRY_DELAY_MS: positiveInt(2000),

  /**
   * BullMQ job lock (ms), renewed every half while a job runs, so long model calls keep it; it
   * only bounds how soon a killed worker's job is picked up again. Also the conversation lock TTL.
   */
  JOB_LOCK_MS: positiveInt(30_000),
  /** How often workers look for jobs whose worker died (stalled jobs). */
  JOB_STALLED_INTERVAL_MS: positiveInt(15_000),
  /** On SIGTERM, how long jobs in flight may run before they are handed back to the queue. */
  SHUTDOWN_GRACE_MS: positiveInt(20_000),
  /** Tries per send job (transient Graph failures back off up to a minute between tries). */
  SEND_ATTEMPTS: positiveInt(15),

  WEBHOOK_BODY_LIMIT_BYTES: positiveInt(1024 * 1024),
  /**
   * Turns one worker process runs at once. A turn spends almost all its time waiting on the model,
   * so hundreds fit: each text turn in flight holds tens of KB (docs/capacity.md).
   */
  TURN_CONCURRENCY: positiveInt(500),
  /** Turns with voice notes or photos in flight at once per worker: they hold the media's bytes. */
  MEDIA_READ_CONCURRENCY: positiveInt(16),
  /** Send jobs at once per worker. */
  SEND_CONCURRENCY: positiveInt(64),

  // --- modes, commands and fair-use limits ---
  /** contemplating drafts and synthesises with this model (default: the thinking model) */
  LLM_MODEL_CONTEMPLATING: optionalString,
  SYSTEM_PROMPT_THINKING: optionalString,
  SYSTEM_PROMPT_CONTEMPLATING: optionalString,
  LLM_MAX_TOKENS_THINKING: positiveInt(4096),
  LLM_TIMEOUT_MS_THINKING: positiveInt(120_000),
  LLM_TIMEOUT_MS_CONTEMPLATING: positiveInt(120_000),
  /** how hard the reasoning modes think, as LLM_PROVIDER's reasoning switch carries it (docs/backends.md) */
  LLM_REASONING_EFFORT_THINKING: reasoningEffort,
  LLM_REASONING_EFFORT_CONTEMPLATING: reasoningEffort,
  ...modeChoiceEnv,
  /** a reasoning turn still running after this long sends a short "still thinking" note; 0 = never */
  THINKING_NOTE_AFTER_MS: z.coerce.number().int().min(0).default(8000),
  /** how often the typing indicator is refreshed during a long turn (WhatsApp's lasts 25 s) */
  TYPING_REFRESH_MS: positiveInt(20_000),
  LIMIT_FAST: z.string().default('60/1h').pipe(limitSpec),
  LIMIT_THINKING: z.string().default('20/1d').pipe(limitSpec),
  LIMIT_CONTEMPLATING: z.string().default('5/1d').pipe(limitSpec),
  /** across modes, per user: protects against floods and scripts */
  LIMIT_BURST: z.string().default('8/1m').pipe(limitSpec),
  /** model turns per day for the whole deployment */
  LIMIT_GLOBAL_DAILY: z.string().default('5000').pipe(dailyBudget),
  LIMIT_EXEMPT_USERS: z.string().default('').pipe(idList),

  ...operationsEnv,
  // --- privacy: encryption at rest, pseudonymous logs, Meta's deletion callback, profile ---
  /** who runs the assistant: the Messenger greeting and the first-contact notice name it */
  BUSINESS_NAME: optionalString,
  /** whether the first reply to a person on each platform says they are talking to an AI assistant */
  AI_DISCLOSURE: z.string().default('on').pipe(onOffFlag),
  /** the language of fixed texts for a person whose own is not known yet (ISO 639-1) */
  DEFAULT_LANGUAGE: z.string().trim().toLowerCase().default('en').pipe(shippedLanguage),
  /** a remembered fact not used for this many days is forgotten */
  MEMORY_TTL_DAYS: positiveInt(180),
  /** AES-256-GCM key (32 bytes, base64) for what is stored; unset: stored as plaintext */
  DATA_ENCRYPTION_KEY: encryptionKey.optional(),
  /** earlier keys, comma list: still read, never written */
  DATA_ENCRYPTION_OLD_KEYS: z.string().default('').pipe(encryptionKeyList),
  /** key of the hash that stands for user ids in logs; unset: derived from META_APP_SECRET */
  LOG_PSEUDONYM_KEY: optionalString,
  /** wrong /link codes the whole deployment accepts an hour; past it every code is refused until the hour is over */
  LINK_WRONG_CODES_PER_HOUR: positiveInt(1000),
  /** https origin Meta and people reach `web` at (status links); unset: the request's Host */
  PUBLIC_BASE_URL: url('the https origin of web, e.g. https://bot.example.com').optional(),
  /**
   * one person's model turns a day across all modes (a bare count means per day). Without it the
   * mode limits allow 24 × 60 + 20 + 5 = 1,465 a day, so four people could empty the global budget.
   */
  LIMIT_USER_DAILY: z.string().default('150').pipe(dailyBudget),
  // --- shopping: the catalog and orders (docs/shopping.md) ---
  /** a product feed in Meta's format: a file path or an https URL */
  CATALOG_FEED: optionalString,
  CATALOG_REFRESH_MINUTES: positiveInt(60),
  /** a larger feed is refused (the last good catalog stays); its download stops at this size */
  CATALOG_FEED_MAX_BYTES: positiveInt(50 * 1024 * 1024),
  /** a Commerce Manager catalog read through the Graph API; wins over CATALOG_FEED when both are set */
  META_CATALOG_ID: z
    .string()
    .trim()
    .regex(/^\d+$/, { message: 'must be the numeric catalog id from Commerce Manager' })
    .optional(),
  /** token that may read the catalog (catalog_management); default: WHATSAPP_ACCESS_TOKEN, else the Page token */
  META_CATALOG_ACCESS_TOKEN: optionalString,
  LIMIT_SHOPPING: z.string().default('30/1h').pipe(limitSpec),
  ORDER_CHECKOUT_URL: url('where an order goes next, e.g. https://shop.example/checkout').optional(),
  ...knowledgeEnvShape,
  ...answersEnvShape,
  ...chatwootEnvShape,
  ...remindersEnvShape,
  ...handoffEnvShape,
  ...mediaKindsEnvShape,
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function withoutBlanks(source: Record<string, string | undefined>): Record<string, string> {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value;
  }
  return cleaned;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(withoutBlanks(source));
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return result.data;
}
