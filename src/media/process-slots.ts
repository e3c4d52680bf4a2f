import { MediaError } from './errors';

/**
 * A counting semaphore for ffmpeg processes: at most `size` run at once in this worker, the rest
 * wait in arrival order. A waiter whose turn is aborted (the worker shuts down) leaves the queue
 * at once. Written here because the semaphore libraries on npm cannot drop one waiter on an
 * AbortSignal.
 */
export class ProcessSlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`process slots must be a positive integer: ${size}`);
  }

  /** processes running now, and waiting for a slot */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(aborted());
    if (this.active < this.size) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active += 1;
        resolve();
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(aborted());
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }
}

const aborted = () => new MediaError('unreadable', 'ffmpeg aborted', true);
