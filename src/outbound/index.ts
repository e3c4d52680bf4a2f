import type { LinkedConversation } from '../people/person-directory';
import { enqueueReply, tellConversation, type ReplyToSend } from './enqueue-reply';
import type { OutboundDependencies } from './outbound-dependencies';
import { createSendJob, type Sender } from './send-job';
import { sendNow, type ReplyToSendNow, type SentNow } from './send-now';

/**
 * The outbound layer: every message to a person leaves through it, whoever sends it (a turn's
 * own answer, the send job, a notice to a linked app, and later agent replies and reminders), so
 * there is one place that decides what reaching a person means and what a failure does.
 *
 * What it guarantees:
 * - Each part at most once. A part is marked sent the moment Graph accepted it (the ledger), a
 *   text sent now is recorded by the caller's `markAnswered` right after, and a retry skips what
 *   is marked. A process dying between Graph's answer and the mark (milliseconds) would send that
 *   part again; nothing else can.
 * - In order per recipient. An enqueued reply takes its place in the recipient's outbox and its
 *   job waits until every earlier answer to that person is sent or settled, however long Graph
 *   makes it wait. `sendNow` is only for a caller that knows nothing is queued ahead of it.
 * - The 24-hour window. A send refused because the window closed is not tried again, and the
 *   closure is remembered: answers to messages written before it are not tried at all, until
 *   the person writes again (the turn reopens the window then).
 * - Retries by Graph's error class, as the platform's adapter reads it: transient failures and
 *   the pair rate limit are retried by the send queue with `graphBackoff` (Retry-After honoured,
 *   6 s steps for the pair limit, else exponential up to a minute); a text sent now that fails so
 *   comes back as `retry` and goes to the queue. Anything else is refused for good: logged,
 *   never retried, the answer settled.
 * - Every Send API call counted in `threadline_sends_total` by platform and error class, and a
 *   yes/no question marked asked once the part carrying its buttons is out (a typed yes counts
 *   only after that).
 */
export interface Outbound {
  /** One text now, from this process; see send-now.ts for when a caller may. */
  sendNow<Answered>(
    to: LinkedConversation,
    reply: ReplyToSendNow,
    markAnswered: (sentId?: string) => Promise<Answered>,
  ): Promise<SentNow<Answered>>;
  /** A reply onto the send queue, behind every earlier answer to that person; idempotent by `answering`. */
  enqueue(to: LinkedConversation, reply: ReplyToSend): Promise<void>;
  /** A notice text, split at the platform's limit, enqueued like a reply; idempotent by `answering`. */
  tell(to: LinkedConversation, text: string, answering: string): Promise<void>;
  /** the processor of the BullMQ "outbound" queue (its backoff strategy is `graphBackoff`) */
  sendJob: Sender;
}

export function createOutbound(deps: OutboundDependencies): Outbound {
  return {
    sendNow: (to, reply, markAnswered) => sendNow(to, reply, deps, markAnswered),
    enqueue: (to, reply) => enqueueReply(to, reply, deps),
    tell: (to, text, answering) => tellConversation(to, text, answering, deps),
    sendJob: createSendJob(deps),
  };
}

export { enqueueReply, tellConversation, type ReplyQueueDeps, type ReplyToSend, type TellDeps } from './enqueue-reply';
export type { EnqueueDependencies, OutboundDependencies, SendNowDependencies } from './outbound-dependencies';
export { graphBackoff, SendRetryError } from './retry-policy';
export { sendNow, type ReplyToSendNow, type SentNow } from './send-now';
export type { Sender } from './send-job';
