import { conversationKey } from '../core/inbound';
import type { MessageTag } from '../core/message-tag';
import type { ReplyPart } from '../core/reply-part';
import type { ReplyChoice } from '../core/reply-choice';
import { splitForPlatform } from '../core/split';
import type { Account, LinkedConversation } from '../people/person-directory';
import type { EnqueueDependencies, OutboundDependencies } from './outbound-dependencies';

/** What putting a reply on the send queue reaches. */
export type ReplyQueueDeps = EnqueueDependencies;

/** What telling another conversation reaches: its app's text limit, and the send queue. */
export type TellDeps = EnqueueDependencies & Pick<OutboundDependencies, 'adapters'>;

export interface ReplyToSend {
  /** the key the send is idempotent by: the answered message's, or one derived from it */
  answering: string;
  parts: ReplyPart[];
  answeringAt: number;
  choices?: ReplyChoice[];
  /** accounts whose last traces the send job erases after sending (/forget all) */
  eraseAfterSend?: Account[];
  /** wait this long before the first attempt */
  sendInMs?: number;
  /** the message tag its texts go under: an agent's reply only (core/message-tag.ts) */
  tag?: MessageTag;
  /** an answer of the model: its history entry's stamp, which its sent ids are kept under */
  answerAt?: number;
}

/**
 * Puts a reply on the send queue behind any earlier answer to the same person in that
 * conversation (the outbox keeps their order). The job id comes from `answering`, so handing the
 * same reply over twice enqueues it once. A reply that ends an erasure leaves no finished job.
 */
export async function enqueueReply(to: LinkedConversation, reply: ReplyToSend, deps: ReplyQueueDeps): Promise<void> {
  const conversation = conversationKey(to);
  await deps.outbox.append(conversation, reply.answering);
  const erasing = reply.eraseAfterSend !== undefined;
  await deps.outbound.add(
    'reply',
    {
      platform: to.platform,
      channelId: to.channelId,
      userId: to.userId,
      conversation,
      answeringMessageKey: reply.answering,
      parts: reply.parts,
      answeringAt: reply.answeringAt,
      ...(reply.choices?.length ? { choices: reply.choices } : {}),
      ...(reply.tag ? { tag: reply.tag } : {}),
      ...(reply.answerAt !== undefined ? { answerAt: reply.answerAt } : {}),
      ...(erasing ? { eraseAfterSend: reply.eraseAfterSend } : {}),
    },
    {
      jobId: deps.jobIds.outbound(reply.answering, to.userId),
      ...(reply.sendInMs ? { delay: reply.sendInMs } : {}),
      ...(erasing ? { removeOnComplete: true, removeOnFail: true } : {}),
    },
  );
}

/**
 * A notice besides a turn's own answer (a linked app told of a change, a held message's notice),
 * through the same send path and order; idempotent by `answering`.
 */
export async function tellConversation(
  to: LinkedConversation,
  text: string,
  answering: string,
  deps: TellDeps,
): Promise<void> {
  const adapter = deps.adapters.get(to.platform);
  if (!adapter) return;
  const parts = splitForPlatform(text, adapter.textLimit);
  await enqueueReply(to, { answering, parts, answeringAt: Date.now() }, deps);
}
