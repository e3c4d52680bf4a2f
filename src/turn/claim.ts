import { randomUUID } from 'node:crypto';
import { DelayedError } from 'bullmq';
import type { ConversationState } from '../conversation/conversation-turn';
import type { ReplyPart } from '../core/reply-part';
import type { HeadState, HeldTurn } from '../conversation/turn-order';
import { isPendingJobState } from '../queues/jobs';
import { wakeMessageBehind } from '../queues/wake';
import type { TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * Claim: the conversation's lock, and only for the message at the head of its inbox, so one
 * user's messages are answered one at a time and in the order they were written. When the
 * conversation is busy (or an earlier message is still coming) the job steps aside, freeing the
 * worker slot for other users, until the turn ahead finishes and wakes it (src/queues/wake.ts);
 * the long delay is only a backstop for a waker that died between finishing and waking.
 *
 * The same step reads what the turn will need (src/conversation/conversation-turn.ts): whether
 * the message was answered already, the reply an earlier attempt saved, or the conversation's
 * state for a fresh turn (a person from the team holding it among it), and marks when the person
 * wrote, which opens Meta's 24-hour window for anything sent to them (a reminder, an agent's reply).
 */

/** How long a message waits at most when its conversation is busy and nobody wakes it. */
export const BUSY_BACKSTOP_MS = 15_000;

export type Claimed =
  | { kind: 'duplicate' }
  | { kind: 'resume'; held: HeldTurn; parts: ReplyPart[] }
  | { kind: 'begin'; held: HeldTurn; found: ConversationState };

/** What the claim reaches: the conversation's lock and inbox, the ledger, and the inbound queue. */
export type ClaimDeps = Pick<
  TurnDependencies,
  'conversationTurns' | 'firstContact' | 'turnOrder' | 'ledger' | 'stateRedis' | 'keys' | 'inbound' | 'jobIds'
>;

export async function claim(turn: TurnStart, deps: ClaimDeps): Promise<Claimed> {
  const { conversation, messageKey } = turn;
  const { control, reaction, timestamp } = turn.message;
  const request = {
    token: randomUUID(),
    readTold: deps.firstContact !== null,
    // A change of who answers, or a reaction, is not a message from the person.
    wroteAt: control || reaction ? null : timestamp,
  };
  const takenAt = Date.now();
  let held: HeldTurn | undefined;
  for (;;) {
    const result = await deps.conversationTurns.claim(conversation, messageKey, request);
    if (result.state === 'answered') return { kind: 'duplicate' };
    if (result.state === 'busy') return stepAside(turn, deps, null);
    held ??= deps.turnOrder.hold(conversation, request.token, takenAt);
    if (result.state === 'resume') {
      const parts = deps.ledger.openReply(messageKey, result.reply);
      if (parts) return { kind: 'resume', held, parts };
      // Unreadable (sealed with another key): the turn decides again.
      await deps.stateRedis.del(deps.keys.answer(conversation, messageKey));
      continue;
    }
    if (result.state === 'begin') return { kind: 'begin', held, found: result.found };
    // An earlier message holds the head: wait for it while its job may still run, else drop it.
    if (result.head !== null && (await headState(turn, result.head, deps)) === 'pending') {
      return stepAside(turn, deps, await held.release());
    }
    if (result.head !== null) await deps.stateRedis.zrem(deps.turnOrder.inboxKey(conversation), result.head);
  }
}

/**
 * Waits delayed until woken. The earlier message at the head may have found the conversation
 * locked by our look at it and stepped aside too: wake it, or both would wait for the backstop.
 */
async function stepAside(
  turn: TurnStart,
  deps: Pick<ClaimDeps, 'inbound' | 'jobIds'>,
  head: string | null,
): Promise<never> {
  await wakeMessageBehind(turn, head, deps);
  await turn.job.moveToDelayed(Date.now() + BUSY_BACKSTOP_MS + Math.floor(Math.random() * 1000), turn.token);
  throw new DelayedError();
}

/** An earlier message still holds the head while its job may run; answered or gone, it is skipped. */
async function headState(
  turn: TurnStart,
  headKey: string,
  deps: Pick<ClaimDeps, 'ledger' | 'inbound' | 'jobIds'>,
): Promise<HeadState> {
  if (await deps.ledger.isAnswered(turn.conversation, headKey)) return 'gone';
  const jobId = deps.jobIds.inbound(headKey, turn.message.userId);
  return isPendingJobState(await deps.inbound.getJobState(jobId)) ? 'pending' : 'gone';
}
