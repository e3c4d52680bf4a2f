import type { KnowledgeConfig } from '../../config';
import type { Logger } from '../logging';
import type { RedisClient } from '../redis/connection';
import { createEmbedder, type Embedder } from './embeddings';
import { LiveKnowledge } from './live-knowledge';
import { DOWNLOAD_TIMEOUT_MS, type ReadLimits } from './read-limits';
import { KnowledgeSnapshotStore } from './snapshot-store';

/**
 * The worker's knowledge base as the configuration describes it (KNOWLEDGE_SOURCES, refresh,
 * ceilings, EMBEDDINGS_*), started: loaded from Redis, or read from the sources by the first
 * process to take the refresh lock. Null when no source is configured: nothing is read, nothing
 * is stored, and `search_knowledge` has nothing to offer.
 */

/** How often each worker checks whether another process wrote a newer snapshot. */
const FOLLOW_INTERVAL_MS = 15_000;
/** A refresh holds its lock at most this long; a longer read lets another process try. */
const REFRESH_LOCK_MS = 10 * 60_000;
/** One embeddings request: a batch of passages while refreshing, or one query during a turn. */
const EMBEDDINGS_TIMEOUT_MS = 20_000;
/** How long a starting worker waits for the knowledge base before it takes turns anyway. */
const BOOT_WAIT_MS = 30_000;

export function readLimitsFrom(knowledge: KnowledgeConfig): ReadLimits {
  return {
    maxBytes: knowledge.maxBytes,
    maxPages: knowledge.maxPages,
    downloadTimeoutMs: DOWNLOAD_TIMEOUT_MS,
    child: { timeoutMs: knowledge.pdf.timeoutMs, maxMemoryMb: knowledge.pdf.maxMemoryMb },
  };
}

function embedderFrom(knowledge: KnowledgeConfig, logger: Logger): Embedder | undefined {
  const embeddings = knowledge.embeddings;
  if (!embeddings) return undefined;
  if (!embeddings.baseUrl) {
    logger.warn('EMBEDDINGS_MODEL is set but neither EMBEDDINGS_BASE_URL nor LLM_BASE_URL: searching by words alone');
    return undefined;
  }
  return createEmbedder({ ...embeddings, baseUrl: embeddings.baseUrl, timeoutMs: EMBEDDINGS_TIMEOUT_MS });
}

export function createLiveKnowledge(
  config: { knowledge: KnowledgeConfig | null; redis: { prefix: string } },
  redis: RedisClient,
  logger: Logger,
): LiveKnowledge | null {
  const knowledge = config.knowledge;
  if (!knowledge) return null;
  return new LiveKnowledge({
    store: new KnowledgeSnapshotStore(redis, config.redis.prefix),
    sources: knowledge.sources,
    limits: readLimitsFrom(knowledge),
    embedder: embedderFrom(knowledge, logger),
    refreshIntervalMs: knowledge.refreshIntervalMs,
    followIntervalMs: FOLLOW_INTERVAL_MS,
    refreshLockMs: REFRESH_LOCK_MS,
    logger,
  });
}

/**
 * Creates and starts the knowledge base; resolves once it is loaded, or after a bounded wait (the
 * first read of a large site can take minutes: turns start meanwhile and search finds nothing).
 */
export async function startKnowledge(
  config: { knowledge: KnowledgeConfig | null; redis: { prefix: string } },
  redis: RedisClient,
  logger: Logger,
  bootWaitMs = BOOT_WAIT_MS,
): Promise<LiveKnowledge | null> {
  const live = createLiveKnowledge(config, redis, logger);
  if (!live) return null;
  let timer: NodeJS.Timeout | undefined;
  const started = live.start().catch((error: unknown) => {
    logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'knowledge did not start');
  });
  await Promise.race([started, new Promise((resolve) => (timer = setTimeout(resolve, bootWaitMs)))]);
  clearTimeout(timer);
  return live;
}
