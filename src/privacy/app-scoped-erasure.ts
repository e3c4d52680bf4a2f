import type { RedisClient } from '../redis/connection';
import type { Platform } from '../core/inbound';
import type { JobIds } from '../queues/jobs';
import { createAccountErasure, type ErasureSummary } from './account-erasure';

export type { ErasureSummary } from './account-erasure';

/**
 * Erases what an id from Meta's Data Deletion Request Callback can be matched to. That id is
 * app-scoped (a Facebook user as this app knows them); our data is keyed by the ids the messaging
 * platforms give us (Page-scoped on Messenger, Instagram-scoped on Instagram, phone numbers on
 * WhatsApp). They are different numbers for the same person, so this erases data only where the
 * stored id equals the given one on Messenger or Instagram; docs/privacy.md says so plainly.
 * What is erased for a matched account is what /forget all erases (src/privacy/account-erasure.ts),
 * including, through `forgetConversations`, what is keyed by a conversation's derived name (a
 * handoff's handle and a helpdesk's links to it), which no key scan can find.
 */
export interface AppScopedErasure {
  eraseAppScopedUser(userId: string): Promise<ErasureSummary>;
}

const MATCHABLE: Platform[] = ['messenger', 'instagram'];

export function createAppScopedErasure(
  redis: RedisClient,
  prefix: string,
  jobIds: JobIds,
  forgetConversations: (conversations: string[]) => Promise<void> = () => Promise.resolve(),
): AppScopedErasure {
  const erasure = createAccountErasure(redis, prefix, jobIds);
  return {
    async eraseAppScopedUser(userId) {
      const summary = await erasure.eraseAccounts(MATCHABLE.map((platform) => ({ platform, userId })));
      await forgetConversations(summary.conversations);
      return summary;
    },
  };
}
