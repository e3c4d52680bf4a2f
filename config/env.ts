import { z } from 'zod';

/**
 * The one schema for Threadline's environment. Everything outside `config/` receives the parsed
 * `Config` object; nothing else reads `process.env`. Empty strings count as "unset" so that a
 * `.env` file copied from `.env.example` with blank values behaves like a missing variable.
 */

const optionalString = z.string().trim().min(1).optional();

const url = (what: string) =>
  z
    .string()
    .trim()
    .url({ message: `must be an absolute URL (${what})` })
    .transform((value) => value.replace(/\/+$/, ''));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `host1,*.host2` → ['host1', '*.host2'] */
const hostList = z
  .string()
  .transform((value) =>
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

  META_APP_SECRET: z.string().trim().min(1, { message: 'is required (the Meta app secret)' }),
  META_VERIFY_TOKEN: z.string().trim().min(1, { message: 'is required (any string you also enter in the Meta dashboard)' }),
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
