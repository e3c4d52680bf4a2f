import type { Redis } from 'ioredis';
import type { ConversationHistory } from '../conversation/history';
import type { FairUseLimiter } from '../limits/fair-use-limiter';
import type { ModeStore } from '../modes/mode-store';
import type { AccountLinks } from '../people/account-links';
import type { Account } from '../people/person-directory';
import { stateKey } from '../redis/keys';
import { globLiteral, scanKeys } from '../redis/scan-keys';

/**
 * Everything kept about a person, as one JSON-ready object (/export, the right of access and
 * portability): each linked account, the history of each of their conversations, their mode,
 * their links, what is kept under their remembered-facts family and where their limits stand.
 * Read-only: it gathers what the other stores hold and changes nothing.
 */

export interface PersonExport {
  exported_at: string;
  about: string;
  accounts: Array<{ app: string; id: string }>;
  mode: string;
  linked_conversations: Array<{ app: string; channel: string }>;
  conversations: Array<{ app: string; channel: string; messages: Array<{ from: string; text: string; at: string }> }>;
  /** what the memory module keeps under `state:memory:<account>*`, as it stores it */
  remembered: Array<{ key: string; values: string[] }>;
  limits: Array<{ limit: string; remaining: number; resets_at: string | null }>;
}

export interface PersonExportSources {
  redis: Redis;
  prefix: string;
  history: ConversationHistory;
  modeStore: ModeStore;
  links: AccountLinks;
  limiter: FairUseLimiter;
}

const ABOUT =
  'Everything this assistant keeps about you, as of exported_at. Conversations expire after a quiet period; /forget all erases all of it.';

const iso = (ms: number) => new Date(ms).toISOString();

export function createPersonExporter(sources: PersonExportSources) {
  const { redis, prefix } = sources;

  async function conversationsOf(account: Account): Promise<PersonExport['conversations']> {
    const historyPrefix = `${stateKey(prefix, 'history')}:`;
    const keys = await scanKeys(
      redis,
      `${globLiteral(historyPrefix)}${account.platform}:*:${globLiteral(account.userId)}`,
    );
    const conversations: PersonExport['conversations'] = [];
    for (const key of keys) {
      const conversation = key.slice(historyPrefix.length);
      const channel = conversation.split(':')[1] ?? '';
      const entries = await sources.history.everything(conversation);
      const messages = entries.map((e) => ({
        from: e.role === 'user' ? 'you' : 'assistant',
        text: e.content,
        at: iso(e.at),
      }));
      conversations.push({ app: account.platform, channel, messages });
    }
    return conversations;
  }

  async function rememberedOf(account: Account): Promise<PersonExport['remembered']> {
    const family = stateKey(prefix, 'memory', account.platform, account.userId);
    const keys = [family, ...(await scanKeys(redis, `${globLiteral(family)}:*`))];
    const remembered: PersonExport['remembered'] = [];
    for (const key of keys) {
      const values = await storedValues(redis, key);
      if (values.length > 0) remembered.push({ key: key.slice(prefix.length + 1), values });
    }
    return remembered;
  }

  return {
    async collect(person: string, accounts: Account[]): Promise<PersonExport> {
      const [first] = accounts;
      const limits = first ? await sources.limiter.status({ ...first, person }) : [];
      const linked = await sources.links.conversationsOf(person);
      const perAccount = await Promise.all(
        accounts.map(async (a) => [await conversationsOf(a), await rememberedOf(a)] as const),
      );
      return {
        exported_at: iso(Date.now()),
        about: ABOUT,
        accounts: accounts.map((a) => ({ app: a.platform, id: a.userId })),
        mode: await sources.modeStore.get(person),
        linked_conversations: linked.map((c) => ({ app: c.platform, channel: c.channelId })),
        conversations: perAccount.flatMap(([conversations]) => conversations),
        remembered: perAccount.flatMap(([, remembered]) => remembered),
        limits: limits.map((l) => ({
          limit: l.limit,
          remaining: l.remaining,
          resets_at: l.resetsInMs === null ? null : iso(Date.now() + l.resetsInMs),
        })),
      };
    },
  };
}

export type PersonExporter = ReturnType<typeof createPersonExporter>;

/** A key's values whatever its Redis type, as text (empty when the key does not exist). */
async function storedValues(redis: Redis, key: string): Promise<string[]> {
  const type = await redis.type(key);
  if (type === 'string') return [(await redis.get(key)) ?? ''];
  if (type === 'list') return redis.lrange(key, 0, -1);
  if (type === 'hash') return Object.entries(await redis.hgetall(key)).map(([field, value]) => `${field}: ${value}`);
  if (type === 'set') return redis.smembers(key);
  if (type === 'zset') return redis.zrange(key, 0, -1);
  return [];
}
