import type { Answer } from '../../api/client';

/** A row of `GET /inbox/sla`: one step kind in one group (unit, person or process owner). */
export type SlaRow = Answer<'/inbox/sla'>['items'][number];

export interface SlaGroup {
  group: string;
  onTime: number;
  late: number;
  overdue: number;
  escalated: number;
  open: number;
}

/** The report's step kinds added up per group, in the report's order: what the chart compares. */
export function slaByGroup(rows: readonly SlaRow[]): SlaGroup[] {
  const groups = new Map<string, SlaGroup>();
  for (const row of rows) {
    const sum = groups.get(row.group) ?? {
      group: row.group,
      onTime: 0,
      late: 0,
      overdue: 0,
      escalated: 0,
      open: 0,
    };
    sum.onTime += row.onTime;
    sum.late += row.late;
    sum.overdue += row.overdue;
    sum.escalated += row.escalated;
    sum.open += row.open;
    groups.set(row.group, sum);
  }
  return [...groups.values()];
}
