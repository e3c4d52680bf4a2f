import { promisesIn, type PromiseKind } from './promise-rules';
import { supports } from './support';

/**
 * The check after the model answered, before anything is sent: a sentence that promises something
 * on the business's behalf (promise-rules.ts) stays only when a passage of the business's own
 * documents given to this answer backs it (support.ts). Web results never back a promise: the
 * business did not write them. What is left out is said to be left out; an answer that was
 * nothing but such a promise is withheld and replaced by a plain "I can't promise that".
 */

export type GuardAction = 'kept' | 'rewritten' | 'withheld';

export interface GuardVerdict {
  text: string;
  action: GuardAction;
  /** the kinds of promise taken out (empty when kept) */
  kinds: PromiseKind[];
}

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });

/** Less than this much left after the promises went out is not an answer any more. */
const MIN_LEFT_CHARS = 20;

/** What the person reads instead: a note under what is left, or the whole answer withheld (translated). */
export interface GuardTexts {
  removed: string;
  withheld: string;
}

export function guardPromises(text: string, backing: readonly string[], texts: GuardTexts): GuardVerdict {
  const kinds = new Set<PromiseKind>();
  let kept = '';
  for (const { segment } of sentences.segment(text)) {
    const promised = promisesIn(segment);
    if (promised.length > 0 && !backing.some((passage) => supports(passage, segment))) {
      promised.forEach((kind) => kinds.add(kind));
      // keep the line break that ended the dropped sentence, so lists and paragraphs stay apart
      if (/\n\s*$/.test(segment)) kept += '\n';
      continue;
    }
    kept += segment;
  }
  if (kinds.size === 0) return { text, action: 'kept', kinds: [] };
  const left = kept.replace(/\n{3,}/g, '\n\n').trim();
  if (left.replace(/[\s\p{P}]/gu, '').length < MIN_LEFT_CHARS) {
    return { text: texts.withheld, action: 'withheld', kinds: [...kinds] };
  }
  return { text: `${left}\n\n${texts.removed}`, action: 'rewritten', kinds: [...kinds] };
}
