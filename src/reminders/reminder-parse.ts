import { numberOf, patternsOf, type DayPart, type ReminderPatterns } from './reminder-patterns';
import { MIXED_WORDS } from './reminder-words';
import { OWN_WORDS } from './reminder-words-more';
import { fromLocal, localTime, type Repeat } from './zoned-time';

/**
 * "Remind me tomorrow at 9 to call the dentist" read without a model, for model servers that take
 * no tools, and the signal that a message is about a reminder at all (the reminder tools are
 * offered only then, or on the message after one: the person may be answering "which city?").
 * The fallback reads all nine languages (their words in reminder-words.ts and
 * reminder-words-more.ts): the lead ("remind me", "ricordami", "ingatkan saya", "… याद दिलाना",
 * "ذكرني") says which language's patterns read the rest (docs/reminders.md).
 */

const ASK =
  /(?<![\p{L}\d])(?:remind(?:er)?s?|recu[eé]rd(?:a|ame|amelo)|recordar(?:me)?|recordatorio|lembr(?:e|a|ar|ete)(?:-me)?|me lembr[ea]|rappel(?:le|lez)?(?:-moi)?|erinner(?:e|n|ung)?|ricord(?:a|ami|are|ati)|promemoria|ingatkan|pengingat)(?![\p{L}\d])|याद\s*दिला|ذك[ّ]?رني|تذكير/iu;

/** Whether a message asks for (or is about) a reminder, in any of the nine languages. */
export function mentionsReminder(text: string): boolean {
  return ASK.test(text);
}

export interface ParsedReminder {
  text: string;
  dueAt: number;
  repeat?: Repeat;
}

/** The five first languages read together, then each of the others on its own (reminder-words.ts). */
const GROUPS: ReminderPatterns[] = [patternsOf(MIXED_WORDS), ...OWN_WORDS.map((words) => patternsOf([words]))];

/** Sentence ends a text may carry: Latin, Arabic (comma, semicolon, question mark) and the Devanagari danda. */
const TRAILING_PUNCTUATION = /[\s.!,;،؛؟।]+$/u;

type Clock = { hour: number; minute: number };

function hourOf(match: RegExpMatchArray, patterns: ReminderPatterns): Clock | undefined {
  const { hour: hourText = '', minute: minuteText, suffix: suffixText, part: partText } = match.groups ?? {};
  let hour = numberOf(hourText);
  const minute = minuteText ? numberOf(minuteText) : 0;
  const suffix = suffixText?.toLowerCase();
  if (suffix === 'pm' && hour < 12) hour += 12;
  if (suffix === 'am' && hour === 12) hour = 0;
  const part: DayPart | undefined = partText ? patterns.parts.find(([shape]) => shape.test(partText))?.[1] : undefined;
  // "7 malam" is 19:00 but "2 malam" is 2:00; "1 siang" is 13:00 but "11 siang" is 11:00
  if (part === 'pm' && hour < 12) hour += 12;
  if (part === 'noon' && hour < 6) hour += 12;
  if (part === 'night') hour = hour === 12 ? 0 : hour >= 6 && hour < 12 ? hour + 12 : hour;
  return hour < 24 && minute < 60 ? { hour, minute } : undefined;
}

/** The next `hour:minute` in `zone` on a day `from` days ahead (0 today) whose weekday is allowed. */
function nextLocal(zone: string, now: number, time: Clock, from: number, weekday?: number) {
  const today = localTime(zone, now);
  for (let days = from; days < from + 8; days += 1) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    if (weekday !== undefined && date.getUTCDay() !== weekday) continue;
    const at = fromLocal(zone, {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      ...time,
    });
    if (at > now) return at;
  }
  return undefined;
}

type When = { dueAt: number; repeat?: Repeat; cut: RegExp[] };

/** "in 20 minutes", or a unit that says its own count ("بعد ساعتين", in two hours). */
function afterOf(words: string, now: number, p: ReminderPatterns): When | undefined {
  const inN = words.match(p.inN);
  const unit = inN && p.units.find(([shape]) => shape.test(inN[2] ?? ''));
  if (inN && unit) return { dueAt: now + numberOf(inN[1] ?? '') * unit[1], cut: [p.inN] };
  const counted = p.counted && words.match(p.counted);
  const span = counted && p.countedMs.find(([shape]) => shape.test(counted[1] ?? ''));
  return counted && span ? { dueAt: now + span[1], cut: [p.counted!] } : undefined;
}

function whenOf(words: string, zone: string, now: number, p: ReminderPatterns): When | undefined {
  const after = afterOf(words, now, p);
  if (after) return after;
  const atMatch = words.match(p.at);
  const time = atMatch ? hourOf(atMatch, p) : undefined;
  if (!time) return undefined;
  const named = p.days.find(([shape]) => shape.test(words));
  if (named) return { dueAt: nextLocal(zone, now, time, 0, named[1])!, repeat: 'weekly', cut: [named[0], p.at] };
  if (p.weekdays?.test(words)) {
    let dueAt = nextLocal(zone, now, time, 0)!;
    while ([0, 6].includes(localTime(zone, dueAt).weekday)) dueAt = nextLocal(zone, dueAt, time, 1)!;
    return { dueAt, repeat: 'weekdays', cut: [p.weekdays, p.at] };
  }
  if (p.daily.test(words)) return { dueAt: nextLocal(zone, now, time, 0)!, repeat: 'daily', cut: [p.daily, p.at] };
  const tomorrow = p.tomorrow.test(words);
  const dueAt = nextLocal(zone, now, time, tomorrow ? 1 : 0);
  return dueAt === undefined ? undefined : { dueAt, cut: [p.tomorrow, p.at] };
}

/** The words after a leading "remind me", or before a trailing one (Hindi), and the patterns of its language. */
function requestOf(message: string): { words: string; patterns: ReminderPatterns } | undefined {
  for (const patterns of GROUPS) {
    const lead = message.match(patterns.lead);
    if (lead) return { words: message.slice(lead[0].length), patterns };
    const trailing = patterns.trailingLead && message.match(patterns.trailingLead);
    if (trailing) {
      let words = message.slice(0, trailing.index).replace(patterns.please, '');
      if (patterns.me) words = words.replace(patterns.me, ' ');
      return { words, patterns };
    }
  }
  return undefined;
}

/** A reminder in `message`, read in `zone` at `now`; undefined when it is not one these patterns know. */
export function parseReminder(message: string, zone: string, now: number): ParsedReminder | undefined {
  const request = requestOf(message);
  if (!request) return undefined;
  const { words, patterns } = request;
  const when = whenOf(words, zone, now, patterns);
  if (!when) return undefined;
  let rest = words;
  for (const shape of when.cut) rest = rest.replace(shape, ' ');
  const text = rest.replace(/\s+/g, ' ').replace(patterns.connector, '').replace(TRAILING_PUNCTUATION, '').trim();
  if (!text) return undefined;
  return { text, dueAt: when.dueAt, ...(when.repeat ? { repeat: when.repeat } : {}) };
}
