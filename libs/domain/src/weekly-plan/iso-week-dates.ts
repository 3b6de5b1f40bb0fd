/**
 * ISO 8601 week arithmetic on dates (`YYYY-MM-DD`) and weeks (`2026-W49`), free of any library so the
 * web app computes the same weeks as the domain (its screens import this file, not zod's schemas).
 */

const DAY = 86_400_000;

/** Monday of ISO week 1 of `year`, in UTC milliseconds (the week holding 4 January). */
function firstMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY;
}

function parse(week: string): { year: number; number: number } {
  return { year: Number(week.slice(0, 4)), number: Number(week.slice(6)) };
}

/** Whether the year has that week (`2026-W53` does, `2025-W53` does not). */
export function isoWeekExists(week: string): boolean {
  const { year, number } = parse(week);
  return number <= weeksIn(year);
}

/** 52 or 53: a year has 53 ISO weeks when 28 December falls in week 53. */
function weeksIn(year: number): number {
  return Math.round((firstMonday(year + 1) - firstMonday(year)) / (7 * DAY));
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The seven dates (Monday first) of an ISO week. */
export function datesOfIsoWeek(week: string): string[] {
  const { year, number } = parse(week);
  const monday = firstMonday(year) + (number - 1) * 7 * DAY;
  return Array.from({ length: 7 }, (_, day) => isoDate(monday + day * DAY));
}

/**
 * The month a week counts in: the month of its Thursday, as the ISO year itself is counted, so
 * every week belongs to exactly one month (a month has four or five weeks).
 */
export function monthOfIsoWeek(week: string): string {
  return datesOfIsoWeek(week)[3].slice(0, 7);
}

/** The week before, across year ends (`2027-W01` → `2026-W53`). */
export function previousIsoWeek(week: string): string {
  const { year, number } = parse(week);
  if (number > 1) return `${year}-W${String(number - 1).padStart(2, '0')}`;
  return `${year - 1}-W${String(weeksIn(year - 1)).padStart(2, '0')}`;
}

/** The weeks that count in a month (their Thursday falls in it), in order. */
export function isoWeeksOfMonth(month: string): string[] {
  const [year, monthNumber] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const weeks: string[] = [];
  // A Thursday in the calendar year `year` always lies in ISO year `year`.
  for (let number = 1; number <= weeksIn(year); number++) {
    const week = `${year}-W${String(number).padStart(2, '0')}`;
    if (monthOfIsoWeek(week) === `${year}-${String(monthNumber).padStart(2, '0')}`) weeks.push(week);
  }
  return weeks;
}

/** The ISO week of a date (`YYYY-MM-DD`). */
export function isoWeekOf(date: string): string {
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00.000Z`);
  const thursday = ms + (3 - ((new Date(ms).getUTCDay() + 6) % 7)) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const number = Math.floor((thursday - firstMonday(year)) / (7 * DAY)) + 1;
  return `${year}-W${String(number).padStart(2, '0')}`;
}

/** The week after, across year ends (`2026-W53` → `2027-W01`). */
export function nextIsoWeek(week: string): string {
  return isoWeekOf(isoDate(Date.parse(`${datesOfIsoWeek(week)[6]}T00:00:00.000Z`) + DAY));
}

/**
 * The weeks that count in a span of time (their Thursday lies in `[startsAt, endsAt)`), in order:
 * as with months, a week at the edge of a cycle belongs to the cycle holding its Thursday.
 */
export function isoWeeksBetween(startsAt: string, endsAt: string): string[] {
  const weeks: string[] = [];
  for (let week = isoWeekOf(startsAt); ; week = nextIsoWeek(week)) {
    const thursday = datesOfIsoWeek(week)[3];
    if (thursday >= endsAt.slice(0, 10)) return weeks;
    if (thursday >= startsAt.slice(0, 10)) weeks.push(week);
  }
}
