import type { Platform } from '../core/inbound';
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

/**
 * Throttling, service errors and maintenance: 1, 2 (temporary), 4 (app call limit), 17 / 32 / 341
 * (user / Page / app Graph limits), 613 (Messenger rate limit), 1200 (Messenger "temporary send
 * message failure"), 80007 (WABA rate limit), 130429 (throughput), 131000 (unknown, "try again"),
 * 131016 (service unavailable), 131057 (maintenance).
 */
const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 1200, 80007, 130429, 131000, 131016, 131057]);
/** 0 (auth exception) and 190 (token expired or invalid). */
const AUTH_CODES = new Set([0, 190]);
/**
 * Refusals that no retry can fix, even when they come with a 5xx: invalid parameter (100),
 * undeliverable (131026), unsupported type (131051), media (131052, 131053), business blocked by
 * the user (130403), marketing limits and opt-out (131049, 131050), spam limit (131048), policy
 * (368, 131031), person unavailable (551), register rate limit (133016).
 */
const NEVER_CODES = new Set([
  100, 131026, 131048, 131049, 131050, 131051, 131052, 131053, 130403, 368, 131031, 551, 133016,
]);
/** Messenger 10 + 2018278 and Instagram 10 + 2534022: outside the 24-hour window. */
const PAGE_WINDOW_CLOSED_CODES = new Set([10, 1545041]);

/**
 * `platform` matters for code 10: on Messenger and Instagram a send refused with 10 means the
 * 24-hour window is closed; on WhatsApp 10 is a permission problem (the window is 131047).
 */
export function classifySendFailure(error: unknown, platform?: Platform): SendFailure {
  if (error instanceof GraphNetworkError) return { kind: 'retry' };
  if (!(error instanceof GraphApiError)) return { kind: 'never' };
  const { code, httpStatus, retryAfterSeconds } = error;
  if (code === 131056) return { kind: 'retry-recipient', retryAfterSeconds };
  if (code === 131047) return { kind: 'window-closed' };
  if (code !== undefined && PAGE_WINDOW_CLOSED_CODES.has(code)) {
    return platform === 'whatsapp' ? { kind: 'never' } : { kind: 'window-closed' };
  }
  if (code !== undefined && AUTH_CODES.has(code)) return { kind: 'auth' };
  if (code !== undefined && RETRYABLE_CODES.has(code)) return { kind: 'retry', retryAfterSeconds };
  if (code !== undefined && (NEVER_CODES.has(code) || (code >= 200 && code <= 299))) return { kind: 'never' };
  // A 5xx (or 429, or 408) with a code we do not know is still the server's trouble, not ours.
  if (httpStatus >= 500 || httpStatus === 429 || httpStatus === 408) return { kind: 'retry', retryAfterSeconds };
  return { kind: 'never' };
}
