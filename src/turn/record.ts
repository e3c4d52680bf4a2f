import { splitForPlatform } from '../core/split';
import { contentFields } from '../logging';
import type { TurnContext } from './context';
import type { TurnDependencies } from './dependencies';

/**
 * Record: the reply, split at the platform's limit, is saved as the message's pending reply in
 * the same transaction that appends the exchange to the history and marks the messages merged
 * into this turn as answered. From here on a retry resends this reply instead of asking the
 * model again. Sets `parts`.
 */
export async function record(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const { outcome } = turn;
  if (!outcome) throw new Error('record: the turn has no outcome (answer sets one on every path)');
  const parts = splitForPlatform(outcome.text, turn.adapter.textLimit);
  const multi = deps.stateRedis.multi();
  deps.ledger.savePendingIn(multi, turn.conversation, turn.messageKey, parts);
  for (const absorbed of turn.absorbed) {
    deps.ledger.markAnsweredIn(multi, turn.conversation, absorbed);
    deps.turnOrder.finishIn(multi, turn.conversation, absorbed);
  }
  if (outcome.kind === 'answer') {
    const at = Date.now();
    deps.history.appendIn(
      multi,
      turn.conversation,
      outcome.remember.map((past) => ({ ...past, at })),
    );
    deps.lastAnswers.saveIn(multi, turn.conversation, {
      mode: turn.mode ?? 'fast',
      model: outcome.model,
      facts: (turn.factsUsed ?? []).map((fact) => fact.text),
      searches: turn.searches ?? [],
      at,
    });
  }
  // Every reply keeps the person marked as told, for as long as the history the notice speaks of.
  if (deps.firstContact && outcome.text !== '') {
    deps.firstContact.marks.markIn(multi, turn.conversation);
  }
  await multi.exec();
  turn.parts = parts;
  deps.logger.info(
    {
      jobId: turn.job.id,
      platform: turn.message.platform,
      mode: turn.mode,
      outcome: outcome.kind === 'answer' ? 'answer' : outcome.reason,
      model: outcome.kind === 'answer' ? outcome.model : undefined,
      usage: outcome.kind === 'answer' ? outcome.usage : undefined,
      latencyMs: Date.now() - turn.startedAt,
      parts: parts.length,
      ...contentFields(deps.logContent, { text: turn.message.text, answer: outcome.text }),
    },
    'turn decided',
  );
}
