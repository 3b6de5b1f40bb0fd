import {
  decideDirectoryBatch,
  evolveDirectory,
  initialDirectoryState,
  type DomainContext,
} from '@verity/domain';
import { renderNotification } from './notification-templates';
import { recipientsOf } from './timer-notifications.projection';

const hr: DomainContext = {
  now: '2026-01-01T00:00:00.000Z',
  tenantId: 't',
  actor: { id: 'u-hr', role: 'admin' },
  newId: () => 'x',
};
const hire = (employeeId: string, managerId: string | null) => ({
  type: 'HireEmployee' as const,
  data: {
    employeeId,
    orgUnitId: 'east',
    managerId,
    position: null,
    name: employeeId,
    effectiveFrom: '2026-01-01',
  },
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
    expect(await recipientsOf(escalated(1, 'manager'), directory, async () => 'ann')).toEqual([
      { employeeId: 'mia', role: null, reason: 'escalation-manager' },
    ]);
    expect(await recipientsOf(escalated(2, 'skip-level'), directory, async () => 'ann')).toEqual([
      { employeeId: 'bo', role: null, reason: 'escalation-skip-level' },
    ]);
    expect(await recipientsOf(escalated(3, 'hr'), directory, async () => 'ann')).toEqual([
      { employeeId: null, role: 'hr', reason: 'escalation-hr' },
    ]);
  });

  it('sends an escalation to a vacant position to the HR inbox', async () => {
    expect(await recipientsOf(escalated(1, 'manager'), directory, async () => 'solo')).toEqual([
      { employeeId: null, role: 'hr', reason: 'escalation-manager-vacant' },
    ]);
  });

  it('reminds the assignee: the known employee, or the one holding the role then', async () => {
    const reminder = (actor: 'self' | 'manager' | 'hr', employeeId: string | null) => ({
      type: 'ReminderSent' as const,
      data: { ...timer, reminder: 0, assignee: { actor, employeeId } },
    });
    const told = (event: ReturnType<typeof reminder>) => recipientsOf(event, directory, async () => 'ann');
    expect((await told(reminder('self', 'ann')))[0].employeeId).toBe('ann');
    expect((await told(reminder('manager', null)))[0].employeeId).toBe('mia');
    expect(await told(reminder('hr', null))).toEqual([{ employeeId: null, role: 'hr', reason: 'assignee' }]);
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
