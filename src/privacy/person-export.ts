import type { ExportFigures } from '../commands/privacy-texts';
import type { ConversationHistory } from '../conversation/history';
import type { FairUseLimiter } from '../limits/fair-use-limiter';
import type { ModeStore } from '../modes/mode-store';
import type { PersonLanguages, StoredLanguage } from '../people/person-languages';
import type { AccountLinks } from '../people/account-links';
import type { Account } from '../people/person-directory';
import type { MemoryStore } from '../memory/memory-store';
import type { RedisClient } from '../redis/connection';
import { hashTag, stateKey } from '../redis/keys';
import type { ReminderStore } from '../reminders/reminder-store';
import { taggedConversations } from './conversation-tags';
import { helpdeskRecordsOf, type HelpdeskKept, type HelpdeskRecord } from './helpdesk-export';
import type { PersonZones } from '../reminders/person-zones';

/** The account's conversations, each with the keys tagged with it (conversation-tags.ts). */
type Tagged = Map<string, Set<string>>;

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
  /** the language the assistant writes to them in, and how it was learnt; null while none is kept */
  language: { code: string; learnt_from: string } | null;
  linked_conversations: Array<{ app: string; channel: string }>;
  conversations: Array<{
    app: string;
    channel: string;
    messages: Array<{ from: string; text: string; at: string; your_reaction?: string }>;
  }>;
  /** whether memory is on, and the facts the person asked to be remembered */
  memory: { on: boolean; facts: Array<{ text: string; category: string; said_on: string; said_at: string }> };
  limits: Array<{ limit: string; remaining: number; resets_at: string | null }>;
  /** the reminders still to come, soonest first, and the time zone they are kept in */
  reminders: Array<{ text: string; due_at: string; repeat: string | null; time_zone: string; app: string }>;
  time_zone: { zone: string; learnt_from: string } | null;
  /** conversations a person from the team has or had (present only when there are any) */
  handoffs?: HandoffRecord[];
  /** what a helpdesk's links to their conversations keep on our side (present only when there are any) */
  helpdesks?: HelpdeskRecord[];
}

/** What is kept while, and after, a person from the team has a conversation. */
export interface HandoffRecord {
  app: string;
  channel: string;
  with_a_person: boolean;
  reason: string;
  since: string;
  ended_at?: string;
}

export interface PersonExportSources {
  redis: RedisClient;
  prefix: string;
  memory: MemoryStore;
  history: ConversationHistory;
  modeStore: ModeStore;
  languages: PersonLanguages;
  links: AccountLinks;
  limiter: FairUseLimiter;
  reminders: ReminderStore;
  zones: PersonZones;
  /** the handoff desk's record of what its helpdesks keep, when handoff is set up */
  helpdesks?: HelpdeskKept;
}

const iso = (ms: number) => new Date(ms).toISOString();

const languageOf = (stored: StoredLanguage): PersonExport['language'] =>
  stored && stored !== 'unknown' ? { code: stored.language, learnt_from: stored.source } : null;

/** The reminders still to come and the time zone kept for them. */
async function remindersOf(
  sources: Pick<PersonExportSources, 'reminders' | 'zones'>,
  person: string,
): Promise<Pick<PersonExport, 'reminders' | 'time_zone'>> {
  const [reminders, zone] = await Promise.all([sources.reminders.list(person), sources.zones.get(person)]);
  return {
    reminders: reminders.map((r) => ({
      text: r.text,
      due_at: iso(r.dueAt),
      repeat: r.repeat ?? null,
      time_zone: r.zone,
      app: r.to.platform,
    })),
    time_zone: zone ? { zone: zone.zone, learnt_from: zone.source } : null,
  };
}

