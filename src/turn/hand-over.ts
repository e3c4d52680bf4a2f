import type { ReplyPart } from '../core/reply-part';
import type { AnsweredTurn, TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { enqueueReply, type ReplyQueueDeps } from '../outbound';

/** The send queue, and the ledger, inbox and window the hand-over settles. */
export type HandOverDeps = ReplyQueueDeps & Pick<TurnDependencies, 'stateRedis' | 'ledger' | 'turnOrder' | 'window'>;

/** How the handed-over reply is sent: after a wait, and under which answer its sent ids are kept. */
export interface HandOverSending {
  sendInMs?: number;
  /** a model's answer: its history entry's stamp (record.ts `answerStamp`) */
  answerAt?: number;
}

/**
 * Hand over: the reply goes to the send queue behind any earlier answer to the same user (the
 * outbox keeps their order), then the message is marked answered, leaves the inbox, and reopens
 * a messaging window a failed send had found closed, all in one transaction. The send job's id
 * is derived from the message, so a retry that hands over twice enqueues once. `sendInMs` delays
 * the send (the turn's own attempt just failed and Graph asked for a wait). A retry resuming a
 * saved reply hands over the parts the ledger kept, without the answer's stamp (the ledger keeps
 * the parts only): a reaction to that resumed answer is not found.
 */
export async function handOver(
  turn: TurnStart & Partial<Pick<AnsweredTurn, 'choices' | 'eraseAfterSend'>>,
  parts: ReplyPart[],
  deps: HandOverDeps,
  sending: HandOverSending = {},
): Promise<void> {
  const { message, messageKey, conversation } = turn;
  // An empty reply is a deliberate silence (a repeated fair-use refusal): nothing to send.
  if (parts.length > 0) {
    const { choices, eraseAfterSend } = turn;
    const answeringAt = message.timestamp;
    await enqueueReply(
      message,
      { answering: messageKey, parts, answeringAt, choices, eraseAfterSend, ...sending },
      deps,
    );
  }
  const multi = deps.stateRedis.multi();
  deps.ledger.markAnsweredIn(multi, conversation, messageKey);
  deps.turnOrder.finishIn(multi, conversation, messageKey);
  deps.window.reopenIn(multi, conversation, message.timestamp);
  await multi.exec();
}
