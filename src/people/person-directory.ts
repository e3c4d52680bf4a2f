import type { InboundMessage } from '../core/inbound';

/**
 * Who a message is from, as one person: the key that memory, mode and limits are kept under when
 * they belong to the person rather than to one thread. An account on one app is its own person
 * unless the person joined accounts across apps; the directory is where that joining is looked up.
 */
export interface PersonDirectory {
  personOf(user: Pick<InboundMessage, 'platform' | 'userId'>): Promise<string>;
}

/** The person key of an account that is not joined to any other. */
export const accountPerson = (user: Pick<InboundMessage, 'platform' | 'userId'>): string =>
  `${user.platform}:${user.userId}`;

/** Every account its own person: what a deployment has until accounts can be joined. */
export const separateAccounts: PersonDirectory = {
  personOf: (user) => Promise.resolve(accountPerson(user)),
};
