/**
 * Whether a sentence of an answer is backed by a passage: a lexical check, cheap enough to run on
 * every answer and strict where mistakes cost most. Every specific of the sentence — a number, a
 * weekday, "tomorrow" — must be in the passage, and most of its other words too (compared by
 * their first five letters, so "refunds" meets "refunded" and "Rückerstattung" meets
 * "rückerstatten"). It cannot tell a negation apart ("no refunds" backs "a refund"): the model is
 * told to cite, and a cited passage that says the opposite still shows under the answer.
 */

/** Words that say when, in the languages the promise rules cover: a promise naming one must find it. */
const TIME_WORDS = new Set(
  [
    'today tonight tomorrow monday tuesday wednesday thursday friday saturday sunday weekend',
    'hoy mañana lunes martes miércoles jueves viernes sábado domingo',
    "aujourd'hui demain lundi mardi mercredi jeudi vendredi samedi dimanche",
    'heute morgen montag dienstag mittwoch donnerstag freitag samstag sonntag',
    'hoje amanhã segunda terça quarta quinta sexta',
    'oggi domani lunedì martedì mercoledì giovedì venerdì sabato domenica',
  ]
    .join(' ')
    .split(' '),
);

/** Short function words of those languages that say nothing about what is promised. */
const FILLER = new Set(
  (
    'will would shall should could your yours ours with that this from have they them then than what when which there ' +
    'their into about also just only very more most some such make sure been being here were also able cannot ' +
    'para pero como este esta todo usted nous vous avec pour dans mais sont sera werden wird ihnen ihre einen ' +
    'einer eine sein sind nicht você vamos pode podemos sobre essa esse'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((word) => word.replace(/['’]s$/, ''));
}

const stem = (word: string) => word.slice(0, 5);

/** Numbers (digits, with their decimals) and time words: what a promise must not make up. */
export function specificsOf(text: string): string[] {
  const numbers = text.match(/\d+(?:[.,]\d+)?/g) ?? [];
  return [...numbers.map((n) => n.replace(',', '.')), ...words(text).filter((word) => TIME_WORDS.has(word))];
}

function contentWords(text: string): string[] {
  return words(text).filter((word) => word.length >= 4 && !FILLER.has(word) && !/^\d/.test(word));
}

/** Share of a sentence's words a passage must hold, besides all its specifics. */
export const SUPPORT_SHARE = 0.6;

export function supports(passage: string, sentence: string): boolean {
  const passageNumbers = new Set((passage.match(/\d+(?:[.,]\d+)?/g) ?? []).map((n) => n.replace(',', '.')));
  const passageWords = words(passage);
  const passageStems = new Set(passageWords.map(stem));
  const passageTime = new Set(passageWords.filter((word) => TIME_WORDS.has(word)));
  const specifics = specificsOf(sentence);
  if (!specifics.every((s) => passageNumbers.has(s) || passageTime.has(s))) return false;
  const content = contentWords(sentence);
  if (content.length === 0) return specifics.length > 0;
  const held = content.filter((word) => passageStems.has(stem(word))).length;
  return held / content.length >= SUPPORT_SHARE;
}

/** How much of an answer a passage backs (0–1): the share of the answer's words it holds. */
export function overlap(passage: string, answer: string): number {
  const content = [...new Set(contentWords(answer))];
  if (content.length === 0) return 0;
  const passageStems = new Set(words(passage).map(stem));
  return content.filter((word) => passageStems.has(stem(word))).length / content.length;
}
