import { z } from 'zod';
import { isoWeekExists } from './iso-week-dates';

export * from './iso-week-dates';

/** An ISO 8601 week, e.g. `2026-W49` (weeks start on Monday; week 1 holds the year's first Thursday). */
export const IsoWeek = z
  .string()
  .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'an ISO week such as "2026-W49"')
  .refine((week) => isoWeekExists(week), 'this year has no such week');
/** A calendar month, e.g. `2026-12`: the period a week's behaviour score counts in. */
export const CalendarMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month such as "2026-12"');
