import { UnrecoverableError, type Job } from 'bullmq';
import type { AnswerLedger } from '../src/conversation/answer-ledger';
import { classifySendFailure, type SendFailure } from '../src/platforms/graph-errors';
import type { PlatformRegistry } from '../src/platforms/registry';
import { outboundJobSchema, type OutboundJob } from '../src/queues/jobs';
import type { Logger } from '../src/logging';

/**
 * Delivers one answer: its parts in order, each at most once. A part already sent (recorded in
 * the ledger) is skipped when the job is retried. Failures are classified by Graph error code:
 * transient ones are retried with backoff (Retry-After honoured), the rest stop the job.
 */
export interface SenderDependencies {
  adapters: PlatformRegistry;
  ledger: AnswerLedger;
  logger: Logger;
}

/** A send failure the sender's backoff strategy understands. */
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

export function createSender(deps: SenderDependencies) {
  return async function sendReply(job: Job<OutboundJob>): Promise<string> {
    const parsed = outboundJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid outbound job: ${parsed.error.message}`);
    const reply = parsed.data;
    const adapter = deps.adapters.get(reply.platform);
    if (!adapter) throw new UnrecoverableError(`${reply.platform} is not configured`);

    for (const [index, part] of reply.parts.entries()) {
      if (await deps.ledger.isPartSent(reply.answering, index)) continue;
      try {
        const to = { channelId: reply.channelId, userId: reply.userId };
        const isLast = index === reply.parts.length - 1;
        const withChoices = isLast && reply.choices?.length && adapter.sendChoices ? await adapter.sendChoices(to, part, reply.choices) : null;
        if (!withChoices) await adapter.sendText(to, part);
      } catch (error) {
        const failure = classifySendFailure(error);
        const context = { jobId: job.id, platform: reply.platform, part: index, failure: failure.kind, err: error };
        if (failure.kind === 'retry' || failure.kind === 'retry-recipient') {
          deps.logger.warn(context, 'send failed; retrying');
          throw new SendRetryError(failure, { cause: error });
        }
        if (failure.kind === 'auth') deps.logger.fatal(context, 'send refused: access token invalid or expired');
        else deps.logger.error(context, 'send refused; not retrying');
        throw new UnrecoverableError(`send refused (${failure.kind})`);
      }
      await deps.ledger.markPartSent(reply.answering, index);
    }
    deps.logger.info({ jobId: job.id, platform: reply.platform, parts: reply.parts.length }, 'reply sent');
    return 'sent';
  };
}
