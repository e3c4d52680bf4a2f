import type { Citation } from '../core/citation';
import { isBusinessQuestion } from './business-question';
import { citationOf, type Evidence, type EvidenceLedger } from './evidence';
import { guardPromises, type GuardTexts, type GuardVerdict } from './promise-guard';
import { overlap } from './support';

/**
 * An answer made with the business's knowledge at hand, finished before it is sent: the model's
 * references ([K1], [W2]) are taken out of the text and become the citations under it; in strict
 * mode a question about the business that no passage answers gets "I don't know"; and whatever
 * the mode, a promise no passage backs is taken out (promise-guard.ts).
 */

/** What the model answers in strict mode when the passages do not answer a business question. */
export const UNKNOWN_MARK = '[unknown]';

const MARKERS = /\s*\[((?:[KW]\d{1,3})(?:\s*[,;]\s*[KW]\d{1,3})*)\]/gi;

/** An answer that cites nothing is matched to what it plainly took from: this share of its words. */
const IMPLICIT_USE = 0.5;
const IMPLICIT_MAX = 2;

export interface FinishedAnswer {
  text: string;
  citations: Citation[];
  /** the evidence the answer used, as cited (for /why) */
  used: Evidence[];
  /** `unknown`: strict mode's "I don't know" replaced the answer */
  outcome: 'answered' | 'unknown';
  guard: GuardVerdict;
}

export interface FinishOptions {
  strict: boolean;
  /** the person's words this turn: strict mode asks whether they are about the business */
  question: string;
  /** the person's texts in their language: strict mode's "I don't know", the guard's notes */
  texts: GuardTexts & { unknown: string };
  /** the answer shows catalog products a search found: the business's own data answered it */
  fromCatalog?: boolean;
}

/** The references cited in `text`, and the text without them. */
export function takeReferences(text: string): { text: string; refs: string[] } {
  const refs: string[] = [];
  const clean = text.replace(MARKERS, (_, list: string) => {
    refs.push(...list.split(/[,;]/).map((ref) => ref.trim().toUpperCase()));
    return '';
  });
  return { text: clean.replace(/[ \t]+([.,;:!?])/g, '$1').trim(), refs: [...new Set(refs)] };
}

function usedEvidence(ledger: EvidenceLedger, refs: string[], text: string): Evidence[] {
  const cited = refs.flatMap((ref) => ledger.byRef(ref) ?? []);
  if (cited.length > 0 || refs.length > 0) return cited;
  return ledger.all
    .map((evidence) => ({ evidence, share: overlap(evidence.text, text) }))
    .filter(({ share }) => share >= IMPLICIT_USE)
    .sort((a, b) => b.share - a.share)
    .slice(0, IMPLICIT_MAX)
    .map(({ evidence }) => evidence);
}

const kept = (text: string): GuardVerdict => ({ text, action: 'kept', kinds: [] });

/**
 * More than any reply carries (MAX_REPLY_PARTS messages of WhatsApp's 4096 characters): what lies
 * beyond is cut when the reply is split, so it is never read through sentence by sentence here.
 */
const MAX_FINISHED_CHARS = 50_000;

export function finishAnswer(answer: string, ledger: EvidenceLedger, options: FinishOptions): FinishedAnswer {
  const unknown = (): FinishedAnswer => ({
    text: options.texts.unknown,
    citations: [],
    used: [],
    outcome: 'unknown',
    guard: kept(answer),
  });
  if (answer.includes(UNKNOWN_MARK)) return unknown();
  const { text, refs } = takeReferences(answer.slice(0, MAX_FINISHED_CHARS));
  const used = usedEvidence(ledger, refs, text);
  const fromKnowledge = used.filter((evidence) => evidence.kind === 'knowledge');
  // The web never answers for the business in strict mode: only its own passages do.
  const unanswered = fromKnowledge.length === 0 && !options.fromCatalog;
  if (options.strict && unanswered && isBusinessQuestion(options.question)) return unknown();
  const backing = ledger.all.filter((evidence) => evidence.kind === 'knowledge').map((evidence) => evidence.text);
  const guard = guardPromises(text, backing, options.texts);
  if (guard.action === 'withheld') return { text: guard.text, citations: [], used: [], outcome: 'answered', guard };
  const ordered = [...fromKnowledge, ...used.filter((evidence) => evidence.kind === 'web')];
  return { text: guard.text, citations: ordered.map(citationOf), used: ordered, outcome: 'answered', guard };
}
