import { splitForPlatform } from '../core/split';
import { contentFields } from '../logging';
import type { TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import type { ProductCards } from '../core/product-card';
import type { ReplyPart } from '../core/reply-part';

/** The line a WhatsApp product list or single product shows above its products. */
const CARDS_BODY = 'Tap a product to see it in the shop.';

/** The answer's product cards as this app's messages, sent after the text (none where it has no cards). */
function cardParts(turn: TurnContext, cards: ProductCards | undefined): ReplyPart[] {
  if (!cards || !turn.adapter.productMessages) return [];
  const to = { channelId: turn.message.channelId, userId: turn.message.userId };
  return turn.adapter.productMessages(to, cards, CARDS_BODY).map((card) => ({ card }));
}

/**
 * Record: the reply, split at the platform's limit, is saved as the message's pending reply in
 * the same transaction that appends the exchange to the history and marks the messages merged
 * into this turn as answered. From here on a retry resends this reply instead of asking the
 * model again. Sets `parts`.
 */
export async function record(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const { outcome } = turn;
  if (!outcome) throw new Error('record: the turn has no outcome (answer sets one on every path)');
  const parts: ReplyPart[] = [
    ...splitForPlatform(outcome.text, turn.adapter.textLimit),
    ...(outcome.kind === 'answer' ? cardParts(turn, outcome.cards) : []),
  ];
  const multi = deps.stateRedis.multi();
  deps.ledger.savePendingIn(multi, turn.conversation, turn.messageKey, parts);
  for (const absorbed of turn.absorbed) {
    deps.ledger.markAnsweredIn(multi, turn.conversation, absorbed);
    deps.turnOrder.finishIn(multi, turn.conversation, absorbed);
  }
  const at = Date.now();
  if (outcome.remember?.length) {
    deps.history.appendIn(
      multi,
      turn.conversation,
      outcome.remember.map((past) => ({ ...past, at })),
    );
  }
  if (outcome.kind === 'answer') {
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
      searches: turn.searches?.length,
      ...contentFields(deps.logContent, { text: turn.message.text, answer: outcome.text }),
    },
    'turn decided',
  );
}
