import { z } from 'zod';
import { ConfigError, type Env } from './env';
import { onOffFlag, optionalString, url } from './env-values';

/**
 * How answers use the business's knowledge and the open web (docs/knowledge.md): strict mode,
 * and the optional web search. Spread into the one environment schema.
 */

export const answersEnvShape = {
  /** on: questions about the business are answered only from its passages, else "I don't know" */
  KNOWLEDGE_STRICT: z.string().default('off').pipe(onOffFlag),
  /** unset: no web search; the model gets a `search_web` tool otherwise */
  WEB_SEARCH: z.enum(['searxng', 'brave']).optional(),
  /** SearXNG: the instance's base URL (required); Brave: overrides https://api.search.brave.com */
  WEB_SEARCH_URL: url('web search base URL, e.g. https://search.example.com').optional(),
  /** Brave Search API subscription token (required for brave) */
  WEB_SEARCH_API_KEY: optionalString,
  WEB_SEARCH_TIMEOUT_MS: z.coerce.number().int().positive().default(8000),
};

type AnswersEnv = Pick<Env, keyof typeof answersEnvShape>;

export type WebSearchConfig =
  | { provider: 'searxng'; baseUrl: string; timeoutMs: number }
  | { provider: 'brave'; baseUrl: string; apiKey: string; timeoutMs: number };

export interface AnswersConfig {
  /** KNOWLEDGE_STRICT */
  strict: boolean;
  /** null: no `search_web` tool */
  webSearch: WebSearchConfig | null;
}

export const BRAVE_SEARCH_URL = 'https://api.search.brave.com';

function webSearchSettings(env: AnswersEnv): WebSearchConfig | null {
  const timeoutMs = env.WEB_SEARCH_TIMEOUT_MS;
  if (env.WEB_SEARCH === 'searxng') {
    if (!env.WEB_SEARCH_URL) throw new ConfigError(['WEB_SEARCH_URL: is required with WEB_SEARCH=searxng']);
    return { provider: 'searxng', baseUrl: env.WEB_SEARCH_URL, timeoutMs };
  }
  if (env.WEB_SEARCH === 'brave') {
    if (!env.WEB_SEARCH_API_KEY) throw new ConfigError(['WEB_SEARCH_API_KEY: is required with WEB_SEARCH=brave']);
    const baseUrl = env.WEB_SEARCH_URL ?? BRAVE_SEARCH_URL;
    return { provider: 'brave', baseUrl, apiKey: env.WEB_SEARCH_API_KEY, timeoutMs };
  }
  return null;
}

export function answersSettings(env: AnswersEnv): AnswersConfig {
  return { strict: env.KNOWLEDGE_STRICT, webSearch: webSearchSettings(env) };
}
