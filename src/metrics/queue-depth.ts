import type { Gauge } from 'prom-client';

/** The part of a BullMQ Queue the depth gauge reads. */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

export const COUNTED_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Fills the queue gauge from Redis when Prometheus scrapes, rather than on a timer: the numbers
 * are as fresh as the scrape and nothing runs between scrapes. With Redis unreachable the series
 * are dropped for that scrape (an absent series is what an alert on `absent()` can see), and the
 * rest of the metrics are still served.
 */
export function readQueueDepth(queues: readonly CountableQueue[]) {
  return async function collect(this: Gauge<'queue' | 'state'>): Promise<void> {
    this.reset();
    try {
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...COUNTED_STATES)));
      counts.forEach((count, index) => {
        for (const state of COUNTED_STATES) this.set({ queue: queues[index]!.name, state }, count[state] ?? 0);
      });
    } catch {
      // Redis is down: no depth this scrape.
    }
  };
}
