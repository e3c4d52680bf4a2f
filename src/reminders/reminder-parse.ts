import { fromLocal, localTime, type Repeat } from './zoned-time';

/**
 * "Remind me tomorrow at 9 to call the dentist" read without a model, for model servers that take
 * no tools, and the signal that a message is about a reminder at all (the reminder tools are
 * offered only then, or on the message after one: the person may be answering "which city?").
 * Patterns for English, Spanish, Portuguese, French and German; Italian, Indonesian, Hindi and
 * Arabic are recognised as asking for a reminder (the tools are offered), but not read without a
 * model (docs/reminders.md).
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

const LEAD =
  /^\s*(?:please\s+|por\s+favor,?\s+|bitte\s+|s'il\s+te\s+pla[iî]t,?\s+)?(?:remind\s+me|recu[eé]rdame|lembre-me|lembra-me|me\s+lembre|me\s+lembra|rappelle-moi|rappelez-moi|erinnere\s+mich|erinnern\s+sie\s+mich)(?![\p{L}\d])[,:]?/iu;

const UNITS: Array<[RegExp, number]> = [
  [/^(?:s|secs?|seconds?|segundos?|secondes?|sekunden?)$/i, 1000],
  [/^(?:m|mins?|minutes?|minutos?|minuten?)$/i, 60_000],
  [/^(?:h|hrs?|hours?|horas?|heures?|stunden?)$/i, 3_600_000],
  [/^(?:d|days?|d[ií]as?|jours?|tagen?)$/i, 86_400_000],
];

const IN_N = /(?<![\p{L}\d])(?:in|en|dentro\s+de|em|daqui\s+a|dans)\s+(\d{1,4})\s*([\p{L}]+)/iu;
const AT_HOUR =
  /(?<![\p{L}\d])(?:at|a\s+las|a\s+la|às|as|à|a|um)\s+(\d{1,2})(?:[:h.](\d{2}))?\s*(am|pm|h|uhr)?(?![\p{L}\d])/iu;
const TOMORROW = /(?<![\p{L}\d])(?:tomorrow|ma[nñ]ana|amanh[ãa]|demain|morgen)(?![\p{L}\d])/iu;
const DAILY =
  /(?<![\p{L}\d])(?:every\s+day|daily|cada\s+d[ií]a|todos\s+los\s+d[ií]as|todos\s+os\s+dias|cada\s+dia|chaque\s+jour|tous\s+les\s+jours|jeden\s+tag|t[äa]glich)(?![\p{L}\d])/iu;
const WEEKDAYS =
  /(?<![\p{L}\d])(?:every\s+weekday|on\s+weekdays|weekdays|entre\s+semana|d[ií]as\s+laborables|dias\s+[úu]teis|en\s+semaine|jours\s+ouvr[ée]s|werktags|an\s+wochentagen)(?![\p{L}\d])/iu;
const EVERY_DAY_NAME: Array<[RegExp, number]> = [
  [
    /(?<![\p{L}\d])(?:every\s+sunday|cada\s+domingo|todos\s+los\s+domingos|todo\s+domingo|todos\s+os\s+domingos|chaque\s+dimanche|tous\s+les\s+dimanches|jeden\s+sonntag|sonntags)(?![\p{L}\d])/iu,
    0,
  ],
  [
    /(?<![\p{L}\d])(?:every\s+monday|cada\s+lunes|todos\s+los\s+lunes|toda\s+segunda(?:-feira)?|todas\s+as\s+segundas(?:-feiras)?|chaque\s+lundi|tous\s+les\s+lundis|jeden\s+montag|montags)(?![\p{L}\d])/iu,
    1,
  ],
  [
    /(?<![\p{L}\d])(?:every\s+tuesday|cada\s+martes|todos\s+los\s+martes|toda\s+ter[çc]a(?:-feira)?|todas\s+as\s+ter[çc]as(?:-feiras)?|chaque\s+mardi|tous\s+les\s+mardis|jeden\s+dienstag|dienstags)(?![\p{L}\d])/iu,
    2,
  ],
  [
    /(?<![\p{L}\d])(?:every\s+wednesday|cada\s+mi[ée]rcoles|todos\s+los\s+mi[ée]rcoles|toda\s+quarta(?:-feira)?|todas\s+as\s+quartas(?:-feiras)?|chaque\s+mercredi|tous\s+les\s+mercredis|jeden\s+mittwoch|mittwochs)(?![\p{L}\d])/iu,
    3,
  ],
  [
    /(?<![\p{L}\d])(?:every\s+thursday|cada\s+jueves|todos\s+los\s+jueves|toda\s+quinta(?:-feira)?|todas\s+as\s+quintas(?:-feiras)?|chaque\s+jeudi|tous\s+les\s+jeudis|jeden\s+donnerstag|donnerstags)(?![\p{L}\d])/iu,
    4,
  ],
  [
    /(?<![\p{L}\d])(?:every\s+friday|cada\s+viernes|todos\s+los\s+viernes|toda\s+sexta(?:-feira)?|todas\s+as\s+sextas(?:-feiras)?|chaque\s+vendredi|tous\s+les\s+vendredis|jeden\s+freitag|freitags)(?![\p{L}\d])/iu,
    5,
  ],
  [
    /(?<![\p{L}\d])(?:every\s+saturday|cada\s+s[áa]bado|todos\s+los\s+s[áa]bados|todo\s+s[áa]bado|todos\s+os\s+s[áa]bados|chaque\s+samedi|tous\s+les\s+samedis|jeden\s+samstag|samstags)(?![\p{L}\d])/iu,
    6,
  ],
];
const CONNECTOR = /^[\s,.:;-]*(?:d'|(?:to|that|about|que|de|para|a|zu|an|dass|daran)(?![\p{L}\d])[\s,]*)?/iu;

function hourOf(match: RegExpMatchArray): { hour: number; minute: number } | undefined {
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  const suffix = match[3]?.toLowerCase();
  if (suffix === 'pm' && hour < 12) hour += 12;
  if (suffix === 'am' && hour === 12) hour = 0;
  return hour < 24 && minute < 60 ? { hour, minute } : undefined;
}

/** The next `hour:minute` in `zone` on a day `from` days ahead (0 today) whose weekday is allowed. */
function nextLocal(zone: string, now: number, time: { hour: number; minute: number }, from: number, weekday?: number) {
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

function whenOf(
  words: string,
  zone: string,
  now: number,
): { dueAt: number; repeat?: Repeat; cut: RegExp[] } | undefined {
  const inN = words.match(IN_N);
  const unit = inN && UNITS.find(([shape]) => shape.test(inN[2] ?? ''));
  if (inN && unit) return { dueAt: now + Number(inN[1]) * unit[1], cut: [IN_N] };
  const atMatch = words.match(AT_HOUR);
  const time = atMatch ? hourOf(atMatch) : undefined;
  if (!time) return undefined;
  const named = EVERY_DAY_NAME.find(([shape]) => shape.test(words));
  if (named) return { dueAt: nextLocal(zone, now, time, 0, named[1])!, repeat: 'weekly', cut: [named[0], AT_HOUR] };
  if (WEEKDAYS.test(words)) {
    let dueAt = nextLocal(zone, now, time, 0)!;
    while ([0, 6].includes(localTime(zone, dueAt).weekday)) dueAt = nextLocal(zone, dueAt, time, 1)!;
    return { dueAt, repeat: 'weekdays', cut: [WEEKDAYS, AT_HOUR] };
  }
  if (DAILY.test(words)) return { dueAt: nextLocal(zone, now, time, 0)!, repeat: 'daily', cut: [DAILY, AT_HOUR] };
  const tomorrow = TOMORROW.test(words);
  const dueAt = nextLocal(zone, now, time, tomorrow ? 1 : 0);
  return dueAt === undefined ? undefined : { dueAt, cut: [TOMORROW, AT_HOUR] };
}

/** A reminder in `message`, read in `zone` at `now`; undefined when it is not one these patterns know. */
export function parseReminder(message: string, zone: string, now: number): ParsedReminder | undefined {
  const lead = message.match(LEAD);
  if (!lead) return undefined;
  const words = message.slice(lead[0].length);
  const when = whenOf(words, zone, now);
  if (!when) return undefined;
  let rest = words;
  for (const shape of when.cut) rest = rest.replace(shape, ' ');
  const text = rest
    .replace(/\s+/g, ' ')
    .replace(CONNECTOR, '')
    .replace(/[\s.!,;]+$/u, '')
    .trim();
  if (!text) return undefined;
  return { text, dueAt: when.dueAt, ...(when.repeat ? { repeat: when.repeat } : {}) };
}
