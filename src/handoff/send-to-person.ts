import type { InboundMessage } from '../core/inbound';
import type { MessageTag } from '../core/message-tag';
import { splitForPlatform } from '../core/split';
import { enqueueReply, type TellDeps } from '../outbound';

/** Where a text for the person goes: their conversation with one business number, Page or account. */
export type HandoffAddress = Pick<InboundMessage, 'platform' | 'channelId' | 'userId'>;

/**
 * Sends a text to the person through the outbound layer's send queue, behind any earlier answer
 * to them (the outbox keeps the order) and once by `answering` (the send job's id and the
 * ledger's parts are derived from it): the same path as every reply of the assistant, from
 * either process. An app that is not configured is an error the agent is told of. `tag`: the
 * message tag an agent's reply goes under (HUMAN_AGENT); nothing else the desk sends has one.
 */
export type PersonSender = (to: HandoffAddress, text: string, answering: string, tag?: MessageTag) => Promise<void>;

export type QueuedSenderDependencies = TellDeps;

export function createQueuedSender(deps: QueuedSenderDependencies): PersonSender {
  return async (to, text, answering, tag) => {
    const adapter = deps.adapters.get(to.platform);
    if (!adapter) throw new Error(`${to.platform} is not configured`);
    const parts = splitForPlatform(text, adapter.textLimit);
    await enqueueReply(to, { answering, parts, answeringAt: Date.now(), ...(tag ? { tag } : {}) }, deps);
  };
}
