import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * The variables `npm run eval` reads itself (everything else passes through to web and worker,
 * which parse it with the product's own schema). Kept in config/ because nothing outside config/
 * reads the environment. Empty strings count as unset, as in env.ts.
 */
const optional = z.string().trim().min(1).optional();

export const evalEnvSchema = z.object({
  /** where the JSON report is written */
  EVAL_REPORT: z.string().trim().min(1).default('eval/report.json'),
  /** a model that scores each answer against the conversation's rubric (1 to 5); unset: no judge */
  EVAL_JUDGE_MODEL: optional,
  /** the judge's OpenAI-compatible API (default: LLM_BASE_URL, LLM_API_KEY) */
  EVAL_JUDGE_BASE_URL: optional,
  EVAL_JUDGE_API_KEY: optional,
  /** run only conversations whose id, mode, language or label is one of these (comma list) */
  EVAL_FILTER: optional,
  /** how long one answer may take before the conversation is scored as unanswered (ms) */
  EVAL_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000),
  /** logs of web and worker during the run */
  EVAL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('silent'),
  /** the model behind the answers; unset: the offline reference model (a harness check, not a score) */
  LLM_BASE_URL: optional,
  LLM_API_KEY: optional,
  /** only a label of the report: which backend answered */
  LLM_PROVIDER: optional,
});

export type EvalEnv = z.infer<typeof evalEnvSchema>;

export function parseEvalEnv(source: Record<string, string | undefined>): EvalEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = evalEnvSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid evaluation configuration:\n${problems}`);
  }
  return result.data;
}

/** The process environment, for `npm run eval` (the one place it is read there), with a local `.env` beneath it. */
export function evalProcessEnv(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return { ...process.env };
}
