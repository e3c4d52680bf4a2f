import { z } from 'zod';

/**
 * The one schema for Threadline's environment. Everything outside `config/` receives the parsed
 * `Config` object; nothing else reads `process.env`. Empty strings count as "unset" so that a
 * `.env` file copied from `.env.example` with blank values behaves like a missing variable.
 */

const optionalString = z.string().trim().min(1).optional();

const requiredString = (what: string) =>
  z
    .string({ error: `is required (${what})` })
    .trim()
    .min(1, { error: `is required (${what})` });

const url = (what: string) =>
  z
    .string()
    .trim()
    .url({ message: `must be an absolute URL (${what})` })
    .transform((value) => value.replace(/\/+$/, ''));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `host1,*.host2` → ['host1', '*.host2'] */
const hostList = z.string().transform((value) =>
  value
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host.length > 0),
);

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const DEFAULT_MEDIA_HOSTS =
  'lookaside.fbsbx.com,*.fbsbx.com,*.fbcdn.net,*.cdninstagram.com,graph.facebook.com,graph.instagram.com';

// --- issue 4: modes, commands and fair-use limits ---

/** A fair-use limit: `count` turns per `windowSeconds`, or null when switched off. */
export interface LimitSpec {
  count: number;
  windowSeconds: number;
}

const WINDOW_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `60/1h`, `5/1d`, `10/30s`, `3/m` (window defaults to 1 unit), or `off`. */
export function parseLimitSpec(value: string): LimitSpec | null | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'off' || text === 'none' || text === 'unlimited') return null;
  const match = /^(\d+)\s*\/\s*(\d*)\s*([smhd])$/.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  const windowSeconds = Number(match[2] || '1') * WINDOW_UNITS[match[3]!]!;
  if (count < 1 || windowSeconds < 1) return undefined;
  return { count, windowSeconds };
}

const limitSpec = z.string().transform((value, ctx) => {
  const spec = parseLimitSpec(value);
  if (spec === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a limit: write <count>/<window> such as 60/1h, 5/1d or 10/30s (units s, m, h, d), or off`,
    });
    return z.NEVER;
  }
  return spec;
});

/** A daily budget: a bare count (`5000`) means per day; `off` switches it off. */
const dailyBudget = z.string().transform((value, ctx) => {
  const trimmed = value.trim();
  const spec = /^\d+$/.test(trimmed) ? parseLimitSpec(`${trimmed}/1d`) : parseLimitSpec(trimmed);
  if (spec === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a daily budget: write a count such as 5000, or off` });
    return z.NEVER;
  }
  return spec;
});

const reasoningEffort = z.enum(['none', 'minimal', 'low', 'medium', 'high']).optional();

/** `123,whatsapp:16505551234` → ['123', 'whatsapp:16505551234'] (ids are case-sensitive) */
const idList = z.string().transform((value) =>
  value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0),
);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: logLevel.default('info'),
  /** When true, message text and model answers appear in debug logs. Off by default: privacy. */
  LOG_MESSAGE_CONTENT: booleanFlag.default(false),

  REDIS_URL: url('redis://host:port').default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]+$/, { message: 'letters, digits, "_", "." and "-" only' })
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
  /** ffmpeg binary; unset = the one @ffmpeg-installer/ffmpeg ships for this platform. */
  FFMPEG_PATH: optionalString,
  MEDIA_MERGE_WINDOW_MS: z.coerce.number().int().min(0).default(4000),

  LLM_BASE_URL: url('OpenAI-compatible API base, e.g. https://api.openai.com/v1').optional(),
  LLM_API_KEY: optionalString,
  LLM_MODEL_FAST: optionalString,
  LLM_MODEL_THINKING: optionalString,
  LLM_TIMEOUT_MS: positiveInt(60_000),
  LLM_MAX_TOKENS: positiveInt(1024),
  SYSTEM_PROMPT: optionalString,

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
  TURN_CONCURRENCY: positiveInt(8),
  SEND_CONCURRENCY: positiveInt(16),

  // --- issue 4: modes, commands and fair-use limits ---
  /** contemplating drafts and synthesises with this model (default: the thinking model) */
  LLM_MODEL_CONTEMPLATING: optionalString,
  SYSTEM_PROMPT_THINKING: optionalString,
  SYSTEM_PROMPT_CONTEMPLATING: optionalString,
  LLM_MAX_TOKENS_THINKING: positiveInt(4096),
  LLM_MAX_TOKENS_CONTEMPLATING: positiveInt(2048),
  LLM_TIMEOUT_MS_THINKING: positiveInt(120_000),
  LLM_TIMEOUT_MS_CONTEMPLATING: positiveInt(120_000),
  /** sent as `reasoning_effort` where set; leave unset for servers that do not know it */
  LLM_REASONING_EFFORT_THINKING: reasoningEffort,
  LLM_REASONING_EFFORT_CONTEMPLATING: reasoningEffort,
  CONTEMPLATE_DRAFTS: z.coerce.number().int().min(1).max(8).default(3),
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

  // --- shopping: the catalog and orders (docs/shopping.md) ---
  /** a product feed in Meta's format: a file path or an https URL */
  CATALOG_FEED: optionalString,
  CATALOG_REFRESH_MINUTES: positiveInt(60),
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
