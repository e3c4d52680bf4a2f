import { createHash, randomInt } from 'node:crypto';
import type { CounterName } from '../crypto/counter-names';
import type { RedisClient } from '../redis/connection';
import { hashTag, stateKey } from '../redis/keys';
import {
  accountOfPerson,
  accountPerson,
  type Account,
  type LinkedConversation,
  type PersonDirectory,
} from './person-directory';

/**
 * Accounts joined across apps into one person. `/link` on one app gives a one-time code; `/link
 * <code>` from another app joins that account to the code's person. The person key of a group is
 * the account key of the account that made the first code (its anchor), so what the anchor kept
 * before (memory, mode, limits) becomes the group's; a joined account's own is set aside and
 * comes back when the group comes apart (`/unlink` from any of its accounts).
 *
 * A code is 12 characters of Crockford's base32 (60 bits). Guessing is held by two counters of
 * wrong codes per hour: 5 per person, and LINK_WRONG_CODES_PER_HOUR for the whole deployment, so
 * however many accounts a guesser uses, a year of guesses at the cap hits one of a thousand open
 * codes with odds below one in a hundred million.
 *
 * Keys (all expire, all under `link:{links}:`): `account:<platform>:<id>` the person an account belongs to;
 * `group:<person>` the group's conversations, where the others are told about a change;
 * `code:<sha256 of code>` a code's person and conversation (10 minutes, single use: taken
 * with GETDEL); `pending:<platform>:<id>` the hash of the account's open code, so erasing the
 * account erases the code too; `tries:<keyed hash of the person>` and `wrong-codes` the wrong
 * codes of the current hour. The tries are named by a keyed hash so that erasing the person does
 * not reset them (src/crypto/counter-names.ts).
 */

export const LINK_CODE_TTL_SECONDS = 10 * 60;
export const LINK_TTL_SECONDS = 365 * 24 * 3600;
export const WRONG_TRIES_PER_HOUR = 5;
const HOUR_SECONDS = 3600;

/** Crockford's base32: no I, L, O or U, so what is read aloud or retyped stays unambiguous. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;

export interface LinkSettings {
  counterName: CounterName;
  /** wrong codes the deployment accepts an hour (LINK_WRONG_CODES_PER_HOUR) */
  wrongCodesPerHour: number;
}

export type RedeemResult =
  | { kind: 'linked'; others: LinkedConversation[] }
  | { kind: 'wrong' }
  | { kind: 'too-many-tries' }
  | { kind: 'own-code' }
  | { kind: 'already-linked' };

export type UnlinkResult = { kind: 'unlinked'; others: LinkedConversation[] } | { kind: 'not-linked' };

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/** A fresh code, shown in groups of four: `K7QM-R2XP-9HTD`. */
function newCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!);
  return [0, 4, 8].map((at) => chars.slice(at, at + 4).join('')).join('-');
}

/** A code as typed (any case, spaces or dashes, O for 0, I or L for 1) in its stored form, or null. */
export function normaliseCode(typed: string): string | null {
  const code = typed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
}

function parseConversation(raw: string): LinkedConversation | null {
  try {
    const parsed = JSON.parse(raw) as Partial<LinkedConversation>;
    if (typeof parsed.platform !== 'string' || typeof parsed.userId !== 'string') return null;
    return { platform: parsed.platform, channelId: String(parsed.channelId), userId: parsed.userId };
  } catch {
    return null;
  }
}

const sameAccount = (a: Account, b: Account) => a.platform === b.platform && a.userId === b.userId;

