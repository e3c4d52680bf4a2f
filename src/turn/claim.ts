import { DelayedError } from 'bullmq';
import { inboxScore, type HeadState, type HeldTurn } from '../conversation/turn-order';
import { isPendingJobState } from '../queues/jobs';
import type { TurnContext } from './context';
import type { TurnDependencies } from './dependencies';

/**
 * Claim: the conversation's lock, and only for the message at the head of its inbox, so one
 * user's messages are answered one at a time and in the order they were written. When the
 * conversation is busy (or an earlier message is still coming) the job steps aside for a moment,
 * freeing the worker slot for other users.
 */

/** How long a message waits before trying again when its conversation is busy. */
const BUSY_RETRY_MS = 150;

export async function claim(turn: TurnContext, deps: TurnDependencies): Promise<HeldTurn> {
  const { job, conversation, messageKey } = turn;
  const score = inboxScore(turn.message.timestamp, job.timestamp);
  await deps.turnOrder.register(deps.stateRedis, conversation, messageKey, score);
  const held = await deps.turnOrder.tryBegin(conversation, messageKey, (headKey) =>
    headState(conversation, headKey, deps),
  );
  if (held) return held;
  await job.moveToDelayed(Date.now() + BUSY_RETRY_MS + Math.floor(Math.random() * 50), turn.token);
  throw new DelayedError();
}

/** An earlier message still holds the head while its job may run; answered or gone, it is skipped. */
async function headState(conversation: string, headKey: string, deps: TurnDependencies): Promise<HeadState> {
  if (await deps.ledger.isAnswered(conversation, headKey)) return 'gone';
  return isPendingJobState(await deps.inbound.getJobState(headKey)) ? 'pending' : 'gone';
}
