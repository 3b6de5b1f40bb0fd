import { slaByGroup, type SlaRow } from './sla-by-group';

const row = (group: string, kind: string, counts: Partial<SlaRow>): SlaRow => ({
  group,
  kind,
  opened: 0,
  completed: 0,
  onTime: 0,
  late: 0,
  open: 0,
  overdue: 0,
  deadlinesMissed: 0,
  escalated: 0,
  reminders: 0,
  compliance: null,
  ...counts,
});

describe("slaByGroup: the SLA report's step kinds added up per unit, person or owner", () => {
  it('adds each group’s kinds and keeps the report’s order of groups', () => {
    expect(
      slaByGroup([
        row('north', 'plan', { onTime: 2, late: 1, open: 1, overdue: 1, escalated: 1 }),
        row('sales', 'plan', { onTime: 3 }),
        row('north', 'period-review', { onTime: 1, late: 2, open: 4, escalated: 2 }),
      ]),
    ).toEqual([
      { group: 'north', onTime: 3, late: 3, overdue: 1, escalated: 3, open: 5 },
      { group: 'sales', onTime: 3, late: 0, overdue: 0, escalated: 0, open: 0 },
    ]);
    expect(slaByGroup([])).toEqual([]);
  });
});
