import type { Config } from '../../config';
import type { Platform } from '../core/inbound';
import type { Logger } from '../logging';
import { createGraphClient, type GraphClient } from '../platforms/graph-client';
import type { RedisClient } from '../redis/connection';
import { createChatwootHandoff, type ChatwootHandoff } from './chatwoot/chatwoot-handoff';
import type { HandoffTarget } from './handoff-target';
import { createMetaInboxTarget } from './meta-inbox';

/**
 * The targets besides the plain webhook, as both processes build them: Chatwoot where
 * CHATWOOT_BASE_URL is set (its API and links too, which `web` needs for Chatwoot's webhook), and
 * Meta's own inbox for the Messenger and Instagram channels that are on. HANDOFF_TARGET decides
 * which of them are used (build-desk.ts).
 */
export function otherHandoffTargets(
  config: Config,
  redis: RedisClient,
  logger: Logger,
): { targets: HandoffTarget[]; chatwoot?: ChatwootHandoff } {
  const chatwoot = config.chatwoot
    ? createChatwootHandoff(config.chatwoot, redis, config.redis.prefix, logger.child({ target: 'chatwoot' }))
    : undefined;
  const metaInbox = createMetaInboxTarget({ graphFor: pageGraphs(config), logger });
  return { targets: [...(chatwoot ? [chatwoot.target] : []), metaInbox], ...(chatwoot ? { chatwoot } : {}) };
}

/** The Graph client of Messenger's Page and of the Instagram account, where their channel is on. */
function pageGraphs(config: Config): (platform: Platform) => GraphClient | undefined {
  const { meta, channels } = config;
  const client = (baseUrl: string, accessToken: string) =>
    createGraphClient({ baseUrl, version: meta.graphApiVersion, accessToken, timeoutMs: meta.timeoutMs });
  const graphs = new Map<Platform, GraphClient>();
  if (channels.messenger) graphs.set('messenger', client(meta.graphApiUrl, channels.messenger.accessToken));
  if (channels.instagram) graphs.set('instagram', client(meta.instagramGraphApiUrl, channels.instagram.accessToken));
  return (platform) => graphs.get(platform);
}
