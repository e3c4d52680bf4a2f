import { isTransientStatus } from '../core/transient-failure';
import { GraphApiError, GraphNetworkError } from './graph-client';

/**
 * What the sender should do about a failed Graph call, decided by Graph's `code` as Meta documents
 * it (NOTES.md here, "Error codes"), not by the message text.
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
/**
 * The codes one platform reads its own way (each adapter passes its own; see
 * whatsapp/send-failure.ts and page-send-failure.ts): the same code can mean a closed 24-hour
 * window on one platform and a permission problem on another.
 */
export interface PlatformSendCodes {
  /** refusals because the user's messaging window is closed */
  windowClosed: ReadonlySet<number>;
  /** refusals no retry can fix on this platform, beyond the shared ones */
  never: ReadonlySet<number>;
}

/** Classifies a failed Graph call by the codes every platform shares, then the platform's own. */
export function classifyGraphFailure(error: unknown, platformCodes: PlatformSendCodes): SendFailure {
  if (error instanceof GraphNetworkError) return { kind: 'retry' };
  if (!(error instanceof GraphApiError)) return { kind: 'never' };
  const { code, httpStatus, retryAfterSeconds } = error;
  if (code === 131056) return { kind: 'retry-recipient', retryAfterSeconds };
  if (code !== undefined) {
    if (platformCodes.windowClosed.has(code)) return { kind: 'window-closed' };
    if (platformCodes.never.has(code)) return { kind: 'never' };
    if (AUTH_CODES.has(code)) return { kind: 'auth' };
    if (RETRYABLE_CODES.has(code)) return { kind: 'retry', retryAfterSeconds };
    if (NEVER_CODES.has(code) || (code >= 200 && code <= 299)) return { kind: 'never' };
  }
  // A transient status with a code we do not know is still the server's trouble, not ours.
  if (isTransientStatus(httpStatus)) return { kind: 'retry', retryAfterSeconds };
  return { kind: 'never' };
}
