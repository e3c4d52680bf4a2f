import type { Account } from '../people/person-directory';
import type { RedisClient } from '../redis/connection';
import { allKeys, globLiteral } from '../redis/key-scan';
import { conversationTagOf } from './conversation-tags';

/** What the handoff's helpdesks keep on Threadline's side about a conversation, by helpdesk. */
export type HelpdeskKept = (conversation: string) => Promise<Array<{ target: string; kept: object }>>;

/** One helpdesk's record of one of the person's conversations, as /export lists it. */
export interface HelpdeskRecord {
  app: string;
  channel: string;
  helpdesk: string;
  kept: object;
}

/**
 * The helpdesk records of every conversation of the account that a key is still tagged with. A
 * helpdesk's links are keyed by the conversation's handle, so they are found through the
 * conversation, not by a scan for the person's id.
 */
export async function helpdeskRecordsOf(
  redis: RedisClient,
  prefix: string,
  account: Account,
  kept: HelpdeskKept,
): Promise<HelpdeskRecord[]> {
  const pattern = `${globLiteral(prefix)}:*\\{${account.platform}:*:${globLiteral(account.userId)}\\}*`;
  const conversations = new Set<string>();
  for (const key of await allKeys(redis, pattern)) {
    const conversation = conversationTagOf(key, account);
    if (conversation) conversations.add(conversation);
  }
  const records: HelpdeskRecord[] = [];
  for (const conversation of conversations) {
    const [app = '', channel = ''] = conversation.split(':');
    for (const { target, kept: what } of await kept(conversation)) {
      records.push({ app, channel, helpdesk: target, kept: what });
    }
  }
  return records;
}
