import type { BusinessHours } from '../../config';

/** What the person is told about when a person will answer. */
export type Availability = { kind: 'anytime' } | { kind: 'open' } | { kind: 'closed'; opensAt: Date };

/** The weekday (0 = Sunday) and minutes after midnight of `at` in `timeZone`. */
function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  const day = new Date(Date.UTC(Number(part('year')), Number(part('month')) - 1, Number(part('day')))).getUTCDay();
  return { day, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

const isOpen = (hours: BusinessHours, at: Date) => {
  const { day, minutes } = localTime(at, hours.timeZone);
  return hours.days.includes(day) && minutes >= hours.opens && minutes < hours.closes;
};

/**
 * Whether agents are in at `now`, and if not when they next are: found by stepping a minute at a
 * time from the next quarter hour is too slow, so it steps whole hours, then the minutes of the
 * hour it lands in (opening times are on the minute; time zones shift by whole quarter hours).
 */
export function availability(hours: BusinessHours | null, now: Date): Availability {
  if (!hours) return { kind: 'anytime' };
  if (isOpen(hours, now)) return { kind: 'open' };
  const minute = 60_000;
  let at = new Date(Math.floor(now.getTime() / minute) * minute);
  for (let step = 0; step < 8 * 24 && !isOpen(hours, at); step++) at = new Date(at.getTime() + 60 * minute);
  if (!isOpen(hours, at)) return { kind: 'anytime' };
  // Walk back to the first open minute of that hour.
  while (isOpen(hours, new Date(at.getTime() - minute)) && at.getTime() - minute > now.getTime()) {
    at = new Date(at.getTime() - minute);
  }
  return { kind: 'closed', opensAt: at };
}

/** `Monday 09:00` in the person's language, in the business's time zone. */
export function openingIn(language: string, hours: BusinessHours, at: Date): string {
  return new Intl.DateTimeFormat(language, {
    timeZone: hours.timeZone,
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** `Mon-Fri 09:00-18:00` in the person's language (weekday names) and the business's clock. */
export function hoursIn(language: string, hours: BusinessHours): string {
  const dayName = (day: number) =>
    new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2023, 0, 1 + day)),
    );
  const clock = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const first = hours.days[0] ?? 0;
  const last = hours.days[hours.days.length - 1] ?? first;
  const days = first === last ? dayName(first) : `${dayName(first)}–${dayName(last)}`;
  return `${days} ${clock(hours.opens)}–${clock(hours.closes)} (${hours.timeZone})`;
}
