import type { Platform } from '../core/inbound';

/**
 * A conversation's keys carry it as their hash tag: `…:{<platform>:<channel>:<id>}[:…]`
 * (src/redis/keys.ts). What is keyed by a name derived from the conversation (a handoff's handle,
 * a helpdesk's links) is found through these tags, since no key scan can find it by the id.
 */
export function conversationTagOf(key: string, account: { platform: Platform; userId: string }): string | undefined {
  const tag = /\{([^}]+)\}/.exec(key)?.[1];
  const [platform, channel, ...rest] = tag?.split(':') ?? [];
  const isConversation = platform === account.platform && channel && rest.join(':') === account.userId;
  return isConversation ? tag : undefined;
}
