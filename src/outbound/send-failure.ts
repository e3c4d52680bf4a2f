import type { Platform } from '../core/inbound';
import type { PlatformAdapter } from '../platforms/adapter';
import type { SendFailure } from '../platforms/graph-errors';
import type { OutboundDependencies } from './outbound-dependencies';
import { SendRetryError } from './retry-policy';

/** What a failed send comes to: another try later, or a refusal for good (already logged, a closed window remembered). */
export type FailedSend = { kind: 'retry'; error: SendRetryError } | { kind: 'refused'; failure: SendFailure };

/** Where a send was going and what its log lines carry. */
export interface SendAttempt {
  adapter: PlatformAdapter;
  platform: Platform;
  conversation: string;
  /** when the answered message was written: a closed window is remembered from then */
  answeringAt: number;
  /** what every log line of this send carries (job id, platform, part) */
  log: Record<string, unknown>;
  /** the line a failure worth retrying is logged with: who retries it */
  retryLine: string;
  /**
   * sent under a message tag (an agent's HUMAN_AGENT reply): its refusal says the tag's window or
   * permission failed, not when the 24-hour window closed, so it leaves the window's mark alone
   */
  tagged?: boolean;
}

/**
 * The one failure policy of every send: the platform's adapter classifies Graph's error, the
 * sends counter counts it, and then either it is worth retrying (the caller hands it to the
 * send queue's backoff) or Meta refused for good: a closed 24-hour window is remembered, so
 * nothing more is tried toward that person until they write; a bad token is fatal in the log.
 */
export async function settleFailedSend(
  error: unknown,
  attempt: SendAttempt,
  deps: Pick<OutboundDependencies, 'metrics' | 'logger' | 'window'>,
): Promise<FailedSend> {
  const failure = attempt.adapter.classifySendFailure(error);
  deps.metrics.sends.inc({ platform: attempt.platform, error_class: failure.kind });
  const context = { ...attempt.log, failure: failure.kind, err: error };
  if (failure.kind === 'retry' || failure.kind === 'retry-recipient') {
    deps.logger.warn(context, attempt.retryLine);
    return { kind: 'retry', error: new SendRetryError(failure, { cause: error }) };
  }
  if (failure.kind === 'window-closed') {
    // One attempt, no retry: Meta refuses until the user writes; remember that.
    if (!attempt.tagged) await deps.window.markClosed(attempt.conversation, attempt.answeringAt);
    deps.logger.warn(context, 'send refused: messaging window closed; not retrying');
  } else if (failure.kind === 'auth') deps.logger.fatal(context, 'send refused: access token invalid or expired');
  else deps.logger.error(context, 'send refused; not retrying');
  return { kind: 'refused', failure };
}
