import type { Logger } from '../logging';
import type { HandoffRequest, HandoffTarget } from './handoff-target';
import type { ForwardEntry, HandoffStore, PausedState } from './handoff-state';

/**
 * How long one drainer holds a conversation's log: longer than one delivery may take (the webhook
 * gives up after 10 s), renewed before each delivery, so a worker that died frees it soon.
 */
export const DRAIN_LOCK_MS = 12_000;

/** Thrown when another drainer holds the conversation's log: the caller's retry finds it done. */
export class DrainBusyError extends Error {
  constructor() {
    super('another worker is forwarding this conversation; retry');
    this.name = 'DrainBusyError';
  }
}

function requestOf(state: PausedState, entry: Extract<ForwardEntry, { kind: 'requested' }>): HandoffRequest {
  return {
    conversation: state.handle,
    platform: state.platform,
    channelId: state.channelId,
    userId: state.userId,
    ...(state.userName ? { userName: state.userName } : {}),
    reason: state.reason,
    ...(entry.detail ? { detail: entry.detail } : {}),
    transcript: entry.transcript,
  };
}

async function deliver(state: PausedState, target: HandoffTarget, entry: ForwardEntry): Promise<void> {
  if (entry.kind === 'requested') await target.requested(requestOf(state, entry));
  else if (entry.kind === 'not-sent') await target.notSent?.(state.handle, entry);
  else await target.forward(state.handle, entry.line);
}

/**
 * The forward log: everything a conversation's targets must receive while it is handed off,
 * appended once per message (by its key) and delivered in the order appended. Each target keeps
 * how many entries it has taken, advanced after each accepted delivery, so a worker killed
 * mid-way resumes at the first entry not taken. Delivery is at least once in the narrow gap
 * between a target accepting and the count moving; the webhook target names each delivery
 * (`X-Threadline-Delivery`) so a helpdesk can drop that repeat. One drainer per conversation.
 */
export async function drainForwardLog(
  state: PausedState,
  targets: readonly HandoffTarget[],
  store: HandoffStore,
  logger: Logger,
): Promise<void> {
  if (!(await store.lockDrain(state.conversation, DRAIN_LOCK_MS))) throw new DrainBusyError();
  let failure: unknown;
  try {
    for (const target of targets) {
      const { from, entries } = await store.undelivered(state.conversation, target.name);
      for (const [offset, entry] of entries.entries()) {
        await store.lockDrain(state.conversation, DRAIN_LOCK_MS, true);
        try {
          await deliver(state, target, entry);
        } catch (error) {
          logger.warn({ err: error, target: target.name }, 'handoff target did not take a message; kept for retry');
          failure ??= error;
          break;
        }
        await store.markDelivered(state.conversation, target.name, from + offset + 1);
      }
    }
  } finally {
    await store.unlockDrain(state.conversation);
  }
  if (failure) throw failure instanceof Error ? failure : new Error('handoff delivery failed');
}
