import type { SendFailure } from '../platforms/graph-errors';

/** A send failure worth another try; the send queue's backoff strategy reads its class. */
export class SendRetryError extends Error {
  constructor(
    readonly failure: SendFailure,
    options: { cause: unknown },
  ) {
    super(`send failed, will retry (${failure.kind})`, options);
    this.name = 'SendRetryError';
  }
}

/** BullMQ backoff strategy for `backoff: { type: 'graph' }`. */
export function graphBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  const failure = error instanceof SendRetryError ? error.failure : undefined;
  const retryAfter = failure && 'retryAfterSeconds' in failure ? failure.retryAfterSeconds : undefined;
  if (retryAfter !== undefined) return Math.ceil(retryAfter * 1000);
  // Pair rate limit: Meta allows about one message per 6 s to the same user.
  if (failure?.kind === 'retry-recipient') return 6000 * attemptsMade;
  const base = Math.min(60_000, 500 * 2 ** (attemptsMade - 1));
  return base + Math.floor(Math.random() * base * 0.2);
}

/** How long a send that failed outside the send queue waits before the queue's first retry. */
export const firstRetryInMs = (error: SendRetryError): number => graphBackoff(1, 'graph', error);
