import { GraphApiError, GraphNetworkError } from './graph-client';

/**
 * What the sender should do about a failed Graph call, decided by Graph's `code` as Meta documents
 * it (see shared/PLATFORMS.md §6), not by the message text.
 */
export type SendFailure =
  /** transient: retry with backoff (5xx, network, throttling, maintenance) */
  | { kind: 'retry'; retryAfterSeconds?: number }
  /** the per-recipient pair limit: slow down for this recipient only */
  | { kind: 'retry-recipient'; retryAfterSeconds?: number }
  /** the 24-hour window is closed: do not retry until the user writes again */
  | { kind: 'window-closed' }
  /** the token is bad or expired: an operator must act */
  | { kind: 'auth' }
  /** anything else Meta rejected: retrying cannot help */
  | { kind: 'never' };

const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 1200, 80007, 130429, 131000, 131016, 131057]);
const AUTH_CODES = new Set([0, 190]);

export function classifySendFailure(error: unknown): SendFailure {
  if (error instanceof GraphNetworkError) return { kind: 'retry' };
  if (!(error instanceof GraphApiError)) return { kind: 'never' };
  const { code, httpStatus, retryAfterSeconds } = error;
  if (code === 131056) return { kind: 'retry-recipient', retryAfterSeconds };
  if (code === 131047) return { kind: 'window-closed' };
  // Messenger/Instagram report the closed window as code 10 (subcodes 2018278, 2534022).
  if (code === 10 || code === 1545041) return { kind: 'window-closed' };
  if (code !== undefined && AUTH_CODES.has(code)) return { kind: 'auth' };
  if (code !== undefined && RETRYABLE_CODES.has(code)) return { kind: 'retry', retryAfterSeconds };
  // A 5xx (or 429) with a code we do not know is still the server's trouble, not ours.
  if (httpStatus >= 500 || httpStatus === 429) return { kind: 'retry', retryAfterSeconds };
  return { kind: 'never' };
}
