import type { AnswerMaking } from '../conversation/history';
import type { Reaction } from '../core/inbound';
import type { TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { handOver, type HandOverDeps } from './hand-over';

/** The answers' sent ids, the history the reaction is kept in, the metrics it is counted in, the inbox it leaves. */
export type TakeReactionDeps = HandOverDeps & Pick<TurnDependencies, 'sentAnswers' | 'history' | 'metrics'>;

/** The mode and model a reaction is counted under when it is about no answer kept. */
const NO_ANSWER = 'none';

/**
 * A reaction (👍 👎 ❤️ …) to an answer is feedback, not a turn: nothing is sent back, no read
 * receipt or typing, no limit charged and no turn counted. The platforms name the message reacted
 * to, and the outbound layer kept the id Graph gave each message of a model's answer
 * (conversation/sent-answers.ts), so the emoji is kept with exactly that answer in the history (in
 * its `made`, so it lives, is sealed, exported and erased exactly as that answer is; `/why` tells
 * it) and counted by its mode and model. A reaction taken back removes it.
 *
 * A reaction to any other message (an agent's reply, a reminder, a notice, the person's own
 * message, an answer sent before its id was kept or gone from the history) is credited to no
 * answer: it is counted with mode and model `none`, so feedback on the rest is seen too, and
 * changes nothing. Either way the reaction leaves the inbox like an answered message.
 */
export async function takeReaction(turn: TurnStart, reaction: Reaction, deps: TakeReactionDeps): Promise<string> {
  const { emoji, messageId } = reaction;
  const answerAt = messageId ? await deps.sentAnswers.answerOf(turn.conversation, messageId) : null;
  const made =
    answerAt !== null && (await deps.history.changeAnswer(turn.conversation, answerAt, (a) => withReaction(a, emoji)));
  // Feedback is not a turn: the turn counters leave it out.
  turn.tally.counted = true;
  const labels = {
    platform: turn.message.platform,
    mode: made ? made.mode : NO_ANSWER,
    model: made ? made.model : NO_ANSWER,
    reaction: kindOf(emoji),
  };
  deps.metrics.answerReactions.inc(labels);
  if (made) turn.log.info({ mode: made.mode, reaction: labels.reaction }, 'reaction to an answer');
  else turn.log.info({ reaction: labels.reaction }, 'reaction to a message that is no answer kept');
  await handOver(turn, [], deps);
  return 'reaction';
}

function withReaction(made: AnswerMaking, emoji: string): AnswerMaking {
  const { reaction: _previous, ...rest } = made;
  return emoji === '' ? rest : { ...rest, reaction: emoji };
}

const POSITIVE = new Set([
  '👍',
  '❤',
  '♥',
  '😍',
  '🥰',
  '🙏',
  '👏',
  '🔥',
  '😊',
  '🙂',
  '✅',
  '💯',
  '👌',
  '🤩',
  '💪',
  '😀',
  '😃',
]);
const NEGATIVE = new Set(['👎', '😡', '😠', '😞', '😢', '😭', '❌', '🙁', '😕', '💩', '🤬', '😒']);

/** The reaction as metrics count it: a few kinds, never the free emoji (bounded labels). */
export function kindOf(emoji: string): 'positive' | 'negative' | 'other' | 'removed' {
  if (emoji === '') return 'removed';
  // Skin tones and the emoji-style selector do not change what a reaction means.
  const bare = emoji.replace(/[\u{1F3FB}-\u{1F3FF}]|\uFE0F/gu, '');
  if (POSITIVE.has(bare)) return 'positive';
  if (NEGATIVE.has(bare)) return 'negative';
  return 'other';
}
