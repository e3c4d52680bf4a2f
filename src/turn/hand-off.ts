import { handoffTexts } from '../commands/handoff-texts';
import type { ReplyChoice } from '../core/reply-choice';
import type { HandoffReason } from '../handoff/handoff-target';
import type { Translator } from '../i18n/translator';
import { handToPerson, type HandToPersonDeps } from '../quick-answers/hand-to-person';
import { notice, type AnsweredTurn, type TurnContext, type TurnOutcome } from '../turn-state/turn-context';

/** Answers in a row in one conversation that did not help (strict mode's "I don't know", a failed model) before a person is asked to join. */
export const FAILURES_BEFORE_HANDOFF = 3;

/** The "Talk to a person" choice: its payload is the command, so a tap and a typed `/human` are one thing. */
export const talkToAPerson = (t: Translator): ReplyChoice => ({ id: '/human', title: handoffTexts.talkToAPerson(t) });

/** The reason label the model's words fit, for the metrics; the words themselves go to the agent. */
export function reasonOf(words: string): HandoffReason {
  const text = words.toLowerCase();
  if (/refund|money back|reembolso|rembourse|erstattung|rimborso/.test(text)) return 'refund';
  if (/legal|lawyer|lawsuit|court|gdpr/.test(text)) return 'legal';
  if (/complain|complaint|queja|réclamation|beschwerde|reclamo/.test(text)) return 'complaint';
  if (/frustrat|angry|upset|annoyed/.test(text)) return 'frustration';
  if (/no answer|not in the (?:documents|knowledge)|don't know|unknown/.test(text)) return 'no-answer';
  if (/asked|human|person|agent|someone/.test(text)) return 'asked';
  return 'other';
}

/**
 * The model called `hand_off`: the conversation goes to a person and the person is told what
 * happens next in the catalogue's words (the model's own text is not shown; its reason goes to
 * the agent). The person's message is kept in the history.
 */
export async function handedOffByModel(
  turn: TurnContext,
  deps: HandToPersonDeps,
  reason: string,
  words: string,
): Promise<TurnOutcome> {
  const asked = await handToPerson(turn, deps, reasonOf(reason), { asking: words, detail: reason });
  return {
    ...notice(asked.text, asked.handedOff ? 'handoff:model' : 'handoff:unavailable'),
    remember: [
      { role: 'user', content: words },
      { role: 'assistant', content: asked.text },
    ],
  };
}

/**
 * After an answer: one that did not help counts toward a handoff (FAILURES_BEFORE_HANDOFF in a
 * row hand the conversation to a person, said under the answer); one that did resets the count.
 * Off without a handoff target.
 */
export async function handOffAfterFailures(turn: AnsweredTurn, deps: HandToPersonDeps): Promise<AnsweredTurn> {
  const { outcome } = turn;
  if (!deps.handoff.enabled || (outcome.kind === 'notice' && outcome.reason.startsWith('handoff:'))) return turn;
  const failed = turn.unanswered === true || (outcome.kind === 'notice' && outcome.reason === 'model-failed');
  if (outcome.kind !== 'answer' && !failed) return turn;
  const count = await deps.handoff.countFailure(turn.conversation, failed);
  if (count < FAILURES_BEFORE_HANDOFF) return turn;
  const words = turn.message.text?.trim();
  const asked = await handToPerson(turn, deps, 'failures', words ? { asking: words } : {});
  if (!asked.handedOff) return turn;
  await deps.handoff.countFailure(turn.conversation, false);
  // Handed over already: "Talk to a person" would ask again for what just happened.
  const { choices: _offered, ...rest } = turn;
  return { ...rest, outcome: { ...outcome, text: `${outcome.text}\n\n${asked.text}` } };
}
