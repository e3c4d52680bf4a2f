import type { ReminderWords } from './reminder-words';

/**
 * Italian, Indonesian, Hindi and Arabic words for `parseReminder` (the fields are described in
 * reminder-words.ts). Written by us, not by native speakers (docs/reminders.md).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const it: ReminderWords = {
  please: /per\s+favore,?\s+|per\s+piacere,?\s+/,
  lead: /ricordami|mi\s+ricordi|ricordatemi/,
  in: /tra|fra/,
  units: { second: /secondi|secondo/, minute: /minuti|minuto/, hour: /ore|ora/, day: /giorni|giorno/ },
  counted: [
    [/un['’]ora/, HOUR],
    [/mezz['’]ora/, HOUR / 2],
  ],
  tomorrow: /domani/,
  at: /alle/,
  parts: {
    am: /di\s+mattina|del\s+mattino/,
    pm: /di\s+pomeriggio|del\s+pomeriggio|di\s+sera|della\s+sera/,
    night: /di\s+notte|della\s+notte/,
  },
  daily: /ogni\s+giorno|tutti\s+i\s+giorni/,
  weekdays: /(?:ogni|nei)\s+giorn[oi]\s+feriali?|tutti\s+i\s+giorni\s+feriali|dal\s+luned[iì]\s+al\s+venerd[iì]/,
  days: [
    /ogni\s+domenica|tutte\s+le\s+domeniche/,
    /ogni\s+luned[iì]|tutti\s+i\s+luned[iì]/,
    /ogni\s+marted[iì]|tutti\s+i\s+marted[iì]/,
    /ogni\s+mercoled[iì]|tutti\s+i\s+mercoled[iì]/,
    /ogni\s+gioved[iì]|tutti\s+i\s+gioved[iì]/,
    /ogni\s+venerd[iì]|tutti\s+i\s+venerd[iì]/,
    /ogni\s+sabato|tutti\s+i\s+sabati/,
  ],
  connector: /di|per|che/,
  connectorPrefix: /d['’]/,
};

/** Sunday is "hari Minggu" (or Ahad): "setiap minggu" alone means every week. */
const id: ReminderWords = {
  please: /tolong\s+|mohon\s+/,
  lead: /ingatkan\s+(?:saya|aku)/,
  in: /dalam(?:\s+waktu)?/,
  units: { second: /detik/, minute: /menit/, hour: /jam/, day: /hari/ },
  counted: [
    [/setengah\s+jam/, HOUR / 2],
    [/sejam/, HOUR],
  ],
  tomorrow: /besok|esok(?:\s+hari)?/,
  at: /(?:pada\s+)?(?:jam|pukul)/,
  parts: { am: /pagi/, noon: /siang/, pm: /sore/, night: /malam/ },
  daily: /(?:setiap|tiap)\s+hari/,
  weekdays: /(?:setiap|tiap)\s+hari\s+kerja|(?:pada\s+)?hari\s+kerja|senin\s+(?:sampai|hingga|-)\s+jum['’]?at/,
  days: [
    /(?:setiap|tiap)\s+hari\s+(?:minggu|ahad)|(?:setiap|tiap)\s+ahad/,
    /(?:setiap|tiap)\s+(?:hari\s+)?senin/,
    /(?:setiap|tiap)\s+(?:hari\s+)?selasa/,
    /(?:setiap|tiap)\s+(?:hari\s+)?rabu/,
    /(?:setiap|tiap)\s+(?:hari\s+)?kamis/,
    /(?:setiap|tiap)\s+(?:hari\s+)?jum['’]?at/,
    /(?:setiap|tiap)\s+(?:hari\s+)?sabtu/,
  ],
  connector: /untuk|agar|supaya|bahwa/,
};

/**
 * Hindi puts the verb last: "मुझे कल 9 बजे दवा लेने की याद दिलाना" (the lead at the end, "मुझे"
 * wherever it stands), as well as "मुझे याद दिलाना कि …". कल is both yesterday and tomorrow: it is
 * read as tomorrow because a reminder asks about the future and the fallback reads a day only
 * with a clock time ("कल 9 बजे"); "कल" without one is left to the model.
 */
const hi: ReminderWords = {
  please: /कृपया\s+/,
  lead: /मुझे\s+याद\s+दिला(?:ना|ओ|इए|इएगा|एं)?(?:\s+(?:देना|दो|दीजिए|दीजिएगा|दें))?/,
  trailingLead: /(?:(?:की|का|के)\s+)?याद\s+दिला(?:ना|ओ|इए|इएगा|एं)?(?:\s+(?:देना|दो|दीजिए|दीजिएगा|दें))?/,
  me: /मुझे/,
  in: /(?:के\s+)?(?:में|बाद)(?:\s+(?:में|बाद))?/,
  inAfter: true,
  units: { second: /सेकंड|सेकेंड/, minute: /मिनट|मिनिट/, hour: /घंटे|घंटा|घंटों|घण्टे|घण्टा/, day: /दिन|दिनों/ },
  counted: [[/आधे\s+घंटे/, HOUR / 2]],
  tomorrow: /कल/,
  at: /बजे/,
  atAfter: true,
  parts: {
    am: /सुबह(?:\s+को)?/,
    noon: /दोपहर(?:\s+को)?/,
    pm: /शाम(?:\s+को)?/,
    night: /रात(?:\s+को)?/,
  },
  // रोज़ with the nukta precomposed (U+095B) or as a second character
  daily: /(?:हर\s+)?रो(?:\u095B|\u091C\u093C?)(?:ाना)?|हर\s+दिन|प्रतिदिन/,
  weekdays: /सोमवार\s+से\s+शुक्रवार(?:\s+तक)?|हर\s+कार्यदिवस(?:\s+को)?/,
  days: [
    /हर\s+(?:रविवार|इतवार)(?:\s+को)?/,
    /हर\s+सोमवार(?:\s+को)?/,
    /हर\s+मंगलवार(?:\s+को)?/,
    /हर\s+बुधवार(?:\s+को)?/,
    /हर\s+(?:गुरुवार|बृहस्पतिवार)(?:\s+को)?/,
    /हर\s+शुक्रवार(?:\s+को)?/,
    /हर\s+शनिवार(?:\s+को)?/,
  ],
  connector: /कि/,
};

/** "every Monday": كل اثنين, كل يوم اثنين, كل يوم الاثنين. */
const arDay = (name: string) => new RegExp(`كل\\s+(?:يوم\\s+)?(?:ال)?(?:${name})`);
/** tanween (U+064B) may come before or after the alif, or be left out */
const an = (stem: string) => new RegExp(`${stem}(?:ا\\u064B?|\\u064Bا)`);

/**
 * Arabic: no "weekdays" (the working week is Sunday to Thursday in much of the Arab world, not the
 * Monday to Friday the repeat means). A "ب" joined to the text ("بإطفاء الفرن") is cut only before
 * an alif or "ال", where it is the preposition and not the word's own first letter.
 */
const ar: ReminderWords = {
  please: /(?:من\s+فضلك|لو\s+سمحت)[،,]?\s+/,
  lead: /ذك\u0651?ري?ن[يى]/,
  in: /بعد/,
  units: {
    second: /ثوان(?:ي|\u064D)?|ثانية|ثانيه/,
    minute: /دقائق|دقايق|دقيقة|دقيقه/,
    hour: /ساعات|ساعة|ساعه/,
    day: /أيام|ايام|يوم|يوما|يومًا/,
  },
  counted: [
    [/دقيقتين|دقيقتان/, 2 * MINUTE],
    [/دقيقة|دقيقه/, MINUTE],
    [/ساعتين|ساعتان/, 2 * HOUR],
    [/ساعة|ساعه/, HOUR],
    [/نصف\s+ساعة|نص\s+ساعة/, HOUR / 2],
    [/يومين|يومان/, 2 * DAY],
    [/يوم/, DAY],
  ],
  tomorrow: new RegExp(`${an('غد').source}|بكر[ةها]`),
  at: /(?:(?:في|على|عند)\s+)?(?:الساعة|الساعه)/,
  parts: {
    am: new RegExp(`${an('صباح').source}|الصبح`),
    noon: new RegExp(`${an('ظهر').source}|الظهر`),
    pm: new RegExp(`مساء\\u064B?ا?|المساء|${an('عصر').source}|العصر|بعد\\s+الظهر`),
    night: new RegExp(`${an('ليل').source}|بالليل|الليل`),
  },
  daily: new RegExp(`كل\\s+يوم|${an('يومي').source}`),
  days: [
    arDay('أحد|احد'),
    arDay('اثنين|إثنين|أثنين'),
    arDay('ثلاثاء'),
    arDay('أربعاء|اربعاء'),
    arDay('خميس'),
    arDay('جمعة|جمعه'),
    arDay('سبت'),
  ],
  connector: /بأن|أن|ان/,
  connectorPrefix: /ب(?=ال|[إأا])/,
};

export const OWN_WORDS: ReminderWords[] = [it, id, hi, ar];
