import { z } from 'zod';

/**
 * The variables `npm run sandbox` reads itself (everything else passes through to web and worker,
 * which parse it with the product's own schema). Kept in config/ because nothing outside config/
 * reads the environment. Empty strings count as unset, as in env.ts.
 */
const optional = z.string().trim().min(1).optional();

export const sandboxEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * the interface the page listens on: loopback only by default, because its API injects signed
   * messages that spend the operator's model key. `0.0.0.0` opens it to the network, deliberately.
   */
  SANDBOX_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** unset: use 127.0.0.1:6379 if it answers, else start redis-server under .sandbox/ */
  REDIS_URL: optional,
  QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default('sandbox'),
  /** a catalog of the operator's own; unset (and META_CATALOG_ID unset): the sandbox's demo shop */
  CATALOG_FEED: optional,
  META_CATALOG_ID: optional,
  /**
   * how Threadline reads the demo shop: `feed` (CATALOG_FEED; WhatsApp shows CTA cards) or
   * `commerce-manager` (META_CATALOG_ID through the emulator's catalog edge; WhatsApp shows
   * product and product-list messages)
   */
  SANDBOX_CATALOG: z.enum(['feed', 'commerce-manager']).default('feed'),
  LLM_BASE_URL: optional,
  LLM_API_KEY: optional,
  LLM_MODEL_FAST: optional,
  STT_BASE_URL: optional,
  /** where to look for a local Ollama when LLM_BASE_URL is unset */
  OLLAMA_HOST: z.string().trim().url().default('http://127.0.0.1:11434'),
  /** which Ollama model to use; default: the first one `ollama list` shows */
  OLLAMA_MODEL: optional,
  /** `false`: do not look for Ollama (tests, or to force the offline demo responder) */
  SANDBOX_DETECT_OLLAMA: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type SandboxEnv = z.infer<typeof sandboxEnvSchema>;

export function parseSandboxEnv(source: Record<string, string | undefined>): SandboxEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = sandboxEnvSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid sandbox configuration:\n${problems}`);
  }
  return result.data;
}

/** The process environment, for the sandbox launcher (the one place it is read). */
export function sandboxProcessEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
