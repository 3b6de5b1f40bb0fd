import { headOf, relationToUnit, unitHeadFor } from './unit-heads';
import { recipientsOf } from '../notifications/recipients';
import { orgDirectory } from '../testing/org-directory';

const { unit, left, build } = orgDirectory();
const directory = build([
  unit('hq', null, { boss: null, zed: 'boss' }),
  unit('sales', 'hq', { mgr: 'boss', ann: 'mgr' }),
  unit('east', 'sales', { eva: 'mgr', lee: 'eva' }),
  // Two people reporting outside their unit: the unit has no single head.
  unit('twin', 'hq', { tw1: 'boss', tw2: 'boss' }),
  left('eva', '2026-06-01'),
]);

describe("an org unit's head, from the reporting lines", () => {
  it('is the one member whose manager works elsewhere (or who has none)', () => {
    expect(headOf(directory, 'hq', '2026-03-01')).toBe('boss');
    expect(headOf(directory, 'sales', '2026-03-01')).toBe('mgr');
    expect(headOf(directory, 'east', '2026-03-01')).toBe('eva');
    expect(headOf(directory, 'twin', '2026-03-01')).toBeNull();
  });

  it('the unit head acts for the unit, the parent head assesses, the one above is skip-level', () => {
    const at = '2026-03-01';
    expect(relationToUnit(directory, 'eva', 'east', at)).toBe('self');
    expect(relationToUnit(directory, 'mgr', 'east', at)).toBe('manager');
    expect(relationToUnit(directory, 'boss', 'east', at)).toBe('skip-level');
    expect(relationToUnit(directory, 'lee', 'east', at)).toBe('none');
    expect(relationToUnit(directory, 'ann', 'sales', at)).toBe('none');
    expect(relationToUnit(directory, undefined, 'sales', at)).toBe('none');
  });

  it('follows the directory as of the date: a head who left heads nothing', () => {
    expect(relationToUnit(directory, 'eva', 'east', '2026-07-01')).toBe('none');
    expect(headOf(directory, 'east', '2026-07-01')).toBe('lee');
  });

  it("tells the unit's heads of its appraisal's steps: the head of a plan, the parent's head of its approval", () => {
    const at = '2026-03-01T09:00:00.000Z';
    expect(unitHeadFor(directory, 'east', 'self', at)).toBe('eva');
    expect(unitHeadFor(directory, 'east', 'manager', at)).toBe('mgr');
    expect(unitHeadFor(directory, 'east', 'skip-level', at)).toBe('boss');
    const step = (actor: 'self' | 'manager') => ({
      type: 'StepOpened' as const,
      data: {
        appraisalId: 'a-east',
        at,
        stepKey: 'plan',
        kind: 'plan' as const,
        instance: null,
        occurrence: 1,
        assignee: { actor, employeeId: null },
        dueAt: null,
        workflowVersion: 1,
      },
    });
    const facts = () => ({ subjectEmployeeId: null, workflowId: 'w', subjectOrgUnitId: 'east' });
    expect(recipientsOf(step('self'), directory, facts)).toEqual([
      { employeeId: 'eva', role: null, reason: 'assignee' },
    ]);
    expect(recipientsOf(step('manager'), directory, facts)).toEqual([
      { employeeId: 'mgr', role: null, reason: 'assignee' },
    ]);
  });
});
