import type { ReminderWords } from './reminder-words';

/**
 * The patterns `parseReminder` matches with, built from the word lists of one language or of a set
 * read together. A word is bounded by anything that is not a letter, a combining mark (Devanagari
 * vowel signs, Arabic diacritics) or a digit; digits may be ASCII, Arabic-Indic or Devanagari.
 */
const EDGE = '[\\p{L}\\p{M}\\p{Nd}]';
const DIGIT = '[0-9\\u0660-\\u0669\\u06F0-\\u06F9\\u0966-\\u096F]';
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0x966];

export type DayPart = 'am' | 'noon' | 'pm' | 'night';

export interface ReminderPatterns {
  lead: RegExp;
  please: RegExp;
  trailingLead?: RegExp;
  me?: RegExp;
  inN: RegExp;
  units: Array<[RegExp, number]>;
  counted?: RegExp;
  countedMs: Array<[RegExp, number]>;
  tomorrow: RegExp;
  at: RegExp;
  parts: Array<[RegExp, DayPart]>;
  daily: RegExp;
  weekdays?: RegExp;
  days: Array<[RegExp, number]>;
  connector: RegExp;
}

/** A number written in any of the digits above. */
export function numberOf(digits: string): number {
  let value = 0;
  for (const char of digits) {
    const code = char.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9)!;
    value = value * 10 + (code - zero);
  }
  return value;
}

const either = (shapes: Array<RegExp | undefined>) =>
  shapes.flatMap((shape) => (shape ? [`(?:${shape.source})`] : [])).join('|');
const bounded = (source: string) => new RegExp(`(?<!${EDGE})(?:${source})(?!${EDGE})`, 'iu');
const whole = (source: string) => new RegExp(`^(?:${source})$`, 'iu');

function timePatterns(words: ReminderWords[]) {
  const some = (pick: (w: ReminderWords) => RegExp | undefined) => either(words.map(pick));
  const after = words.some((w) => w.inAfter);
  const inWords = some((w) => w.in);
  const unit = `(${DIGIT}{1,4})\\s*([\\p{L}\\p{M}]+)`;
  const counted = either(words.flatMap((w) => (w.counted ?? []).map(([shape]) => shape)));
  const partKinds: DayPart[] = ['am', 'noon', 'pm', 'night'];
  const partSources = partKinds.flatMap((kind) => {
    const source = some((w) => w.parts?.[kind]);
    return source ? [[source, kind] as const] : [];
  });
  const parts = partSources.map(([source, kind]): [RegExp, DayPart] => [whole(source), kind]);
  const part = partSources.length ? `(?<part>${partSources.map(([source]) => `(?:${source})`).join('|')})` : '';
  const hour = `(?<hour>${DIGIT}{1,2})`;
  const minute = `(?<minute>${DIGIT}{2})`;
  const suffix = some((w) => w.suffix);
  const at = words.some((w) => w.atAfter)
    ? `${part ? `(?:${part}\\s+)?` : ''}${hour}(?:[:.]${minute})?\\s*(?:${some((w) => w.at)})`
    : `(?:${some((w) => w.at)})\\s+${hour}(?:[:h.]${minute})?\\s*${suffix ? `(?<suffix>${suffix})?` : ''}${part ? `(?:\\s*${part})?` : ''}`;
  return {
    inN: new RegExp(
      after ? `(?<!${EDGE})${unit}\\s+(?:${inWords})(?!${EDGE})` : `(?<!${EDGE})(?:${inWords})\\s+${unit}`,
      'iu',
    ),
    counted: counted ? bounded(after ? `(${counted})\\s+(?:${inWords})` : `(?:${inWords})\\s+(${counted})`) : undefined,
    at: new RegExp(`(?<!${EDGE})${at}(?!${EDGE})`, 'iu'),
    parts,
  };
}

/** The patterns for `words`, one language or several read together. */
export function patternsOf(words: ReminderWords[]): ReminderPatterns {
  const some = (pick: (w: ReminderWords) => RegExp | undefined) => either(words.map(pick));
  const please = some((w) => w.please);
  const leadStart = `^\\s*${please ? `(?:${please})?` : ''}`;
  const trailing = some((w) => w.trailingLead);
  const me = some((w) => w.me);
  const prefix = some((w) => w.connectorPrefix);
  const unitMs: Array<[keyof ReminderWords['units'], number]> = [
    ['second', 1000],
    ['minute', 60_000],
    ['hour', 3_600_000],
    ['day', 86_400_000],
  ];
  return {
    lead: new RegExp(`${leadStart}(?:${some((w) => w.lead)})(?!${EDGE})[,:،]?`, 'iu'),
    please: new RegExp(leadStart, 'iu'),
    ...(trailing ? { trailingLead: new RegExp(`(?<!${EDGE})(?:${trailing})[\\s।.!?؟]*$`, 'iu') } : {}),
    ...(me ? { me: bounded(me) } : {}),
    ...timePatterns(words),
    units: unitMs.map(([name, ms]) => [whole(some((w) => w.units[name])), ms]),
    countedMs: words.flatMap((w) =>
      (w.counted ?? []).map(([shape, ms]) => [whole(shape.source), ms] as [RegExp, number]),
    ),
    tomorrow: bounded(some((w) => w.tomorrow)),
    daily: bounded(some((w) => w.daily)),
    ...(words.some((w) => w.weekdays) ? { weekdays: bounded(some((w) => w.weekdays)) } : {}),
    days: [0, 1, 2, 3, 4, 5, 6].map((day) => [bounded(some((w) => w.days[day])), day]),
    connector: new RegExp(
      `^[\\s,.:;،-]*(?:(?:${some((w) => w.connector)})(?!${EDGE})[\\s,،]*${prefix ? `|${prefix}` : ''})?`,
      'iu',
    ),
  };
}
