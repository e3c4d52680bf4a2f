import { z } from 'zod';
import { optionalString, positiveInt, url } from './env-values';

/**
 * The model server's part of the environment: where it is, which backend it is (each backend
 * turns reasoning on and off its own way: src/inference/backend-presets.ts), the fast model and
 * its limits. The reasoning modes' own settings sit with the modes in env.ts.
 */

export const LLM_PROVIDERS = [
  'openai',
  'ollama',
  'vllm',
  'llamacpp',
  'groq',
  'openrouter',
  'deepseek',
  'gemini',
  'generic',
] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export const llmEnv = {
  LLM_BASE_URL: url('OpenAI-compatible API base, e.g. https://api.openai.com/v1').optional(),
  LLM_API_KEY: optionalString,
  /** unset: `generic`, switching to a named preset when the server identifies itself */
  LLM_PROVIDER: z.enum(LLM_PROVIDERS, { message: `must be one of ${LLM_PROVIDERS.join(', ')}` }).optional(),
  LLM_MODEL_FAST: optionalString,
  LLM_MODEL_THINKING: optionalString,
  LLM_TIMEOUT_MS: positiveInt(60_000),
  LLM_MAX_TOKENS: positiveInt(1024),
  SYSTEM_PROMPT: optionalString,
};
