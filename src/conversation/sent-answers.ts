import type { RedisClient } from '../redis/connection';

/**
 * Which answer each message the assistant sent belongs to, so a reaction (which names the message
 * it is about: a WhatsApp wamid, a Messenger or Instagram mid) is kept with that exact answer.
 * One sorted set per conversation: member the platform's id of a sent message (every part of an
 * answer: its texts, product cards, source buttons), score the answer's stamp (the `at` of its
 * history entry and of its `made`). Written by the outbound layer the moment Graph accepted the
 * part, in the same step that records the send; only answers of the model carry a stamp, so an
 * agent's reply, a reminder or a notice is never found here.
 *
 * It lives as long as the history it points into (HISTORY_TTL_DAYS, renewed with every send) and
 * keeps the newest SENT_IDS_KEPT ids: the history holds far fewer answers than that, so an id
 * dropped here points at an answer long gone from the history too. Tagged with the conversation,
 * so /forget all and the data-deletion callback erase it with the history.
 */
export const SENT_IDS_KEPT = 200;

type Multi = ReturnType<RedisClient['multi']>;

/** A part Graph accepted, and the answer it belongs to. */
export interface SentAnswerPart {
  /** the platform's id of the message sent */
  messageId: string;
  /** the answer's stamp: its history entry's `at` */
  answerAt: number;
}

export class SentAnswers {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
    private readonly ttlSeconds: number,
  ) {}

  /** Keeps one sent message's answer as part of `multi` (the step that records the send). */
  keepIn(multi: Multi, conversation: string, sent: SentAnswerPart): void {
    const key = this.keyOf(conversation);
    multi.zadd(key, sent.answerAt, sent.messageId);
    multi.zremrangebyrank(key, 0, -(SENT_IDS_KEPT + 1));
    multi.expire(key, this.ttlSeconds);
  }

  /** The stamp of the answer `messageId` belongs to; null when it is none of the answers kept. */
  async answerOf(conversation: string, messageId: string): Promise<number | null> {
    const score = await this.redis.zscore(this.keyOf(conversation), messageId);
    return score === null ? null : Number(score);
  }

  async clear(conversation: string): Promise<void> {
    await this.redis.del(this.keyOf(conversation));
  }
}
