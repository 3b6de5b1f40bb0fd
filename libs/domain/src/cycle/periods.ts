import type { WorkflowDefinition } from '../workflow/workflow-definition.schema';
import type { Period } from './cycle.events';

const instant = (year: number, month: number) => new Date(Date.UTC(year, month, 1)).toISOString();

/**
 * The cycle's window and its short-term periods, in UTC: `[startsAt, endsAt)`.
 * Ids: months `2026-03`, quarters `2026-Q1`, halves `2026-H1`.
 */
export function cycleCalendar(
  cadence: WorkflowDefinition['cadence'],
  year: number,
  half: 1 | 2 = 1,
): { startsAt: string; endsAt: string; periods: Period[] } {
  const firstMonth = cadence.cycle === 'year' ? 0 : (half - 1) * 6;
  const months = cadence.cycle === 'year' ? 12 : 6;
  const length = cadence.period === 'month' ? 1 : cadence.period === 'quarter' ? 3 : 6;
  const periods: Period[] = [];
  for (let offset = 0; offset < months; offset += length) {
    const month = firstMonth + offset;
    const periodId =
      cadence.period === 'month'
        ? `${year}-${String(month + 1).padStart(2, '0')}`
        : cadence.period === 'quarter'
          ? `${year}-Q${month / 3 + 1}`
          : `${year}-H${month / 6 + 1}`;
    periods.push({ periodId, startsAt: instant(year, month), endsAt: instant(year, month + length) });
  }
  return { startsAt: instant(year, firstMonth), endsAt: instant(year, firstMonth + months), periods };
}

/** `days` after an ISO instant (whole UTC days). */
export function addDays(at: string, days: number): string {
  return new Date(Date.parse(at) + days * 86_400_000).toISOString();
}
