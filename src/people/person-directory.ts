import type { InboundMessage, Platform } from '../core/inbound';

/** An account on one app: the platform and the user id it gives us. */
export interface Account {
  platform: Platform;
  userId: string;
}

/** Where an account is written to: its conversation with one business number, Page or account. */
export type LinkedConversation = Pick<InboundMessage, 'platform' | 'channelId' | 'userId'>;

/**
 * Who a message is from, as one person: the key that memory, mode and limits are kept under when
 * they belong to the person rather than to one thread. An account on one app is its own person
 * unless the person joined accounts across apps; the directory is where that joining is looked up.
 */
export interface PersonDirectory {
  personOf(user: Account): Promise<string>;
  /** every account joined into the person (just its own account when it joined none) */
  accountsOf(person: string): Promise<Account[]>;
}

/** The person key of an account that is not joined to any other. */
export const accountPerson = (user: Account): string => `${user.platform}:${user.userId}`;

/** The account a person key names, for a person that is one account. */
export function accountOfPerson(person: string): Account {
  const [platform, ...rest] = person.split(':');
  return { platform: platform as Platform, userId: rest.join(':') };
}

/** Every account its own person: what a deployment has until accounts can be joined. */
export const separateAccounts: PersonDirectory = {
  personOf: (user) => Promise.resolve(accountPerson(user)),
  accountsOf: (person) => Promise.resolve([accountOfPerson(person)]),
};
