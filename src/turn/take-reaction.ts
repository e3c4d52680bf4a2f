import type { AnswerMaking } from '../conversation/history';
import type { Reaction } from '../core/inbound';
import type { TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { handOver, type HandOverDeps } from './hand-over';

/** The history the reaction is kept in, the metrics it is counted in, the inbox it leaves. */
export type TakeReactionDeps = HandOverDeps & Pick<TurnDependencies, 'history' | 'metrics'>;

/**
 * A reaction (👍 👎 ❤️ …) to an answer is feedback, not a turn: nothing is sent back, no read
 * receipt or typing, no limit charged and no turn counted. The emoji is kept with the
 * conversation's newest answer in the history (in its `made`, so it lives, is sealed, exported and
 * erased exactly as that answer is; `/why` tells it) and counted by that answer's mode and model.
 * A reaction taken back removes it. The platforms name the message reacted to, but the ids of sent
 * messages are not kept, so a reaction is taken to be about the newest answer: the one people
 * react to nearly always. The reaction then leaves the inbox like an answered message.
 */
export async function takeReaction(turn: TurnStart, reaction: Reaction, deps: TakeReactionDeps): Promise<string> {
  const { emoji } = reaction;
  const made = await deps.history.changeLastAnswer(turn.conversation, (answer) => withReaction(answer, emoji));
  // Feedback is not a turn: the turn counters leave it out.
  turn.tally.counted = true;
  if (made) {
    const labels = { platform: turn.message.platform, mode: made.mode, model: made.model, reaction: kindOf(emoji) };
    deps.metrics.answerReactions.inc(labels);
    turn.log.info({ mode: made.mode, reaction: labels.reaction }, 'reaction to an answer');
  } else turn.log.info('reaction with no answer to keep it with');
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
