import type { AnswerMaking } from '../conversation/history';
import { notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * A reaction (👍 👎 ❤️ …) to an answer is feedback, not a turn: nothing is sent back, no read
 * receipt or typing, no limit charged and no turn counted. The emoji is kept with the
 * conversation's newest answer in the history (in its `made`, so it lives, is sealed, exported and
 * erased exactly as that answer is; `/why` tells it) and counted by that answer's mode and model.
 * A reaction taken back removes it. The platforms name the message reacted to, but the ids of sent
 * messages are not kept, so a reaction is taken to be about the newest answer: the one people
 * react to nearly always.
 */
export async function takeReaction(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const emoji = turn.message.reaction?.emoji ?? '';
  const made = await deps.history.changeLastAnswer(turn.conversation, (answer) => withReaction(answer, emoji));
  turn.outcome = notice('', 'reaction');
  // Feedback is not a turn: the turn counters leave it out.
  turn.counted = true;
  if (!made) {
    deps.logger.info({ jobId: turn.job.id }, 'reaction with no answer to keep it with');
    return;
  }
  turn.mode = made.mode as TurnContext['mode'];
  const labels = { platform: turn.message.platform, mode: made.mode, model: made.model, reaction: kindOf(emoji) };
  deps.metrics.answerReactions.inc(labels);
  deps.logger.info({ jobId: turn.job.id, mode: made.mode, reaction: labels.reaction }, 'reaction to an answer');
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
