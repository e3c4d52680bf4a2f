/**
 * The words `parseReminder` reads, one object per language: each field is a regex source (an
 * alternation without capture groups) that reminder-patterns.ts joins into the patterns it
 * matches with. Written by us, not by native speakers (docs/reminders.md).
 */
export interface ReminderWords {
  /** "please" before the lead */
  please?: RegExp;
  /** "remind me", at the start */
  lead: RegExp;
  /** the lead said last ("… की याद दिलाना"), where the language puts the verb at the end */
  trailingLead?: RegExp;
  /** the "me" of a trailing lead, cut wherever it stands in the message */
  me?: RegExp;
  /** "in" before the count ("in 20 minutes"), or after the unit with `inAfter` ("20 मिनट में") */
  in: RegExp;
  inAfter?: boolean;
  units: { second: RegExp; minute: RegExp; hour: RegExp; day: RegExp };
  /** a unit that says its own count ("ساعتين", two hours), with that many milliseconds */
  counted?: Array<[RegExp, number]>;
  tomorrow: RegExp;
  /** the word before the hour ("at"), or after it with `atAfter` ("9 बजे") */
  at: RegExp;
  atAfter?: boolean;
  /** what may follow the hour and changes or keeps it: am/pm, "9h", "9 Uhr" */
  suffix?: RegExp;
  /** parts of the day that say which half of the clock: "7 malam" is 19:00 */
  parts?: { am?: RegExp; noon?: RegExp; pm?: RegExp; night?: RegExp };
  daily: RegExp;
  weekdays?: RegExp;
  /** "every Sunday" … "every Saturday" */
  days: [RegExp, RegExp, RegExp, RegExp, RegExp, RegExp, RegExp];
  /** words joining the time to the text ("to", "that"), and prefixes that do it with no space ("d'") */
  connector: RegExp;
  connectorPrefix?: RegExp;
}

const en: ReminderWords = {
  please: /please\s+/,
  lead: /remind\s+me/,
  in: /in/,
  units: { second: /s|secs?|seconds?/, minute: /m|mins?|minutes?/, hour: /h|hrs?|hours?/, day: /d|days?/ },
  tomorrow: /tomorrow/,
  at: /at/,
  suffix: /am|pm/,
  daily: /every\s+day|daily/,
  weekdays: /every\s+weekday|on\s+weekdays|weekdays/,
  days: [
    /every\s+sunday/,
    /every\s+monday/,
    /every\s+tuesday/,
    /every\s+wednesday/,
    /every\s+thursday/,
    /every\s+friday/,
    /every\s+saturday/,
  ],
  connector: /to|that|about/,
};

const es: ReminderWords = {
  please: /por\s+favor,?\s+/,
  lead: /recu[eé]rdame/,
  in: /en|dentro\s+de/,
  units: { second: /segundos?/, minute: /minutos?/, hour: /horas?/, day: /d[ií]as?/ },
  tomorrow: /ma[nñ]ana/,
  at: /a\s+las|a\s+la|a/,
  daily: /cada\s+d[ií]a|todos\s+los\s+d[ií]as/,
  weekdays: /entre\s+semana|d[ií]as\s+laborables/,
  days: [
    /cada\s+domingo|todos\s+los\s+domingos/,
    /cada\s+lunes|todos\s+los\s+lunes/,
    /cada\s+martes|todos\s+los\s+martes/,
    /cada\s+mi[ée]rcoles|todos\s+los\s+mi[ée]rcoles/,
    /cada\s+jueves|todos\s+los\s+jueves/,
    /cada\s+viernes|todos\s+los\s+viernes/,
    /cada\s+s[áa]bado|todos\s+los\s+s[áa]bados/,
  ],
  connector: /que|de|para|a/,
};

const pt: ReminderWords = {
  lead: /lembre-me|lembra-me|me\s+lembre|me\s+lembra/,
  in: /em|daqui\s+a/,
  units: { second: /segundos?/, minute: /minutos?/, hour: /horas?/, day: /dias?/ },
  tomorrow: /amanh[ãa]/,
  at: /às|as|a/,
  daily: /todos\s+os\s+dias|cada\s+dia/,
  weekdays: /dias\s+[úu]teis/,
  days: [
    /todo\s+domingo|todos\s+os\s+domingos/,
    /toda\s+segunda(?:-feira)?|todas\s+as\s+segundas(?:-feiras)?/,
    /toda\s+ter[çc]a(?:-feira)?|todas\s+as\s+ter[çc]as(?:-feiras)?/,
    /toda\s+quarta(?:-feira)?|todas\s+as\s+quartas(?:-feiras)?/,
    /toda\s+quinta(?:-feira)?|todas\s+as\s+quintas(?:-feiras)?/,
    /toda\s+sexta(?:-feira)?|todas\s+as\s+sextas(?:-feiras)?/,
    /todo\s+s[áa]bado|todos\s+os\s+s[áa]bados/,
  ],
  connector: /de|para|a|que/,
};

const fr: ReminderWords = {
  please: /s'il\s+te\s+pla[iî]t,?\s+/,
  lead: /rappelle-moi|rappelez-moi/,
  in: /dans/,
  units: { second: /secondes?/, minute: /minutes?/, hour: /heures?/, day: /jours?/ },
  tomorrow: /demain/,
  at: /à/,
  suffix: /h/,
  daily: /chaque\s+jour|tous\s+les\s+jours/,
  weekdays: /en\s+semaine|jours\s+ouvr[ée]s/,
  days: [
    /chaque\s+dimanche|tous\s+les\s+dimanches/,
    /chaque\s+lundi|tous\s+les\s+lundis/,
    /chaque\s+mardi|tous\s+les\s+mardis/,
    /chaque\s+mercredi|tous\s+les\s+mercredis/,
    /chaque\s+jeudi|tous\s+les\s+jeudis/,
    /chaque\s+vendredi|tous\s+les\s+vendredis/,
    /chaque\s+samedi|tous\s+les\s+samedis/,
  ],
  connector: /de|que/,
  connectorPrefix: /d'/,
};

const de: ReminderWords = {
  please: /bitte\s+/,
  lead: /erinnere\s+mich|erinnern\s+sie\s+mich/,
  in: /in/,
  units: { second: /sekunden?/, minute: /minuten?/, hour: /stunden?/, day: /tagen?/ },
  tomorrow: /morgen/,
  at: /um/,
  suffix: /uhr/,
  daily: /jeden\s+tag|t[äa]glich/,
  weekdays: /werktags|an\s+wochentagen/,
  days: [
    /jeden\s+sonntag|sonntags/,
    /jeden\s+montag|montags/,
    /jeden\s+dienstag|dienstags/,
    /jeden\s+mittwoch|mittwochs/,
    /jeden\s+donnerstag|donnerstags/,
    /jeden\s+freitag|freitags/,
    /jeden\s+samstag|samstags/,
  ],
  connector: /zu|an|dass|daran/,
};

/**
 * English, Spanish, Portuguese, French and German are read as one: a message may mix their words
 * ("remind me mañana a las 9"). The others are read each with its own words only, so Italian's
 * "alle 9" (at 9) never reads German's "alle 2 Stunden" (every 2 hours) as a clock time.
 */
export const MIXED_WORDS: ReminderWords[] = [en, es, pt, fr, de];
