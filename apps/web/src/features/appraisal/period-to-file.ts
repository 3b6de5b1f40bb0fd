import type { Period } from './queries';

const DAY_MS = 86_400_000;

/**
 * The month whose review the appraisee may file now: the first pending or returned one that has
 * ended, or is within the workflow's early-filing days of its end. The API refuses an earlier
 * review (`period-not-ended`), so a form for it would only lead to a refusal.
 */
export function periodToFile(
  periods: Pick<Period, 'periodId' | 'status' | 'endsAt'>[],
  now: number,
  earlyFilingDays: number,
): string | undefined {
  return periods.find(
    (period) =>
      (period.status === 'pending' || period.status === 'returned') &&
      Date.parse(period.endsAt) - earlyFilingDays * DAY_MS <= now,
  )?.periodId;
}
