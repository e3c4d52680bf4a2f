import type { Queue } from 'bullmq';
import type { RecipientOutbox } from '../conversation/recipient-outbox';
import { conversationKey, type InboundMessage } from '../core/inbound';
import { splitForPlatform } from '../core/split';
import type { PlatformRegistry } from '../platforms/registry';
import type { JobIds, OutboundJob } from '../queues/jobs';

/** Where a text for the person goes: their conversation with one business number, Page or account. */
export type HandoffAddress = Pick<InboundMessage, 'platform' | 'channelId' | 'userId'>;

/**
 * Sends a text to the person through the send queue, behind any earlier answer to them (the
 * outbox keeps the order) and once by `answering` (the send job's id and the ledger's parts are
 * derived from it). The same path as every reply of the assistant; both processes can use it.
 */
export type PersonSender = (to: HandoffAddress, text: string, answering: string) => Promise<void>;

export interface QueuedSenderDependencies {
  outbox: RecipientOutbox;
  outbound: Queue<OutboundJob>;
  jobIds: JobIds;
  adapters: PlatformRegistry;
}

export function createQueuedSender(deps: QueuedSenderDependencies): PersonSender {
  return async (to, text, answering) => {
    const adapter = deps.adapters.get(to.platform);
    if (!adapter) throw new Error(`${to.platform} is not configured`);
    const conversation = conversationKey(to);
    await deps.outbox.append(conversation, answering);
    await deps.outbound.add(
      'reply',
      {
        platform: to.platform,
        channelId: to.channelId,
        userId: to.userId,
        conversation,
        answeringMessageKey: answering,
        parts: splitForPlatform(text, adapter.textLimit),
        answeringAt: Date.now(),
      },
      { jobId: deps.jobIds.outbound(answering, to.userId) },
    );
  };
}
