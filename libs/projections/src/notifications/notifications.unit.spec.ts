import {
  decideDirectoryBatch,
  evolveDirectory,
  initialDirectoryState,
  recipientsOf,
  taskLandsNow,
  type DomainContext,
} from '@verity/domain';
import { renderNotification } from './notification-templates';

const hr: DomainContext = {
  now: '2026-01-01T00:00:00.000Z',
  tenantId: 't',
  actor: { id: 'u-hr', role: 'admin' },
  newId: () => 'x',
};
const hire = (employeeId: string, managerId: string | null, orgUnitId = 'east') => ({
  type: 'HireEmployee' as const,
  data: {
    employeeId,
    orgUnitId,
    managerId,
    position: null,
    name: employeeId,
    effectiveFrom: '2026-01-01',
  },
});
const owner = (employeeId: string, process: string, orgUnitId: string | null, effectiveFrom: string) => ({
  type: 'AssignProcessOwner' as const,
  data: { employeeId, process, orgUnitId, effectiveFrom },
});
const hrPartner = (employeeId: string, orgUnitId: string | null, effectiveFrom: string) => ({
  type: 'AssignHrPartner' as const,
  data: { employeeId, orgUnitId, effectiveFrom },
});
/** The appraisal's facts the recipients depend on: its subject, in the `sales` workflow. */
const of =
  (subjectEmployeeId: string | null, workflowId: string | null = 'sales') =>
  () => ({
    subjectEmployeeId,
    workflowId,
  });
const directory = decideDirectoryBatch(
  [
    { type: 'CreateTenant', data: { name: 't' } },
    {
      type: 'CreateOrgUnit',
      data: { orgUnitId: 'east', parentId: null, kind: 'branch', name: 'East', effectiveFrom: '2026-01-01' },
    },
    hire('bo', null),
    hire('mia', 'bo'),
    hire('ann', 'mia'),
    hire('solo', null),
    {
      type: 'CreateOrgUnit',
      data: { orgUnitId: 'west', parentId: null, kind: 'branch', name: 'West', effectiveFrom: '2026-01-01' },
    },
    hire('wes', null, 'west'),
    hire('po-east', null),
    hire('po-all', null),
    hire('po-late', null),
    owner('po-east', 'sales', 'east', '2026-01-01'),
    owner('po-all', 'plan', null, '2026-01-01'),
    owner('po-late', 'sales', null, '2026-06-01'), // not yet in force in March
    // West has an HR partner; East has none (its HR share goes to the HR inbox).
    hire('hr-west', null, 'west'),
    hire('hr-gone', null, 'west'),
    hire('hr-later', null, 'west'),
    hrPartner('hr-west', 'west', '2026-01-01'),
    hrPartner('hr-gone', 'west', '2026-01-01'),
    { type: 'RecordEmployeeLeft' as const, data: { employeeId: 'hr-gone', effectiveFrom: '2026-02-01' } },
    hrPartner('hr-later', null, '2026-06-01'), // all units, but not yet in March
  ],
  initialDirectoryState(),
  hr,
).reduce(evolveDirectory, initialDirectoryState());

const timer = {
  appraisalId: 'ap-1',
  at: '2026-03-04T09:00:00.000Z',
  timerKey: 'k',
  stepKey: 'plan',
  occurrence: 1,
  dueAt: '2026-03-03T09:00:00.000Z',
};
const escalated = (level: number, to: 'manager' | 'skip-level' | 'hr' | 'process-owner') => ({
  type: 'StepEscalated' as const,
  data: { ...timer, level, to, assignee: { actor: 'self' as const, employeeId: 'ann' } },
});

