import type { Platform } from '../core/inbound';
import type { RedisClient } from '../redis/connection';
import { allKeys, globLiteral } from '../redis/key-scan';

type AccountId = { platform: Platform; userId: string };

/**
 * A conversation's keys carry it as their hash tag: `…:{<platform>:<channel>:<id>}[:…]`
 * (src/redis/keys.ts). What is keyed by a name derived from the conversation (a handoff's handle,
 * a helpdesk's links) is found through these tags, since no key scan can find it by the id.
 */
export function conversationTagOf(key: string, account: AccountId): string | undefined {
  const tag = /\{([^}]+)\}/.exec(key)?.[1];
  const [platform, channel, ...rest] = tag?.split(':') ?? [];
  const isConversation = platform === account.platform && channel && rest.join(':') === account.userId;
  return isConversation ? tag : undefined;
}

/**
 * The account's conversations, each with the keys tagged with it: one walk of the keyspace (per
 * master on a cluster), from which a reader picks the keys it wants.
 */
export async function taggedConversations(
  redis: RedisClient,
  prefix: string,
  account: AccountId,
): Promise<Map<string, Set<string>>> {
  const pattern = `${globLiteral(prefix)}:*\\{${account.platform}:*:${globLiteral(account.userId)}\\}*`;
  const found = new Map<string, Set<string>>();
  for (const key of await allKeys(redis, pattern)) {
    const conversation = conversationTagOf(key, account);
    if (conversation) found.set(conversation, (found.get(conversation) ?? new Set<string>()).add(key));
  }
  return found;
}
