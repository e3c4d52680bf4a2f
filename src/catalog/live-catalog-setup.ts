import type { RedisClient } from '../redis/connection';
import type { Config } from '../../config';
import type { Logger } from '../logging';
import { createGraphClient } from '../platforms/graph-client';
import { feedCatalogSource, graphCatalogSource, type CatalogSource } from './catalog-sources';
import { FEED_TIMEOUT_MS } from './feed-source';
import { LiveCatalog } from './live-catalog';
import { CatalogSnapshotStore } from './snapshot-store';

/**
 * The worker's catalog as the configuration describes it: a Commerce Manager catalog when
 * META_CATALOG_ID is set (WhatsApp product messages can then name its items), else CATALOG_FEED;
 * null when there is neither (shopping mode then says plainly that there is no catalog).
 */

/** How often each worker checks whether another process wrote a newer snapshot. */
const FOLLOW_INTERVAL_MS = 15_000;
/** A refresh holds its lock at most this long; a longer load lets another process try. */
const REFRESH_LOCK_MS = 5 * 60_000;

export function catalogSourceFromConfig(config: Config): CatalogSource | undefined {
  const catalog = config.catalog;
  if (!catalog) return undefined;
  if (catalog.metaCatalogId && catalog.graphAccessToken) {
    const graph = createGraphClient({
      baseUrl: config.meta.graphApiUrl,
      version: config.meta.graphApiVersion,
      accessToken: catalog.graphAccessToken,
      timeoutMs: config.meta.timeoutMs,
    });
    return graphCatalogSource(graph, catalog.metaCatalogId);
  }
  return catalog.feed
    ? feedCatalogSource(catalog.feed, { timeoutMs: FEED_TIMEOUT_MS, maxBytes: catalog.feedMaxBytes })
    : undefined;
}

export function createLiveCatalog(config: Config, redis: RedisClient, logger: Logger): LiveCatalog | null {
  const source = catalogSourceFromConfig(config);
  if (!source) return null;
  return new LiveCatalog({
    store: new CatalogSnapshotStore(redis, config.redis.prefix),
    source,
    refreshIntervalMs: config.catalog!.refreshIntervalMs,
    followIntervalMs: FOLLOW_INTERVAL_MS,
    refreshLockMs: REFRESH_LOCK_MS,
    logger,
  });
}
