import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { conversationKey, messageKey, type InboundMessage } from '../src/core/inbound';
import { inboxScore, type TurnOrder } from '../src/conversation/turn-order';
import { waitForRedis } from '../src/redis/connection';

/**
 * Coalesces the enqueues of concurrent webhook requests into one `addBulk` (one Redis round trip
 * for many deliveries) plus one pipeline registering each message in its conversation's inbox.
 * Each request still waits for its own messages to be durably in Redis before it answers 200.
 * Job ids are message keys, so a redelivered message is not enqueued twice.
 */
interface Waiting {
  messages: InboundMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

export class EnqueueBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly queue: Queue<InboundMessage>,
    private readonly redis: Redis,
    private readonly turnOrder: TurnOrder,
    /** Past this, the request gets 503 rather than hanging: Meta will redeliver. */
    private readonly timeoutMs = 2000,
    private readonly maxBatch = 500,
  ) {}

  async enqueue(messages: InboundMessage[]): Promise<void> {
    const status = this.redis.status;
    if (status === 'wait' || status === 'connecting' || status === 'connect') {
      // Still starting up: worth a short wait.
      await waitForRedis(this.redis, this.timeoutMs).catch(() => undefined);
    }
    // Known to be down (reconnecting, closed): fail at once rather than hang; Meta will redeliver.
    if (this.redis.status !== 'ready') throw new RedisUnavailableError(`redis is ${this.redis.status}`);
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
    const arrivedAt = Date.now();
    const messages = batch.flatMap((w) => w.messages);
    const pipeline = this.redis.pipeline();
    for (const m of messages) {
      this.turnOrder.register(pipeline, conversationKey(m), messageKey(m), inboxScore(m.timestamp, arrivedAt));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailableError(`enqueue took over ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const [, results] = await Promise.race([
        Promise.all([
          this.queue.addBulk(messages.map((m) => ({ name: 'message', data: m, opts: { jobId: messageKey(m) } }))),
          pipeline.exec(),
        ]),
        timeout,
      ]);
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0];
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
