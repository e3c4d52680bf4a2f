import type { RememberedFact } from '../core/remembered-fact';
import { categoryOf } from './fact-category';
import { MAX_FACT_CHARS } from './memory-store';

/**
 * A fact the model proposes to remember travels as a tag at the end of its answer,
 * `[remember: I'm vegetarian | diet]`. The tag is machine-readable so the bot can turn it into a
 * Yes/No question; it is cut from the answer and from the history, so the person never sees it and
 * the model never reads its own proposals back. Only the first tag counts: one question at a time.
 */
const TAG = /\[\s*remember\s*:\s*([^\]|]*?)\s*(?:\|\s*([^\]]*?)\s*)?\]/giu;

export interface ProposalReading {
  /** the answer without any tag */
  text: string;
  proposal?: RememberedFact;
}

export function takeProposal(answer: string): ProposalReading {
  let proposal: RememberedFact | undefined;
  const text = answer
    .replace(TAG, (_tag, fact: string, category: string | undefined) => {
      const words = fact.trim();
      if (!proposal && words !== '' && [...words].length <= MAX_FACT_CHARS) {
        proposal = { text: words, category: categoryOf(words, category) };
      }
      return '';
    })
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  return proposal ? { text, proposal } : { text };
}
