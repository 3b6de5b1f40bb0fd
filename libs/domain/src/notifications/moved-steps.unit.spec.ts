import type { DirectoryCommand } from '../directory/directory.commands';
import { orgDirectory } from '../testing/org-directory';
import type { AppraisalEventOf } from '../appraisal/appraisal.events';
import type { AppraisalFacts } from './recipients';
import {
  changeDay,
  openStepKey,
  stepsMovedBy,
  trackPositionStep,
  type OpenPositionSteps,
  type StepLifecycleEvent,
} from './moved-steps';

const org = orgDirectory();
// East: bo heads it; mia and max report to bo; ann reports to mia. West: wes heads it.
const base = [
  ...org.unit('east', null, { bo: null, mia: 'bo', max: 'bo', ann: 'mia' }),
  ...org.unit('west', null, { wes: null }),
];
const manager = (employeeId: string, managerId: string, effectiveFrom = '2026-03-10'): DirectoryCommand => ({
  type: 'AssignManager',
  data: { employeeId, managerId, effectiveFrom },
});
const before = org.build(base);
const after = (...changes: DirectoryCommand[]) => org.build([...base, ...changes]);

const ofAnn = (): AppraisalFacts => ({ subjectEmployeeId: 'ann', workflowId: 'sales' });
const opened = (
  stepKey: string,
  actor: 'self' | 'manager' | 'skip-level' | 'peer' | 'hr',
  employeeId: string | null = null,
  dueAt: string | null = '2026-03-20T09:00:00.000Z',
  appraisalId = 'ap-ann',
): StepLifecycleEvent => ({
  type: 'StepOpened',
  data: {
    appraisalId,
    at: '2026-03-02T09:00:00.000Z',
    stepKey,
    kind: 'plan-approval',
    instance: null,
    occurrence: 1,
    assignee: { actor, employeeId },
    dueAt,
    workflowVersion: 1,
  },
});
const completed = (stepKey: string, occurrence = 1): StepLifecycleEvent => ({
  type: 'StepCompleted',
  data: { appraisalId: 'ap-ann', at: '2026-03-05T09:00:00.000Z', stepKey, occurrence, by: 'u', late: false },
});

function track(events: StepLifecycleEvent[], facts = ofAnn): OpenPositionSteps {
  const open: OpenPositionSteps = new Map();
  for (const event of events) trackPositionStep(open, event, facts);
  return open;
}
const moved = (open: OpenPositionSteps, changed = after(manager('ann', 'max')), day = '2026-03-10') =>
  stepsMovedBy(open.values(), before, changed, day).map(({ step, newcomers }) => ({
    stepKey: step.stepKey,
    told: newcomers.map((recipient) => recipient.employeeId ?? `role/${recipient.role}`),
  }));

describe('which open steps a reporting-line change moves, and to whom', () => {
  it('moves a step waiting on the manager to the new manager, telling nobody else', () => {
    const open = track([opened('plan-approval', 'manager'), opened('manager-rating', 'manager')]);
    expect(moved(open)).toEqual([
      { stepKey: 'plan-approval', told: ['max'] },
      { stepKey: 'manager-rating', told: ['max'] },
    ]);
  });

  it('does not move a step waiting on the employee, or on a named person, or on peers or HR', () => {
    const open = track([
      opened('plan', 'self'),
      opened('plan-approval', 'manager', 'mia'),
      opened('peer-rating', 'peer'),
      opened('calibration', 'hr'),
    ]);
    // Only position steps are kept: a named person or a group never follows the reporting line here.
    expect([...open.keys()]).toEqual([openStepKey('ap-ann', 'plan')]);
    expect(moved(open)).toEqual([]);
  });

  it('tells nobody of a step already done or withdrawn', () => {
    const open = track([
      opened('plan-approval', 'manager'),
      completed('plan-approval'),
      opened('manager-rating', 'manager'),
      { type: 'StepWithdrawn', data: { ...completed('manager-rating').data, cause: 'appraisal-withdrawn' } },
    ]);
    expect(open.size).toBe(0);
    expect(moved(open)).toEqual([]);
  });

  it('keeps a reopened step open when an earlier occurrence completes late', () => {
    const reopened = opened('plan-approval', 'manager') as AppraisalEventOf<'StepOpened'>;
    const open = track([
      reopened,
      { ...reopened, data: { ...reopened.data, occurrence: 2 } },
      completed('plan-approval', 1),
    ]);
    expect(moved(open)).toEqual([{ stepKey: 'plan-approval', told: ['max'] }]);
  });

  it("moves a skip-level step when the manager's manager changes, not the manager's steps", () => {
    const open = track([opened('plan-approval', 'manager'), opened('calibration', 'skip-level')]);
    // mia (ann's manager) now reports to wes: ann's skip-level is wes, her manager still mia.
    expect(moved(open, after(manager('mia', 'wes')))).toEqual([{ stepKey: 'calibration', told: ['wes'] }]);
  });

  it('moves nothing on a change that leaves the position with the same person', () => {
    const open = track([opened('plan-approval', 'manager')]);
    expect(moved(open, after(manager('ann', 'mia')))).toEqual([]);
    // max moving to West changes nothing for ann.
    expect(
      moved(
        open,
        after({
          type: 'TransferEmployee',
          data: { employeeId: 'max', orgUnitId: 'west', effectiveFrom: '2026-03-10' },
        }),
      ),
    ).toEqual([]);
  });

  it('judges a change on its day: one effective later moves nothing before it, one back-dated behind a later change nothing at all', () => {
    const open = track([opened('plan-approval', 'manager')]);
    expect(moved(open, after(manager('ann', 'max', '2026-04-01')), '2026-03-10')).toEqual([]);
    expect(moved(open, after(manager('ann', 'max', '2026-04-01')), '2026-04-01')).toEqual([
      { stepKey: 'plan-approval', told: ['max'] },
    ]);
    expect(changeDay('2026-04-01', '2026-03-10T12:00:00.000Z')).toBe('2026-04-01');
    expect(changeDay('2026-02-01', '2026-03-10T12:00:00.000Z')).toBe('2026-03-10');
    // max from February, but mia again from March (already recorded): ann's manager today is mia.
    const laterBack = org.build([...base, manager('ann', 'mia', '2026-03-01')]);
    expect(
      stepsMovedBy(
        open.values(),
        laterBack,
        org.build([...base, manager('ann', 'mia', '2026-03-01'), manager('ann', 'max', '2026-02-01')]),
        changeDay('2026-02-01', '2026-03-10T12:00:00.000Z'),
      ),
    ).toEqual([]);
  });

  it('leaves a step due more than a month after the change to its reminders, as at opening', () => {
    const open = track([opened('period-assessment.2026-11', 'manager', null, '2026-12-05T09:00:00.000Z')]);
    expect(moved(open)).toEqual([]);
    expect(moved(open, after(manager('ann', 'max', '2026-11-10')), '2026-11-10')).toEqual([
      { stepKey: 'period-assessment.2026-11', told: ['max'] },
    ]);
  });

  it('moves a unit appraisal’s step to the unit’s new head', () => {
    const ofEast = (): AppraisalFacts => ({
      subjectEmployeeId: null,
      workflowId: 'sales',
      subjectOrgUnitId: 'east',
    });
    const open = track([opened('plan', 'self', null, '2026-03-20T09:00:00.000Z', 'ap-east')], ofEast);
    // ed joins East above bo, and so heads it from then on.
    expect(moved(open, after(org.hire('ed', 'east', null), manager('bo', 'ed')))).toEqual([
      { stepKey: 'plan', told: ['ed'] },
    ]);
  });
});
