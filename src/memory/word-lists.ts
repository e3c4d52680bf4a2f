/**
 * Word lists kept as data (src/memory/word-lists/*.json): per list, the terms of each language
 * (English, Spanish, Portuguese, French, German, Italian). A term is a word or a phrase; `*` at
 * its end stands for any ending (`diabet*`: diabetes, diabético, Diabetiker), at its start for any
 * beginning (German compounds: `*krebs`). Terms and text are compared folded (case, diacritics,
 * ß and curly apostrophes aside) and on word boundaries, and the words of a phrase may be
 * separated by spaces or hyphens.
 */

/** Terms per language code. */
export type WordList = Record<string, string[]>;

/** `text` with case, diacritics (é → e), ß, œ, æ and curly apostrophes folded to plain letters. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[’‘ʼ`]/g, "'");
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function termPattern(term: string, folded: boolean): string {
  const plain = (folded ? fold(term) : term.toLowerCase()).trim();
  const words = plain
    .replace(/^\*|\*$/g, '')
    .split(/[\s-]+/)
    .map(escapeRegExp);
  return `${plain.startsWith('*') ? '\\p{L}*' : ''}${words.join('[\\s-]+')}${plain.endsWith('*') ? '\\p{L}*' : ''}`;
}

/** A pattern that finds any of `terms` as whole words (the source of a RegExp with the `u` flag). */
export function termsPattern(terms: string[], options: { folded: boolean } = { folded: true }): string {
  const alternatives = terms.map((term) => termPattern(term, options.folded));
  return `(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`;
}

/** Finds any term of the list, in any of its languages, in folded text (fold()). */
export function wordsMatcher(list: WordList): RegExp {
  return new RegExp(termsPattern(Object.values(list).flat()), 'u');
}
