import type { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import type { RedisClient } from '../src/redis/connection';
import { conversationKey, messageKey, type InboundMessage } from '../src/core/inbound';
import { inboxScore, type TurnOrder } from '../src/conversation/turn-order';
import type { JobIds } from '../src/queues/jobs';

/**
 * Coalesces the enqueues of concurrent webhook requests into one `addBulk` (one Redis round trip
 * for many deliveries) plus, pipelined with it, the registration of each message in its
 * conversation's inbox.
 * Each request still waits for its own messages to be durably in Redis before it answers 200.
 * Job ids are keyed hashes of the message and its sender (src/queues/jobs.ts), the same for a
 * redelivery, so a redelivered message is not enqueued twice.
 *
 * An enqueue never hangs: while the connection is not ready it fails at once, and a write that
 * takes longer than `deadlineMs` is reported as failed (the webhook answers 503 and Meta
 * redelivers; should the slow write land after all, the job id makes the redelivery a no-op).
 * BullMQ alone would wait for Redis without limit when the process started during an outage.
 */
interface Waiting {
  messages: InboundMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

const DOWN = new Set(['reconnecting', 'close', 'end']);

export class EnqueueBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly queue: Queue<InboundMessage>,
    private readonly redis: RedisClient,
    private readonly turnOrder: TurnOrder,
    private readonly jobIds: JobIds,
    private readonly maxBatch = 500,
    private readonly deadlineMs = 2000,
  ) {}

  enqueue(messages: InboundMessage[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ messages, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets every request parsed in this turn of the event loop join the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      void this.write(batch);
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    // Known to be down: fail at once. Still connecting (start-up): try, within the deadline.
    if (DOWN.has(this.redis.status)) {
      const error = new Error(`Redis unavailable (${this.redis.status})`);
      for (const w of batch) w.reject(error);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`enqueue took longer than ${this.deadlineMs} ms`)), this.deadlineMs);
    });
    try {
      await Promise.race([this.writeNow(batch), deadline]);
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(error);
      // On a cluster whose master just failed over, auto-pipelined writes still go by the old
      // slot map and come back MOVED, and ioredis does not refresh the map for a pipeline that
      // failed part-way: refreshed here, Meta's redelivery reaches the new master.
      if (this.redis instanceof Cluster) this.redis.refreshSlotsCache();
    } finally {
      clearTimeout(timer);
    }
  }

  private async writeNow(batch: Waiting[]): Promise<void> {
    const arrivedAt = Date.now();
    const messages = batch.flatMap((w) => w.messages);
    // One command per inbox: on a Redis Cluster the inboxes of a batch live in different slots,
    // which one pipeline may not span; the producer connection's auto-pipelining still sends the
    // commands issued here together (per node, on a cluster).
    const jobs = new Array<Parameters<Queue<InboundMessage>['addBulk']>[0][number]>(messages.length);
    const registered = new Array<Promise<void>>(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      const key = messageKey(m);
      jobs[i] = { name: 'message', data: m, opts: { jobId: this.jobIds.inbound(key, m.userId) } };
      registered[i] = this.turnOrder.register(this.redis, conversationKey(m), key, inboxScore(m.timestamp, arrivedAt));
    }
    await Promise.all([this.queue.addBulk(jobs), ...registered]);
  }
}