export function createPersonExporter(sources: PersonExportSources) {
  const { redis, prefix } = sources;

  async function conversationsOf(account: Account, tagged: Tagged): Promise<PersonExport['conversations']> {
    const conversations: PersonExport['conversations'] = [];
    for (const [conversation, keys] of tagged) {
      if (!keys.has(stateKey(prefix, 'history', hashTag(conversation)))) continue;
      const channel = conversation.split(':')[1] ?? '';
      const entries = await sources.history.everything(conversation);
      const messages = entries.map((e) => ({
        from: e.role === 'user' ? 'you' : 'assistant',
        text: e.content,
        at: iso(e.at),
        ...(e.made?.reaction ? { your_reaction: e.made.reaction } : {}),
      }));
      conversations.push({ app: account.platform, channel, messages });
    }
    return conversations;
  }

  async function memoryOf(person: string): Promise<PersonExport['memory']> {
    const [on, facts] = await Promise.all([sources.memory.isOn(person), sources.memory.facts(person)]);
    return {
      on,
      facts: facts.map((f) => ({ text: f.text, category: f.category, said_on: f.platform, said_at: iso(f.saidAt) })),
    };
  }

  return {
    /** `about` heads the file: what it is, in the person's language. */
    async collect(person: string, accounts: Account[], about: string): Promise<PersonExport> {
      const [first] = accounts;
      const limits = first ? await sources.limiter.status({ ...first, person }) : [];
      const linked = await sources.links.conversationsOf(person);
      // One walk of the keyspace per account finds its conversations and what each keeps.
      const tagged = await Promise.all(accounts.map((a) => taggedConversations(redis, prefix, a)));
      const perAccount = await Promise.all(accounts.map((a, i) => conversationsOf(a, tagged[i]!)));
      const handoffs = (await Promise.all(tagged.map((t) => handoffsOf(redis, prefix, t)))).flat();
      const conversations = tagged.flatMap((t) => [...t.keys()]);
      const helpdesks = sources.helpdesks ? await helpdeskRecordsOf(conversations, sources.helpdesks) : [];
      return {
        exported_at: iso(Date.now()),
        about,
        accounts: accounts.map((a) => ({ app: a.platform, id: a.userId })),
        mode: await sources.modeStore.get(person),
        language: languageOf(await sources.languages.get(person)),
        linked_conversations: linked.map((c) => ({ app: c.platform, channel: c.channelId })),
        conversations: perAccount.flat(),
        memory: await memoryOf(person),
        limits: limits.map((l) => ({
          limit: l.limit,
          remaining: l.remaining,
          resets_at: l.resetsInMs === null ? null : iso(Date.now() + l.resetsInMs),
        })),
        ...(await remindersOf(sources, person)),
        ...(handoffs.length > 0 ? { handoffs } : {}),
        ...(helpdesks.length > 0 ? { helpdesks } : {}),
      };
    },
  };
}

/** The handoff records of the conversations: the pause (`handoff:{…}`) and the last that ended. */
async function handoffsOf(redis: RedisClient, prefix: string, tagged: Tagged): Promise<HandoffRecord[]> {
  const records: HandoffRecord[] = [];
  for (const [conversation, keys] of tagged) {
    for (const [kind, current] of [
      ['handoff', true],
      ['handoff-last', false],
    ] as const) {
      const key = stateKey(prefix, kind, hashTag(conversation));
      const record = keys.has(key) ? handoffRecord(conversation, await redis.get(key), current) : null;
      if (record) records.push(record);
    }
  }
  return records;
}

/** One handoff key's value as the export shows it; null when it is not one (or unreadable). */
function handoffRecord(conversation: string, raw: string | null, current: boolean): HandoffRecord | null {
  type Stored = { reason?: unknown; since?: unknown; returnedAt?: unknown };
  let value: Stored | null;
  try {
    value = raw === null ? null : (JSON.parse(raw) as Stored);
  } catch {
    return null;
  }
  if (!value || typeof value.since !== 'number') return null;
  const [app = '', channel = ''] = conversation.split(':');
  const ended = typeof value.returnedAt === 'number' ? { ended_at: iso(value.returnedAt) } : {};
  return { app, channel, with_a_person: current, reason: String(value.reason), since: iso(value.since), ...ended };
}

export type PersonExporter = ReturnType<typeof createPersonExporter>;

/** An export counted for the summary a person reads first; `platform` is the app they asked on. */
export function exportFigures(everything: PersonExport, platform: string): ExportFigures {
  const unique = (apps: string[]) => [...new Set(apps)];
  return {
    conversations: everything.conversations.length,
    messages: everything.conversations.reduce((sum, c) => sum + c.messages.length, 0),
    apps: unique(everything.conversations.map((c) => c.app)),
    memoryOn: everything.memory.on,
    facts: everything.memory.facts.length,
    mode: everything.mode,
    linkedApps: unique(everything.accounts.map((a) => a.app).filter((app) => app !== platform)),
  };
}
