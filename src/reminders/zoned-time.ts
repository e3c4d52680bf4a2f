/**
 * Wall-clock time in a person's IANA time zone, with nothing but Intl: the local date and time of
 * an instant, the instant of a local date and time (the offset found by asking Intl what it shows,
 * twice, so a DST change between the two guesses is caught), and the next occurrence of a
 * repeating reminder, kept at the same local time across DST changes.
 */

export type Repeat = 'daily' | 'weekly' | 'weekdays';
export const REPEATS: readonly Repeat[] = ['daily', 'weekly', 'weekdays'];

export interface LocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 Sunday … 6 Saturday */
  weekday: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether Intl knows `zone` as an IANA time zone (`Europe/Madrid`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

export function localTime(zone: string, at: number): LocalTime {
  const parts = Object.fromEntries(
    formatterFor(zone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const [year, month, day] = [Number(parts.year), Number(parts.month), Number(parts.day)];
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { year, month, day, hour: Number(parts.hour), minute: Number(parts.minute), weekday };
}

const asUtc = (t: Omit<LocalTime, 'weekday'>) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);

/** The offset of `zone` from UTC at `at`, in ms (Madrid in winter: +3 600 000). */
export function offsetAt(zone: string, at: number): number {
  const flooredAt = Math.floor(at / MINUTE) * MINUTE;
  return asUtc(localTime(zone, flooredAt)) - flooredAt;
}

/** The instant a local date and time names in `zone` (a time skipped by DST moves forward). */
export function fromLocal(zone: string, local: Omit<LocalTime, 'weekday'>): number {
  const wall = asUtc(local);
  const first = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, first);
}

/** `at` as ISO 8601 with the zone's offset: `2026-12-08T09:00:00+01:00` (what the model is shown). */
export function isoInZone(zone: string, at: number): string {
  const offset = offsetAt(zone, at);
  const local = new Date(at + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / MINUTE;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** The same local time `days` days later. */
function laterDays(zone: string, at: number, days: number): number {
  const local = localTime(zone, at);
  const moved = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return fromLocal(zone, {
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
    hour: local.hour,
    minute: local.minute,
  });
}

/** The occurrence after `at`, at the same local time; the first one after `now` when some were missed. */
export function nextOccurrence(zone: string, at: number, repeat: Repeat, now = at): number {
  let next = at;
  do {
    if (repeat === 'weekly') next = laterDays(zone, next, 7);
    else {
      next = laterDays(zone, next, 1);
      if (repeat === 'weekdays') {
        while ([0, 6].includes(localTime(zone, next).weekday)) next = laterDays(zone, next, 1);
      }
    }
  } while (next <= now && next - at < 400 * DAY);
  return next;
}