describe('who is told of a timer outcome', () => {
  it('walks the chain from the directory: manager, the manager’s manager, the HR inbox', async () => {
    expect(await recipientsOf(escalated(1, 'manager'), directory, of('ann'))).toEqual([
      { employeeId: 'mia', role: null, reason: 'escalation-manager' },
    ]);
    expect(await recipientsOf(escalated(2, 'skip-level'), directory, of('ann'))).toEqual([
      { employeeId: 'bo', role: null, reason: 'escalation-skip-level' },
    ]);
    expect(await recipientsOf(escalated(3, 'hr'), directory, of('ann'))).toEqual([
      { employeeId: null, role: 'hr', reason: 'escalation-hr' },
    ]);
  });

  it('escalates to the process owners of the workflow or step kind covering the appraisee’s unit', async () => {
    // ann is in East: po-east owns `sales` there, po-all owns the plan step everywhere.
    expect(await recipientsOf(escalated(4, 'process-owner'), directory, of('ann'))).toEqual([
      { employeeId: 'po-all', role: null, reason: 'escalation-process-owner' },
      { employeeId: 'po-east', role: null, reason: 'escalation-process-owner' },
    ]);
    // wes is in West: only the owner of the plan step everywhere.
    expect(await recipientsOf(escalated(4, 'process-owner'), directory, of('wes'))).toEqual([
      { employeeId: 'po-all', role: null, reason: 'escalation-process-owner' },
    ]);
    // A step kind and workflow nobody owns: the process-owner inbox.
    const review = escalated(4, 'process-owner');
    review.data.stepKey = 'period-review.2026-02';
    expect(await recipientsOf(review, directory, of('wes', 'other'))).toEqual([
      { employeeId: null, role: 'process-owner', reason: 'escalation-process-owner' },
    ]);
  });

  it('sends an escalation to a vacant position to the HR inbox', async () => {
    expect(await recipientsOf(escalated(1, 'manager'), directory, of('solo'))).toEqual([
      { employeeId: null, role: 'hr', reason: 'escalation-manager-vacant' },
    ]);
  });

  it('gives HR’s share to the HR partners of the appraisee’s unit in force then, if it has any', async () => {
    // wes is in West: its partner in force (not the one who left, not the one from June).
    expect(await recipientsOf(escalated(3, 'hr'), directory, of('wes'))).toEqual([
      { employeeId: 'hr-west', role: null, reason: 'escalation-hr' },
    ]);
    // wes has no manager: the vacancy goes to West's partner too.
    expect(await recipientsOf(escalated(1, 'manager'), directory, of('wes'))).toEqual([
      { employeeId: 'hr-west', role: null, reason: 'escalation-manager-vacant' },
    ]);
    // In July the partner of all units is in force as well.
    const july = escalated(3, 'hr');
    july.data.at = '2026-07-01T09:00:00.000Z';
    expect(await recipientsOf(july, directory, of('wes'))).toEqual([
      { employeeId: 'hr-later', role: null, reason: 'escalation-hr' },
      { employeeId: 'hr-west', role: null, reason: 'escalation-hr' },
    ]);
    expect(await recipientsOf(july, directory, of('ann'))).toEqual([
      { employeeId: 'hr-later', role: null, reason: 'escalation-hr' },
    ]);
  });

  it('reminds the assignee: the known employee, or the one holding the role then', async () => {
    const reminder = (actor: 'self' | 'manager' | 'hr', employeeId: string | null) => ({
      type: 'ReminderSent' as const,
      data: { ...timer, reminder: 0, assignee: { actor, employeeId } },
    });
    const told = (event: ReturnType<typeof reminder>) => recipientsOf(event, directory, of('ann'));
    expect((await told(reminder('self', 'ann')))[0].employeeId).toBe('ann');
    expect((await told(reminder('manager', null)))[0].employeeId).toBe('mia');
    expect(await told(reminder('hr', null))).toEqual([{ employeeId: null, role: 'hr', reason: 'assignee' }]);
  });
});

describe('who is told of a task when its step opens', () => {
  const opened = (actor: 'self' | 'manager' | 'peer', employeeId: string | null, dueAt: string | null) => ({
    type: 'StepOpened' as const,
    data: {
      appraisalId: 'ap-1',
      at: '2026-03-02T09:00:00.000Z',
      stepKey: 'plan-approval',
      kind: 'plan-approval' as const,
      instance: null,
      occurrence: 1,
      assignee: { actor, employeeId },
      dueAt,
      workflowVersion: 1,
    },
  });
  it('tells the assignee, resolved from the directory, and nobody of a peer step', () => {
    expect(recipientsOf(opened('self', 'ann', null), directory, of('ann'))).toEqual([
      { employeeId: 'ann', role: null, reason: 'assignee' },
    ]);
    expect(recipientsOf(opened('manager', null, null), directory, of('ann'))).toEqual([
      { employeeId: 'mia', role: null, reason: 'assignee' },
    ]);
    expect(recipientsOf(opened('peer', null, null), directory, of('ann'))).toEqual([]);
  });
  it('tells of a step at its opening only when it is due within a month; its reminders tell of later ones', () => {
    expect(taskLandsNow(opened('self', 'ann', '2026-04-02T09:00:00.000Z'))).toBe(true);
    expect(taskLandsNow(opened('self', 'ann', '2026-04-02T09:00:00.001Z'))).toBe(false);
    expect(taskLandsNow(opened('self', 'ann', null))).toBe(true);
  });
  it('renders the task with the link to act', () => {
    const task = {
      appraisalId: 'ap-1',
      stepKind: 'plan',
      stepKey: 'plan',
      dueAt: '2026-03-16T09:00:00.000Z',
      link: '/app/appraisals/ap-1',
    };
    expect(renderNotification('task-assigned', task, 'en', 'Ann Liu')).toEqual({
      title: 'New task: the performance plan, due 2026-03-16 09:00 UTC',
      body: 'Dear Ann Liu,\n\nThe performance plan is yours to do (appraisal ap-1). Act on it here: /app/appraisals/ap-1',
    });
    expect(renderNotification('task-assigned', task, 'zh-CN').body).toContain('/app/appraisals/ap-1');
  });
});

describe('notification templates', () => {
  const params = {
    appraisalId: 'ap-1',
    stepKind: 'period-review',
    stepKey: 'period-review.2026-03',
    dueAt: '2026-04-05T09:00:00.000Z',
    level: 2,
    to: 'skip-level',
  };
  it('renders zh-CN and en, with the name only when asked (e-mail at send time)', () => {
    expect(renderNotification('escalated', params, 'zh-CN')).toEqual({
      title: '阶段述职逾期升级（第 2 级）',
      body: '阶段述职逾期未完成，已升级至隔级上级（考核 ap-1，原定 2026-04-05 09:00 UTC 到期）。',
    });
    expect(renderNotification('escalated', params, 'en', 'Bo Li')).toEqual({
      title: 'The period review is escalated (level 2)',
      body: "Dear Bo Li,\n\nThe period review is overdue and has been escalated to the manager's manager (appraisal ap-1, due 2026-04-05 09:00 UTC).",
    });
    expect(renderNotification('reminder', params, 'en').title).toBe(
      'Reminder: the period review is due 2026-04-05 09:00 UTC',
    );
  });
});
