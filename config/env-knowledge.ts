import { z } from 'zod';
import { optionalString, positiveInt, url } from './env-values';

/**
 * The business's own knowledge (docs/knowledge.md): where its documents are, how often they are
 * re-read, the ceilings that keep a hostile document from hurting a worker, and the optional
 * embeddings endpoint. Spread into the one environment schema.
 */

/** `docs/,https://shop.example/sitemap.xml` → ['docs/', 'https://shop.example/sitemap.xml'] */
const sourceList = z.string().transform((value) =>
  value
    .split(',')
    .map((source) => source.trim())
    .filter((source) => source.length > 0),
);

export const knowledgeEnvShape = {
  /** files, folders and https URLs (a page or a sitemap.xml), comma-separated; unset: no knowledge */
  KNOWLEDGE_SOURCES: sourceList.optional(),
  KNOWLEDGE_REFRESH_MINUTES: positiveInt(60),
  /** one document (a page, a file) larger than this is skipped; its download stops at this size */
  KNOWLEDGE_MAX_BYTES: positiveInt(20 * 1024 * 1024),
  /** pages read from one sitemap at most */
  KNOWLEDGE_MAX_PAGES: positiveInt(500),
  /** a PDF is read by a child process killed after this long, with at most this much memory */
  KNOWLEDGE_PDF_TIMEOUT_MS: positiveInt(30_000),
  /** below 128 MB Node itself does not start */
  KNOWLEDGE_PDF_MAX_MEMORY_MB: z.coerce.number().int().min(128).default(256),
  /** unset: lexical search only */
  EMBEDDINGS_MODEL: optionalString,
  /** default: LLM_BASE_URL and LLM_API_KEY */
  EMBEDDINGS_BASE_URL: url('OpenAI-compatible API base serving /embeddings').optional(),
  EMBEDDINGS_API_KEY: optionalString,
};

const knowledgeEnv = z.object(knowledgeEnvShape);
type KnowledgeEnv = z.infer<typeof knowledgeEnv> & {
  LLM_BASE_URL?: string | undefined;
  LLM_API_KEY?: string | undefined;
};

export interface KnowledgeConfig {
  sources: string[];
  refreshIntervalMs: number;
  maxBytes: number;
  maxPages: number;
  pdf: { timeoutMs: number; maxMemoryMb: number };
  /** null: lexical search only; a model without a base URL is reported at start and searched lexically */
  embeddings: { model: string; baseUrl: string | undefined; apiKey: string | undefined } | null;
}

/** The knowledge section of the Config: null when KNOWLEDGE_SOURCES is unset. */
export function knowledgeSettings(env: KnowledgeEnv): KnowledgeConfig | null {
  if (!env.KNOWLEDGE_SOURCES || env.KNOWLEDGE_SOURCES.length === 0) return null;
  const baseUrl = env.EMBEDDINGS_BASE_URL ?? env.LLM_BASE_URL;
  return {
    sources: env.KNOWLEDGE_SOURCES,
    refreshIntervalMs: env.KNOWLEDGE_REFRESH_MINUTES * 60_000,
    maxBytes: env.KNOWLEDGE_MAX_BYTES,
    maxPages: env.KNOWLEDGE_MAX_PAGES,
    pdf: { timeoutMs: env.KNOWLEDGE_PDF_TIMEOUT_MS, maxMemoryMb: env.KNOWLEDGE_PDF_MAX_MEMORY_MB },
    embeddings: env.EMBEDDINGS_MODEL
      ? { model: env.EMBEDDINGS_MODEL, baseUrl, apiKey: env.EMBEDDINGS_API_KEY ?? env.LLM_API_KEY }
      : null,
  };
}

/**
 * The settings `npm run knowledge:check` reads with: the sources it is given, the rest from the
 * environment when set (the ceilings the workers would use), else the defaults.
 */
export function knowledgeCheckSettings(
  sources: string[],
  source: Record<string, string | undefined> = process.env,
): KnowledgeConfig {
  const picked = Object.fromEntries(
    Object.keys(knowledgeEnvShape)
      .filter((name) => name !== 'KNOWLEDGE_SOURCES' && source[name]?.trim())
      .map((name) => [name, source[name]]),
  );
  return knowledgeSettings({ ...knowledgeEnv.parse(picked), KNOWLEDGE_SOURCES: sources })!;
}
