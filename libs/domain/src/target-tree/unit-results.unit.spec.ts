import {
  evolveTargetTree,
  initialTargetTreeState,
  unitHeadOf,
  unitResultFeedOf,
  unitResultsOf,
  type Appraisal,
  type TargetTreeEvent,
} from '../index';
import { orgDirectory } from '../testing/org-directory';

const at = '2025-01-01T00:00:00.000Z';
const { unit, hire, build } = orgDirectory({ effectiveFrom: '2025-01-01', kind: 'department' });
const directory = build([
  unit('hq', null, { boss: null }),
  unit('east', 'hq', { 'east-head': 'boss' }),
  unit('east-a', 'east', { lead: 'east-head', ann: 'lead', bob: 'lead' }),
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

  it("feeds each unit's result to its head's appraisal in the cycle; a head not appraised gets nothing", () => {
    const period = (actual: string | null) => ({
      periodId: '2025-01',
      startsAt: at,
      endsAt: '2025-02-01T00:00:00.000Z',
      actuals: actual === null ? {} : { sales_volume: actual },
    });
    const appraisal = (employeeId: string, actual: string | null) =>
      ({
        status: 'in-progress',
        id: `ap-${employeeId}`,
        subject: { kind: 'employee', employeeId, orgUnitId: 'east-a' },
        periods: { '2025-01': period(actual) },
      }) as unknown as Appraisal;
    const feed = unitResultFeedOf({
      tree,
      // East's head is not appraised in this cycle: East's result is worked out, and fed to nobody.
      appraisals: [appraisal('ann', '300'), appraisal('bob', '450.5'), appraisal('lead', null)],
      directory,
      rules: [{ targetIndicatorId: 'sales_volume', headIndicatorId: 'team_sales' }],
      periodId: '2025-01',
    });
    expect(feed?.map((unit) => [unit.targetId, unit.headEmployeeId, unit.appraisalId, unit.actual])).toEqual([
      ['east', 'east-head', null, '750.5'],
      ['east-a', 'lead', 'ap-lead', '750.5'],
    ]);
    // A period no appraisal of the cycle has: nothing to feed, and the caller says so.
    expect(
      unitResultFeedOf({
        tree,
        appraisals: [appraisal('ann', '300')],
        directory,
        rules: [],
        periodId: '2025-02',
      }),
    ).toBeNull();
  });
});
