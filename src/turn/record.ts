import { replyTexts } from '../core/reply-texts';
import { splitForPlatform } from '../core/split';
import { contentFields } from '../logging';
import type { AnsweredTurn } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import type { ProductCards } from '../core/product-card';
import type { ReplyPart } from '../core/reply-part';
import type { AnswerMaking, HistoryEntry } from '../conversation/history';
import { citationParts } from './citation-parts';

/** What the reply is made of: the outcome, and the app and person it goes to. */
type ReplyOf = Pick<AnsweredTurn, 'outcome' | 'adapter' | 'message' | 't'>;

/** The answer's product cards as this app's messages, sent after the text (none where it has no cards). */
function cardParts(turn: ReplyOf, cards: ProductCards | undefined): ReplyPart[] {
  if (!cards || !turn.adapter.productMessages) return [];
  const to = { channelId: turn.message.channelId, userId: turn.message.userId };
  // The line a WhatsApp product list or single product shows above its products.
  return turn.adapter.productMessages(to, cards, turn.t('card.body'), turn.t).map((card) => ({ card }));
}

/**
 * The reply as the platform takes it: the text split at its limit, then the answer's product
 * cards, then its sources' buttons (sources without one are lines under the text).
 */
export function replyParts(turn: ReplyOf): ReplyPart[] {
  const { outcome } = turn;
  const sources = citationParts(turn, outcome.kind === 'answer' ? outcome.citations : undefined);
  return [
    ...splitForPlatform(
      outcome.text + sources.lines,
      turn.adapter.textLimit,
      undefined,
      replyTexts.answerShortened(turn.t),
    ),
    ...(outcome.kind === 'answer' ? cardParts(turn, outcome.cards) : []),
    ...sources.parts,
  ];
}

/** What the history keeps of this turn: the exchange, the answer with what it was made from (for /why). */
export function historyEntries(turn: AnsweredTurn, at: number): HistoryEntry[] {
  const { outcome } = turn;
  const made: AnswerMaking | undefined =
    outcome.kind === 'answer'
      ? {
          mode: turn.mode,
          model: outcome.model,
          facts: (turn.made?.factsUsed ?? []).map((fact) => fact.text),
          searches: turn.made?.searches ?? [],
          ...(turn.made?.passagesUsed.length ? { passages: turn.made.passagesUsed } : {}),
          ...(outcome.usage?.reasoningTokens ? { reasoningTokens: outcome.usage.reasoningTokens } : {}),
          at,
          ...(turn.route ? { route: { reason: turn.route.reason } } : {}),
        }
      : undefined;
  return (outcome.remember ?? []).map((past) =>
    made && past.role === 'assistant' ? { ...past, at, made } : { ...past, at },
  );
}

/**
 * The stamp that names a model's answer: its history entry's `at` (and its `made`'s), under which
 * the ids of its sent messages are kept; none for any other reply, which no reaction is kept with.
 */
export function answerStamp(turn: Pick<AnsweredTurn, 'outcome'>, at: number): number | undefined {
  return turn.outcome.kind === 'answer' ? at : undefined;
}

/** What recording reaches: the ledger, the inbox, the history and the first-contact mark, in one transaction. */
export type RecordDeps = Pick<
  TurnDependencies,
  'stateRedis' | 'ledger' | 'turnOrder' | 'history' | 'firstContact' | 'logContent'
>;

/**
 * Record: the reply, split at the platform's limit, is saved as the message's pending reply in
 * the same transaction that appends the exchange to the history and marks the messages merged
 * into this turn as answered. From here on a retry resends this reply instead of asking the
 * model again. (A turn that sent its own answer records it in one script instead:
 * send-own-answer.ts.)
 */
export async function record(turn: AnsweredTurn, parts: ReplyPart[], deps: RecordDeps, at: number): Promise<void> {
  const { outcome } = turn;
  const multi = deps.stateRedis.multi();
  deps.ledger.savePendingIn(multi, turn.conversation, turn.messageKey, parts);
  for (const absorbed of turn.absorbed) {
    deps.ledger.markAnsweredIn(multi, turn.conversation, absorbed);
    deps.turnOrder.finishIn(multi, turn.conversation, absorbed);
  }
  const entries = historyEntries(turn, at);
  if (entries.length > 0) deps.history.appendIn(multi, turn.conversation, entries);
  // Every reply keeps the person marked as told, for as long as the history the notice speaks of.
  if (deps.firstContact && outcome.text !== '') {
    deps.firstContact.marks.markIn(multi, turn.conversation);
  }
  await multi.exec();
  logDecided(turn, parts, deps);
}

export function logDecided(turn: AnsweredTurn, parts: ReplyPart[], deps: Pick<TurnDependencies, 'logContent'>): void {
  const { outcome } = turn;
  turn.log.info(
    {
      platform: turn.message.platform,
      mode: turn.mode,
      outcome: outcome.kind === 'answer' ? 'answer' : outcome.reason,
      model: outcome.kind === 'answer' ? outcome.model : undefined,
      usage: outcome.kind === 'answer' ? outcome.usage : undefined,
      latencyMs: Date.now() - turn.startedAt,
      parts: parts.length,
      searches: turn.made?.searches?.length,
      ...contentFields(deps.logContent, { text: turn.message.text, answer: outcome.text }),
    },
    'turn decided',
  );
}
