import { detectAll } from 'tinyld';
import { LANGUAGES, type Language } from './languages';

/**
 * The language a person's message is written in, when the message says so clearly enough to act
 * on: tinyld (n-gram profiles of 60+ languages, pure JavaScript) ranks the shipped languages, and
 * a guess is taken only when it is well ahead of the next one. A short message ("ok", "gracias",
 * "hola que tal") is no evidence: one or two words change nothing unless the detector is certain
 * (as it is of a script only one shipped language uses), since most short messages read as
 * several languages at once.
 */

/** The leader's score must be this many times the runner-up's. */
const LEAD = 1.5;
/**
 * Below this score (tinyld's accuracy, 0–1) the ranking is noise: a short English sentence with a
 * brand name in it ("remember the green gate messenger") scores 0.07 for Indonesian, while short
 * real sentences in the shipped languages score 0.09 or more.
 */
const FLOOR = 0.08;
/** One or two words count only when the detector is this sure. */
const CERTAIN = 0.9;

const ONLY = [...LANGUAGES];

/** What is not prose: commands, links, addresses, handles and numbers say nothing of a language. */
const NOT_PROSE = /(?:^|\s)\/\S+|https?:\/\/\S+|\S+@\S+|[@#]\S+|\d+/gu;
const WORD = /[\p{L}\p{M}]{2,}/gu;

export function detectLanguage(text: string | undefined): Language | undefined {
  const prose = (text ?? '').replace(NOT_PROSE, ' ');
  const words = prose.match(WORD)?.length ?? 0;
  if (words === 0) return undefined;
  const [first, second] = detectAll(prose, { only: ONLY });
  if (!first || first.accuracy < FLOOR) return undefined;
  if (words < 3 && first.accuracy < CERTAIN) return undefined;
  if (second && first.accuracy < second.accuracy * LEAD) return undefined;
  return first.lang as Language;
}
