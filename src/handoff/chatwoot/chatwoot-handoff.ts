import type { ChatwootConfig } from '../../../config';
import type { Logger } from '../../logging';
import type { RedisClient } from '../../redis/connection';
import type { HandoffTarget } from '../handoff-target';
import { createChatwootApi, type ChatwootApi } from './chatwoot-api';
import { chatwootKept, createChatwootLinks, eraseChatwootLinks, type ChatwootLinks } from './chatwoot-links';
import { createChatwootTarget } from './chatwoot-target';

/** What both processes build from CHATWOOT_*: the worker uses the target, `web` the api and links for the webhook. */
export interface ChatwootHandoff {
  target: HandoffTarget;
  api: ChatwootApi;
  links: ChatwootLinks;
}

export function createChatwootHandoff(
  config: ChatwootConfig,
  redis: RedisClient,
  prefix: string,
  logger: Logger,
): ChatwootHandoff {
  const api = createChatwootApi(config);
  const links = createChatwootLinks(redis, prefix, config.linkTtlSeconds);
  const target = createChatwootTarget({ api, links, inboxId: Number(config.inboxId), logger });
  // The conversation's links to Chatwoot are listed by /export and go with /forget all (what is in
  // Chatwoot itself is the business's record).
  const forget = (conversation: string) => eraseChatwootLinks(redis, prefix, conversation);
  const kept = (conversation: string) => chatwootKept(redis, prefix, conversation);
  return { api, links, target: { ...target, forget, kept } };
}
