import { createHash } from 'node:crypto';
import type { RedisClient } from '../../redis/connection';
import { hashTag, stateKey } from '../../redis/keys';
import type { HandoffLine } from '../handoff-target';

/**
 * What Threadline keeps to mirror a conversation into Chatwoot, all under QUEUE_PREFIX with a
 * lifetime (CHATWOOT_LINK_TTL_DAYS, renewed on each handoff and message):
 * - `chatwoot:{conversation}`: the Chatwoot contact, its contact-inbox source id and the Chatwoot
 *   conversation (display id);
 * - `chatwoot-posted:{conversation}`: fingerprints of the lines already posted, so a retried
 *   handoff does not post the transcript twice, and the ids of the messages we created, so their
 *   webhook echoes are never taken for an agent's reply;
 * - `chatwoot-agent:{conversation}`: the agent messages already delivered (Chatwoot retries);
 * - `chatwoot-of:<chatwoot conversation>`: the way back from Chatwoot's webhook to ours.
 * The first three share the conversation's hash tag; the way back is a single key.
 * `conversation` is the opaque handoff id, never a user id.
 */
export interface ChatwootLink {
  contactId: number;
  sourceId: string;
  conversationId: number;
}

export interface ChatwootLinks {
  get(conversation: string): Promise<ChatwootLink | undefined>;
  save(conversation: string, link: ChatwootLink): Promise<void>;
  /** our conversation for a Chatwoot conversation id, if it is one we mirrored */
  conversationOf(chatwootConversation: number): Promise<string | undefined>;
  wasPosted(conversation: string, line: HandoffLine): Promise<boolean>;
  /** the line is in Chatwoot as message `messageId` */
  posted(conversation: string, messageId: number, line?: HandoffLine): Promise<void>;
  isOwnMessage(conversation: string, messageId: number): Promise<boolean>;
  /** true the first time an agent message is claimed for delivery, false for a redelivery */
  claimAgentMessage(conversation: string, messageId: number): Promise<boolean>;
  /** gives a claim back when delivering failed, so Chatwoot's retry is taken */
  releaseAgentMessage(conversation: string, messageId: number): Promise<void>;
}

export function chatwootKeys(prefix: string) {
  return {
    link: (conversation: string) => stateKey(prefix, 'chatwoot', hashTag(conversation)),
    posted: (conversation: string) => stateKey(prefix, 'chatwoot-posted', hashTag(conversation)),
    agent: (conversation: string) => stateKey(prefix, 'chatwoot-agent', hashTag(conversation)),
    back: (chatwootConversation: number) => stateKey(prefix, 'chatwoot-of', chatwootConversation),
  };
}

const fingerprint = (line: HandoffLine) =>
  `line:${createHash('sha256').update(`${line.from}\n${line.at}\n${line.text}`).digest('hex').slice(0, 32)}`;

export function createChatwootLinks(redis: RedisClient, prefix: string, ttlSeconds: number): ChatwootLinks {
  const keys = chatwootKeys(prefix);
  const addTo = async (key: string, member: string) => {
    const added = await redis.multi().sadd(key, member).expire(key, ttlSeconds).exec();
    return added?.[0]?.[1] === 1;
  };
  return {
    async get(conversation) {
      const kept = await redis.hgetall(keys.link(conversation));
      if (!kept.contact || !kept.source || !kept.conversation) return undefined;
      return { contactId: Number(kept.contact), sourceId: kept.source, conversationId: Number(kept.conversation) };
    },
    async save(conversation, link) {
      const key = keys.link(conversation);
      const fields = { contact: link.contactId, source: link.sourceId, conversation: link.conversationId };
      await redis.multi().del(key).hset(key, fields).expire(key, ttlSeconds).exec();
      await redis.set(keys.back(link.conversationId), conversation, 'EX', ttlSeconds);
    },
    async conversationOf(chatwootConversation) {
      return (await redis.get(keys.back(chatwootConversation))) ?? undefined;
    },
    async wasPosted(conversation, line) {
      return (await redis.sismember(keys.posted(conversation), fingerprint(line))) === 1;
    },
    async posted(conversation, messageId, line) {
      const key = keys.posted(conversation);
      const members = [`id:${messageId}`, ...(line ? [fingerprint(line)] : [])];
      await redis
        .multi()
        .sadd(key, ...members)
        .expire(key, ttlSeconds)
        .expire(keys.link(conversation), ttlSeconds)
        .exec();
    },
    async isOwnMessage(conversation, messageId) {
      return (await redis.sismember(keys.posted(conversation), `id:${messageId}`)) === 1;
    },
    claimAgentMessage: (conversation, messageId) => addTo(keys.agent(conversation), String(messageId)),
    async releaseAgentMessage(conversation, messageId) {
      await redis.srem(keys.agent(conversation), String(messageId));
    },
  };
}

/** What is kept about a conversation's mirror in Chatwoot, for /export and /privacy. */
export interface ChatwootKept {
  chatwootContactId: number;
  chatwootConversationId: number;
  messagesPosted: number;
  agentMessagesDelivered: number;
}

export async function chatwootKept(
  redis: RedisClient,
  prefix: string,
  conversation: string,
): Promise<ChatwootKept | undefined> {
  const keys = chatwootKeys(prefix);
  const link = await redis.hgetall(keys.link(conversation));
  if (!link.contact || !link.conversation) return undefined;
  const posted = await redis.smembers(keys.posted(conversation));
  return {
    chatwootContactId: Number(link.contact),
    chatwootConversationId: Number(link.conversation),
    messagesPosted: posted.filter((member) => member.startsWith('id:')).length,
    agentMessagesDelivered: await redis.scard(keys.agent(conversation)),
  };
}

/**
 * Erases everything Threadline keeps about a conversation's mirror (/forget all, the deletion
 * callback). What is in Chatwoot itself is the business's record there, not touched here.
 */
export async function eraseChatwootLinks(redis: RedisClient, prefix: string, conversation: string): Promise<void> {
  const keys = chatwootKeys(prefix);
  const chatwootConversation = await redis.hget(keys.link(conversation), 'conversation');
  await redis.del(keys.link(conversation), keys.posted(conversation), keys.agent(conversation));
  if (chatwootConversation) {
    const back = keys.back(Number(chatwootConversation));
    if ((await redis.get(back)) === conversation) await redis.del(back);
  }
}
