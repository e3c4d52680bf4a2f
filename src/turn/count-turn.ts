import type { TurnOutcome, TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/** What became of a turn, as operators count it. */
export type CountedOutcome = 'answer' | 'notice' | 'limited' | 'failed' | 'handed-off';

/**
 * Count: the one place a turn is counted, once it has ended — after record (a retry that resumes
 * from a saved reply was counted by the attempt that recorded it), or when it fails on its last
 * attempt. A fair-use refusal also counts against its limit, told or quiet.
 */
export function countTurn(turn: TurnStart, deps: Pick<TurnDependencies, 'metrics'>, outcome: CountedOutcome): void {
  const { tally } = turn;
  if (tally.counted) return;
  tally.counted = true;
  const { decision } = tally;
  const labels = { platform: turn.message.platform, mode: decision?.mode ?? 'none', outcome };
  deps.metrics.turns.inc(labels);
  deps.metrics.turnDuration.observe(labels, (Date.now() - turn.startedAt) / 1000);
  // Only a first attempt's wait is queue lag; a retry's includes the earlier attempt and its backoff.
  if (turn.job.attemptsMade === 0) {
    deps.metrics.turnQueueWait.observe(
      { platform: turn.message.platform },
      Math.max(0, turn.startedAt - turn.job.timestamp) / 1000,
    );
  }
  // A refusal is decided (an `answered` decision); a route counts when the turn went ahead in the mode auto chose.
  const limit = decision?.kind === 'answered' ? refusedBy(decision.outcome) : undefined;
  if (limit) deps.metrics.fairUseRefusals.inc({ limit });
  const route = decision?.kind === 'planned' ? decision.route : undefined;
  if (route) deps.metrics.autoRoutes.inc({ route: route.mode, reason: route.reason });
}

/** The outcome a recorded turn is counted as. */
export function countedOutcome(outcome: TurnOutcome): CountedOutcome {
  if (outcome.kind === 'answer') return 'answer';
  if (refusedBy(outcome)) return 'limited';
  if (outcome.reason === 'handed-off') return 'handed-off';
  return outcome.reason === 'model-failed' ? 'failed' : 'notice';
}

/** The limit that refused the turn (`limit:daily`, or `limit-repeat:daily` once the user was told). */
function refusedBy(outcome: TurnOutcome | undefined): string | undefined {
  if (outcome?.kind !== 'notice') return undefined;
  return /^limit(?:-repeat)?:(.+)$/.exec(outcome.reason)?.[1];
}
