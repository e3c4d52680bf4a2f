import { DelayedError } from 'bullmq';
import { inboxScore, type HeadState, type HeldTurn } from '../conversation/turn-order';
import { isPendingJobState } from '../queues/jobs';
import { wakeDelayedJob } from '../queues/wake';
import type { TurnContext } from './context';
import type { TurnDependencies } from './dependencies';

/**
 * Claim: the conversation's lock, and only for the message at the head of its inbox, so one
 * user's messages are answered one at a time and in the order they were written. When the
 * conversation is busy (or an earlier message is still coming) the job steps aside, freeing the
 * worker slot for other users, until the turn ahead finishes and wakes it (src/queues/wake.ts);
 * the long delay is only a backstop for a waker that died between finishing and waking.
 */

/** How long a message waits at most when its conversation is busy and nobody wakes it. */
export const BUSY_BACKSTOP_MS = 15_000;

export async function claim(turn: TurnContext, deps: TurnDependencies): Promise<HeldTurn> {
  const { job, conversation, messageKey } = turn;
  const score = inboxScore(turn.message.timestamp, job.timestamp);
  await deps.turnOrder.register(deps.stateRedis, conversation, messageKey, score);
  const begun = await deps.turnOrder.tryBegin(conversation, messageKey, (headKey) =>
    headState(conversation, headKey, deps),
  );
  if (begun.held) return begun.held;
  // The earlier message at the head may have found the conversation locked by our look at it and
  // stepped aside too: wake it, or both would wait for the backstop.
  if (begun.head && begun.head !== messageKey) await wakeDelayedJob(deps.inbound, begun.head);
  await job.moveToDelayed(Date.now() + BUSY_BACKSTOP_MS + Math.floor(Math.random() * 1000), turn.token);
  throw new DelayedError();
}

/** An earlier message still holds the head while its job may run; answered or gone, it is skipped. */
async function headState(conversation: string, headKey: string, deps: TurnDependencies): Promise<HeadState> {
  if (await deps.ledger.isAnswered(conversation, headKey)) return 'gone';
  return isPendingJobState(await deps.inbound.getJobState(headKey)) ? 'pending' : 'gone';
}
