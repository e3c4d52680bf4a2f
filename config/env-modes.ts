import { z } from 'zod';
import { optionalString, positiveInt } from './env-values';

/**
 * The variables of auto mode and contemplating's settings, part of the one schema in env.ts
 * (kept here so that file stays readable).
 */
export const modeChoiceEnv = {
  /** a conversation's mode until the person picks one; `auto` answers each message fast or thinking */
  DEFAULT_MODE: z.enum(['auto', 'fast', 'thinking', 'contemplating']).default('auto'),
  /** a small model asked for a one-word verdict (fast or thinking) on each message in auto mode */
  LLM_MODEL_ROUTER: optionalString,
  /** the router's time budget (ms): past it, auto decides from the message's own signals */
  LLM_TIMEOUT_MS_ROUTER: positiveInt(800),
  /** contemplating: drafts written at the same time, and the token budget of each call */
  CONTEMPLATE_DRAFTS: z.coerce.number().int().min(1).max(8).default(3),
  LLM_MAX_TOKENS_CONTEMPLATING: positiveInt(2048),
};
