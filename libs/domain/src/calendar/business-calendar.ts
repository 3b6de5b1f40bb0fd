import { z } from 'zod';
import { CalendarDate } from '../shared/primitives';

/** True when the runtime knows the IANA time zone (e.g. `Asia/Shanghai`, `Europe/Berlin`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as HH:MM');

/**
 * A tenant's business calendar: its time zone, its public holidays, its weekend, and the weekend
 * days worked instead (China's 调休 make-up working days). Dates are local calendar dates.
 */
export const BusinessCalendar = z.object({
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  holidays: z.array(CalendarDate).max(400).default([]),
  /** ISO weekdays off: 1 = Monday … 7 = Sunday. */
  weekend: z.array(z.number().int().min(1).max(7)).max(6).default([6, 7]),
  /** Weekend dates worked (make-up days): working days despite `weekend`. */
  workingWeekends: z.array(CalendarDate).max(100).default([]),
  /** When the business day starts locally: "on the due day" reminders fire then. */
  dayStartsAt: LocalTime.default('09:00'),
});
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;
export type BusinessCalendarInput = z.input<typeof BusinessCalendar>;

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at an instant (milliseconds since the epoch). */
function wallClock(epochMs: number, timeZone: string) {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(epochMs))
      .map((part) => [part.type, part.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far `timeZone` is ahead of UTC at an instant, in milliseconds (e.g. +8 h in Shanghai). */
export function utcOffsetMs(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  const [y, m, d] = wall.date.split('-').map(Number);
  const asUtc = Date.UTC(y, m - 1, d, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The local calendar date (YYYY-MM-DD) of an ISO instant in a time zone. */
export function localDateOf(instant: string, timeZone: string): string {
  return wallClock(Date.parse(instant), timeZone).date;
}

/** The local wall time (HH:MM) of an ISO instant in a time zone. */
export function localTimeOf(instant: string, timeZone: string): string {
  const wall = wallClock(Date.parse(instant), timeZone);
  return `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
}

/**
 * The instant of a local date and wall time in a time zone, across daylight saving: a time that
 * does not exist (the spring-forward gap) moves forward by the gap; an ambiguous one (the autumn
 * repeat) takes the earlier, summer-time instant.
 */
export function instantOf(date: string, time: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offset an hour before and after brackets any transition; try the earlier (larger) offset first.
  const offsets = [utcOffsetMs(wall - DAY / 2, timeZone), utcOffsetMs(wall + DAY / 2, timeZone)];
  const candidates = [...new Set(offsets)].sort((a, b) => b - a).map((offset) => wall - offset);
  for (const candidate of candidates)
    if (wall - utcOffsetMs(candidate, timeZone) === candidate) return new Date(candidate).toISOString();
  // In the gap: the wall time never happens; use the standard offset, which lands after the gap.
  return new Date(wall - Math.min(...offsets)).toISOString();
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: BusinessCalendar): boolean {
  if (calendar.holidays.includes(date)) return false;
  if (calendar.workingWeekends.includes(date)) return true;
  return !calendar.weekend.includes(isoWeekday(date));
}

/**
 * The date `days` working days after (or, when negative, before) a local date. With 0 it is the
 * date itself when that is a working day, else the next working day.
 */
export function addWorkingDaysToDate(date: string, days: number, calendar: BusinessCalendar): string {
  if (calendar.weekend.length >= 7) throw new Error('a calendar needs at least one working weekday');
  const step = days < 0 ? -1 : 1;
  let current = date;
  if (days === 0) {
    while (!isWorkingDay(current, calendar)) current = shiftDate(current, 1);
    return current;
  }
  let left = Math.abs(days);
  while (left > 0) {
    current = shiftDate(current, step);
    if (isWorkingDay(current, calendar)) left--;
  }
  return current;
}

/**
 * An instant moved by `days` working days in the tenant's time zone, keeping the local wall time
 * (09:30 stays 09:30 across a daylight-saving change, weekends and holidays are skipped).
 */
export function addWorkingDays(instant: string, days: number, calendar: BusinessCalendar): string {
  const { timeZone } = calendar;
  const seconds = ((Date.parse(instant) % MINUTE) + MINUTE) % MINUTE;
  const moved = addWorkingDaysToDate(localDateOf(instant, timeZone), days, calendar);
  return new Date(
    Date.parse(instantOf(moved, localTimeOf(instant, timeZone), timeZone)) + seconds,
  ).toISOString();
}

/**
 * When the business day begins on the last working day that starts before `instant` (the due
 * day's morning, or the previous working day's when the due time is before the day starts or on
 * a day off).
 */
export function startOfDueDay(instant: string, calendar: BusinessCalendar): string {
  const { timeZone, dayStartsAt } = calendar;
  let date = localDateOf(instant, timeZone);
  for (let guard = 0; guard < 3660; guard++) {
    if (isWorkingDay(date, calendar)) {
      const start = instantOf(date, dayStartsAt, timeZone);
      if (start < instant) return start;
    }
    date = shiftDate(date, -1);
  }
  throw new Error('no working day within ten years');
}

/** Minutes between two instants (for readable assertions and logs). */
export const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / MINUTE;
