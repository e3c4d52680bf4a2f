import { createHash, randomInt } from 'node:crypto';
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
 * Accounts joined across apps into one person. `/link` on one app gives a 6-digit code; `/link
 * <code>` from another app joins that account to the code's person. The person key of a group is
 * the account key of the account that made the first code (its anchor), so what the anchor kept
 * before (memory, mode, limits) becomes the group's; a joined account's own is set aside and
 * comes back if it unlinks.
 *
 * Keys (all expire, all under `link:{links}:`): `account:<platform>:<id>` the person an account belongs to;
 * `group:<person>` the group's conversations, where the others are told about a change;
 * `code:<sha256 of code>` a code's person and conversation (10 minutes, single use: taken
 * with GETDEL); `pending:<platform>:<id>` the hash of the account's open code, so erasing the
 * account erases the code too; `tries:<person>` wrong codes in the current hour.
 */

export const LINK_CODE_TTL_SECONDS = 10 * 60;
export const LINK_TTL_SECONDS = 365 * 24 * 3600;
export const WRONG_TRIES_PER_HOUR = 5;

export type RedeemResult =
  | { kind: 'linked'; others: LinkedConversation[] }
  | { kind: 'wrong' }
  | { kind: 'too-many-tries' }
  | { kind: 'own-code' }
  | { kind: 'already-linked' };

export type UnlinkResult = { kind: 'unlinked'; others: LinkedConversation[] } | { kind: 'not-linked' };

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex');

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
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const pending = this.key('pending', from.platform, from.userId);
    const earlier = await this.redis.get(pending);
    const multi = this.redis.multi();
    if (earlier) multi.del(this.key('code', earlier));
    multi.set(this.key('code', hashOf(code)), JSON.stringify({ person, ...from }), 'EX', LINK_CODE_TTL_SECONDS);
    multi.set(pending, hashOf(code), 'EX', LINK_CODE_TTL_SECONDS);
    await multi.exec();
    return code;
  }

  /** Joins `joiner` to the person whose code this is. Wrong codes count against the joiner's person. */
  async redeem(code: string, joiner: LinkedConversation, joinerPerson: string): Promise<RedeemResult> {
    const tries = this.key('tries', joinerPerson);
    if (Number(await this.redis.get(tries)) >= WRONG_TRIES_PER_HOUR) return { kind: 'too-many-tries' };
    const raw = /^\d{6}$/.test(code) ? await this.redis.getdel(this.key('code', hashOf(code))) : null;
    const record = raw === null ? null : (JSON.parse(raw) as LinkedConversation & { person: string });
    if (!record) {
      await this.redis.multi().incr(tries).expire(tries, 3600, 'NX').exec();
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
   * Takes the account out of its person. The anchor leaving, or the last two parting, dissolves
   * the group: nobody is left sharing state keyed by another's account.
   */
  async unlink(account: Account): Promise<UnlinkResult> {
    const person = await this.redis.get(this.accountKey(account));
    if (person === null) return { kind: 'not-linked' };
    const members = await this.conversationsOf(person);
    const others = members.filter((member) => !sameAccount(member, account));
    const dissolve = person === accountPerson(account) || others.length <= 1;
    const multi = this.redis.multi();
    multi.del(this.accountKey(account));
    if (dissolve) {
      multi.del(this.key('group', person));
      for (const other of others) multi.del(this.accountKey(other));
    } else {
      for (const member of members.filter((m) => sameAccount(m, account))) {
        multi.srem(this.key('group', person), JSON.stringify(member));
      }
    }
    await multi.exec();
    return { kind: 'unlinked', others };
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