export class AccountLinks implements PersonDirectory {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly settings: LinkSettings,
  ) {}

  // One tag for every link key: joining writes several accounts' keys in one transaction, which a
  // Redis Cluster allows only within one slot. Links are few, so one slot carries them easily.
  private key(...parts: string[]): string {
    return stateKey(this.prefix, 'link', hashTag('links'), ...parts);
  }

  private accountKey = (account: Account) => this.key('account', account.platform, account.userId);

  async personOf(user: Account): Promise<string> {
    return (await this.redis.get(this.accountKey(user))) ?? accountPerson(user);
  }

  async conversationsOf(person: string): Promise<LinkedConversation[]> {
    const members = await this.redis.smembers(this.key('group', person));
    return members.map(parseConversation).filter((c): c is LinkedConversation => c !== null);
  }

  async accountsOf(person: string): Promise<Account[]> {
    const linked = await this.conversationsOf(person);
    if (linked.length > 0) return linked.map(({ platform, userId }) => ({ platform, userId }));
    return [accountOfPerson(person)];
  }

  /** A fresh code for this conversation's person; an older open code of the account stops working. */
  async createCode(from: LinkedConversation, person: string): Promise<string> {
    const code = newCode();
    const stored = hashOf(normaliseCode(code)!);
    const pending = this.key('pending', from.platform, from.userId);
    const earlier = await this.redis.get(pending);
    const multi = this.redis.multi();
    if (earlier) multi.del(this.key('code', earlier));
    multi.set(this.key('code', stored), JSON.stringify({ person, ...from }), 'EX', LINK_CODE_TTL_SECONDS);
    multi.set(pending, stored, 'EX', LINK_CODE_TTL_SECONDS);
    await multi.exec();
    return code;
  }

  /**
   * Joins `joiner` to the person whose code this is. Wrong codes count against the joiner's
   * person and against the deployment's hour; past either cap no code is even looked at.
   */
  async redeem(typed: string, joiner: LinkedConversation, joinerPerson: string): Promise<RedeemResult> {
    const tries = this.key('tries', this.settings.counterName(joinerPerson));
    const everyone = this.key('wrong-codes');
    const [mine, all] = await this.redis.mget(tries, everyone);
    if (Number(mine) >= WRONG_TRIES_PER_HOUR || Number(all) >= this.settings.wrongCodesPerHour) {
      return { kind: 'too-many-tries' };
    }
    const code = normaliseCode(typed);
    const raw = code === null ? null : await this.redis.getdel(this.key('code', hashOf(code)));
    const record = raw === null ? null : (JSON.parse(raw) as LinkedConversation & { person: string });
    if (!record) {
      const multi = this.redis.multi();
      for (const counter of [tries, everyone]) multi.incr(counter).expire(counter, HOUR_SECONDS, 'NX');
      await multi.exec();
      return { kind: 'wrong' };
    }
    await this.redis.del(this.key('pending', record.platform, record.userId));
    if (record.person === joinerPerson) return { kind: 'own-code' };
    if ((await this.redis.exists(this.accountKey(joiner))) === 1) return { kind: 'already-linked' };
    const creator: LinkedConversation = {
      platform: record.platform,
      channelId: record.channelId,
      userId: record.userId,
    };
    const group = this.key('group', record.person);
    const others = await this.conversationsOf(record.person);
    const multi = this.redis.multi();
    for (const member of [creator, joiner]) {
      multi.set(this.accountKey(member), record.person, 'EX', LINK_TTL_SECONDS);
      if (!others.some((other) => sameAccount(other, member))) multi.sadd(group, JSON.stringify(member));
    }
    multi.expire(group, LINK_TTL_SECONDS);
    await multi.exec();
    const told = [creator, ...others.filter((other) => !sameAccount(other, creator))];
    return { kind: 'linked', others: told.filter((c) => !sameAccount(c, joiner)) };
  }

  /**
   * Takes the group apart: every account is its own person again. Any account may do it, so a
   * link someone made with a code that was not theirs is undone from whichever app the owner
   * reads the notice in; taking out only the sender would leave the intruder joined to the rest.
   */
  async unlink(account: Account): Promise<UnlinkResult> {
    const person = await this.redis.get(this.accountKey(account));
    if (person === null) return { kind: 'not-linked' };
    const members = await this.conversationsOf(person);
    const multi = this.redis.multi();
    multi.del(this.accountKey(account), this.key('group', person));
    for (const member of members) multi.del(this.accountKey(member));
    await multi.exec();
    return { kind: 'unlinked', others: members.filter((member) => !sameAccount(member, account)) };
  }

  /** Drops the open codes of these accounts (the rest of their link keys go with their other keys). */
  async forgetCodes(accounts: Account[]): Promise<void> {
    for (const account of accounts) {
      const pending = this.key('pending', account.platform, account.userId);
      const hash = await this.redis.getdel(pending);
      if (hash) await this.redis.del(this.key('code', hash));
    }
  }
}
