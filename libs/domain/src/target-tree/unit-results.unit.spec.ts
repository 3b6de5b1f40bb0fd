import {
  evolveTargetTree,
  initialTargetTreeState,
  unitHeadOf,
  unitResultsOf,
  type TargetTreeEvent,
} from '../index';
import { orgDirectory } from '../testing/org-directory';

const at = '2025-01-01T00:00:00.000Z';
const { unit, hire, build } = orgDirectory({ effectiveFrom: '2025-01-01', kind: 'department' });
const directory = build([
  unit('hq', null),
  unit('east', 'hq'),
  unit('east-a', 'east'),
  hire('boss', 'hq', null),
  hire('east-head', 'east', 'boss'),
  hire('lead', 'east-a', 'east-head'),
  hire('ann', 'east-a', 'lead'),
  hire('bob', 'east-a', 'lead'),
  // An assistant in the head office who reports to the East head: hq has two members reporting outside it.
  hire('w1', 'hq', 'east-head'),
]);

const set = (targetId: string, parentId: string | null, level: string, ownerId: string): TargetTreeEvent => ({
  type: 'TargetSet',
  data: {
    cycleId: 'c',
    targetId,
    parentId,
    level: level as 'company',
    ownerId,
    indicatorId: 'sales_volume',
    unit: 'units',
    rollUp: 'sum',
    amount: '1000',
    at,
  },
});
const tree = [
  set('company', null, 'company', 't'),
  set('east', 'company', 'org-unit', 'east'),
  set('east-a', 'east', 'org-unit', 'east-a'),
  set('ann', 'east-a', 'person', 'ann'),
  set('bob', 'east-a', 'person', 'bob'),
].reduce(evolveTargetTree, initialTargetTreeState());

describe('unit results for unit heads', () => {
  it("finds a unit's head: its one member whose manager is outside it", () => {
    expect(unitHeadOf(directory, 'east-a', at)).toBe('lead');
    expect(unitHeadOf(directory, 'east', at)).toBe('east-head');
    // boss (to nobody) and w1 (to the East head) both report outside hq: no single head, nothing is fed.
    expect(unitHeadOf(directory, 'hq', at)).toBeNull();
  });

  it("rolls each org-unit target up over the period's actuals, by the workflow's rules", () => {
    const actuals: Record<string, string> = { ann: '300', bob: '450.5' };
    const results = unitResultsOf(
      tree,
      (employeeId) => actuals[employeeId] ?? null,
      [{ targetIndicatorId: 'sales_volume', headIndicatorId: 'team_sales' }],
      (orgUnitId) => unitHeadOf(directory, orgUnitId, at),
    );
    expect(results).toEqual([
      {
        targetId: 'east',
        orgUnitId: 'east',
        headEmployeeId: 'east-head',
        indicatorId: 'team_sales',
        actual: '750.5',
      },
      {
        targetId: 'east-a',
        orgUnitId: 'east-a',
        headEmployeeId: 'lead',
        indicatorId: 'team_sales',
        actual: '750.5',
      },
    ]);
    expect(
      unitResultsOf(
        tree,
        () => null,
        [],
        () => null,
      ),
    ).toEqual([]);
  });
});
