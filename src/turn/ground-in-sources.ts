import type { Citation } from '../core/citation';
import { citationTexts, knowledgeTexts } from '../core/reply-texts';
import { citationOf } from '../grounding/evidence';
import { Grounding, type TurnTools } from '../grounding/grounding';
import type { Coordinates } from '../knowledge/geo';
import type { TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * The business's knowledge in a turn: the turn's grounding (tools, retrieval, evidence), made
 * before the model call, and the answer finished with it after (src/grounding/finish-answer.ts):
 * references turned into citations, strict mode's "I don't know", the promise guard. Returns
 * what the answer used for /why, and counts what the guard did.
 */

/**
 * `more`: the turn's own tools beside the searches (a reminder's), offered and run through it;
 * `place`: where the person shared they are (shared-place.ts), for the nearest places
 */
export function groundingFor(
  deps: Pick<TurnDependencies, 'grounding' | 'handoff'>,
  more?: TurnTools,
  place?: Coordinates,
): Grounding {
  return new Grounding({ ...deps.grounding, handOff: deps.handoff.enabled }, more, place);
}

export interface GroundedText {
  text: string;
  citations: Citation[];
  /**
   * strict mode's "I don't know" replaced the answer: the place where a person is offered (a
   * handoff choice under the text, in the answered turn's `choices`) once the deployment has somewhere to hand
   * people to
   */
  unknown: boolean;
  /** the passages (and web results) the answer used, as citation lines (`/why` shows them) */
  passagesUsed: string[];
}

/**
 * `answer` as the person will read it. `question` is the person's words (a voice note's
 * transcript): strict mode asks whether it is about the business; `fromCatalog`: the answer
 * shows products a catalog search found, so the business's own data answered it.
 */
export function finishGrounded(
  turn: Pick<TurnStart, 't' | 'log'>,
  grounding: Grounding,
  answer: string,
  question: string,
  fromCatalog: boolean,
  deps: Pick<TurnDependencies, 'metrics'>,
): GroundedText {
  const { t } = turn;
  const texts = {
    unknown: knowledgeTexts.unknown(t),
    removed: knowledgeTexts.promiseRemoved(t),
    withheld: knowledgeTexts.promiseWithheld(t),
  };
  const finished = grounding.finish(answer, question, texts, fromCatalog);
  const { guard } = finished;
  if (guard.action !== 'kept') {
    for (const kind of guard.kinds) deps.metrics.promiseGuard.inc({ action: guard.action, kind });
    turn.log.warn({ action: guard.action, kinds: guard.kinds }, 'unsupported promise taken out');
  }
  if (grounding.hasKnowledge || finished.outcome === 'unknown') {
    const outcome = finished.outcome === 'unknown' ? 'unknown' : finished.used.length > 0 ? 'cited' : 'uncited';
    deps.metrics.knowledgeAnswers.inc({ outcome });
  }
  return {
    text: finished.text,
    citations: finished.citations,
    unknown: finished.outcome === 'unknown',
    passagesUsed: finished.used.map((evidence) => citationTexts.line(t, citationOf(evidence))),
  };
}
