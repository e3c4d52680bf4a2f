import type { Logger } from '../src/logging';

/**
 * What `worker` adds to SHUTDOWN_GRACE_MS before it stops waiting: time for jobs aborted at the end
 * of the grace period to be handed back to the queue and for connections to close.
 */
export const SHUTDOWN_MARGIN_MS = 1500;

/**
 * A hard deadline for a graceful stop. Closing BullMQ workers and queues waits for Redis; during
 * an outage that wait has no end, and an orchestrator's SIGKILL would come with no log line. Past
 * the deadline the process exits with a logged reason; jobs it still held are picked up again as
 * stalled by another worker. The timer is unref'd, so a stop that finishes in time exits at once.
 */
export function armShutdownDeadline(
  graceMs: number,
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const deadlineMs = graceMs + SHUTDOWN_MARGIN_MS;
  setTimeout(() => {
    logger.error(
      { deadlineMs, reason: 'jobs or connections still closing (is Redis reachable?)' },
      'shutdown deadline reached; exiting',
    );
    exit(1);
  }, deadlineMs).unref();
}
