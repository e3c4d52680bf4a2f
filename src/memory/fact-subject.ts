import { fold, termsPattern } from './word-lists';
import functionWords from './word-lists/function-words.json';
import otherPeople from './word-lists/other-people.json';

/**
 * Whose fact it is, and whose words. Memory keeps only what a person says about themselves: a
 * fact about someone else ("my neighbour Bob is HIV positive", "I hate my boss Carl Jones") is
 * never proposed or kept, whatever they consent to, since that someone never could. And a
 * proposal is taken only when the person's own message states it, so text the model read
 * elsewhere (a product description a tool returned, its own answer) cannot become a question.
 * Both are word heuristics (word-lists/other-people.json, function-words.json) that err toward
 * asking nothing: a fact left out can still be given with /remember.
 */

const LANGUAGES = Object.keys(otherPeople.relations) as Array<keyof typeof otherPeople.relations>;

/** "my wife", "mi mejor amiga", "meine Nachbarin": a possessive, at most one word, a relation; per language. */
const RELATION = new RegExp(
  LANGUAGES.map((language) => {
    const possessive = termsPattern(otherPeople.possessives[language]);
    return `${possessive}\\s+(?:\\p{L}+\\s+)?${termsPattern(otherPeople.relations[language])}`;
  }).join('|'),
  'u',
);

// Pronouns and verbs are read as written (lowercase), not folded: folded, Spanish "él" is "el".
const exact = (lists: Record<string, string[]>) =>
  new RegExp(termsPattern(Object.values(lists).flat(), { folded: false }), 'u');
const THIRD_PERSON = exact(otherPeople.pronouns);
const FIRST_PERSON = exact(otherPeople.firstPerson);
/** A name as the subject: "Bob is ...", "Carl Jones tiene ...". */
const NAMED_SUBJECT = new RegExp(
  `^\\s*\\p{Lu}\\p{L}+(?:\\s+\\p{Lu}\\p{L}+)?\\s+${termsPattern(Object.values(otherPeople.thirdPersonVerbs).flat(), { folded: false })}`,
  'u',
);

/** Whether `fact` is (also) about another person. */
export function aboutSomeoneElse(fact: string): boolean {
  const lower = fact.toLowerCase();
  if (RELATION.test(fold(fact)) || THIRD_PERSON.test(lower)) return true;
  return NAMED_SUBJECT.test(fact) && !FIRST_PERSON.test(lower);
}

const FUNCTION_WORDS = new Set(Object.values(functionWords).flat().map(fold));

/** The words that carry a text's meaning: folded, without short and function words (numbers kept). */
function meaningWords(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => /^\p{N}+$/u.test(word) || (word.length > 2 && !FUNCTION_WORDS.has(word)));
}

/** The same word, give or take an ending: "shoe"/"shoes", "vegetarian"/"vegetariana", "diabetic"/"diabetes". */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length >= 4 && longer.startsWith(shorter)) return true;
  return shorter.length >= 6 && longer.slice(0, 6) === shorter.slice(0, 6);
}

/** Whether `said` (the person's message) states `fact`: every word that carries its meaning is in it. */
export function statedIn(fact: string, said: string): boolean {
  const words = meaningWords(said);
  const needed = meaningWords(fact);
  return needed.length > 0 && needed.every((word) => words.some((spoken) => sameWord(word, spoken)));
}

/** A proposed fact the person may be asked about: about themselves, and stated in their own message `said`. */
export function saidAboutThemselves(fact: string, said: string): boolean {
  return !aboutSomeoneElse(fact) && statedIn(fact, said);
}
