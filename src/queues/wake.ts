import { Job, type Queue } from 'bullmq';
import type { JobIds } from './jobs';

/**
 * Moves a delayed job to the waiting list now (BullMQ's promote). A message whose conversation
 * was busy waits delayed with a long backstop; the turn ahead of it wakes it when it finishes.
 *
 * The waiting message may not be delayed yet: it found the conversation busy a moment before the
 * turn ahead finished, and is still on its way to the delayed set. So a wake that finds nothing
 * to promote tries again a little later. The waiting job never promotes itself: its processor is
 * still running then, and BullMQ would start the job again beside it.
 */
const RETRY_AFTER_MS = [200, 1000];

export async function wakeDelayedJob(queue: Queue, jobId: string): Promise<void> {
  if (await promote(queue, jobId)) return;
  void (async () => {
    for (const ms of RETRY_AFTER_MS) {
      await new Promise((resolve) => setTimeout(resolve, ms).unref());
      if (await promote(queue, jobId)) return;
    }
  })();
}

/**
 * A turn gave its conversation back (`head`: the message now at the head of its inbox, as the
 * release or the answered record returned it). That message, if it is another one, found the
 * conversation busy and waits delayed: wake it now rather than at its backstop.
 */
export async function wakeMessageBehind(
  turn: { messageKey: string; message: { userId: string } },
  head: string | null,
  deps: { inbound: Queue; jobIds: Pick<JobIds, 'inbound'> },
): Promise<void> {
  if (head && head !== turn.messageKey)
    await wakeDelayedJob(deps.inbound, deps.jobIds.inbound(head, turn.message.userId));
}

/** False when the job was not delayed (waiting, running or gone), or Redis failed: its backstop still runs it. */
async function promote(queue: Queue, jobId: string): Promise<boolean> {
  try {
    await new Job(queue, 'wake', {}, {}, jobId).promote();
    return true;
  } catch {
    return false;
  }
}
