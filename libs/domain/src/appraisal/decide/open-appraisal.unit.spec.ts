import { type AppraisalCommand, type AppraisalEvent } from '../../index';
import { AP, as, useCaseSpec } from '../../testing/appraisal-scenario';

const { path, stepByStep, refusals } = useCaseSpec();
const open = path.opened.events;

stepByStep(() => {
  it('opens with the plan step due 14 days later', () => {
    expect(path.opened.events).toEqual([
      expect.objectContaining({ type: 'AppraisalOpened' }),
      {
        type: 'StepOpened',
        data: {
          appraisalId: AP,
          at: '2026-01-05T09:00:00.000Z',
          stepKey: 'plan',
          kind: 'plan',
          instance: null,
          occurrence: 1,
          assignee: { actor: 'self', employeeId: 'ann' },
          dueAt: '2026-01-19T09:00:00.000Z',
          workflowVersion: 1,
        },
      },
    ]);
  });
});

refusals([
  [
    'opening twice',
    open,
    path.opened.events[0].type === 'AppraisalOpened'
      ? { type: 'OpenAppraisal', data: { ...path.opened.events[0].data } }
      : ({} as AppraisalCommand),
    as('system'),
    'appraisal-exists',
    'conflict',
  ],
  [
    'opening by an employee',
    [],
    {
      type: 'OpenAppraisal',
      data: {
        ...(path.opened.events[0].data as Extract<AppraisalEvent, { type: 'AppraisalOpened' }>['data']),
      },
    },
    as('self'),
    'role-not-allowed',
    'forbidden',
  ],
  [
    'opening under another version',
    [],
    {
      type: 'OpenAppraisal',
      data: {
        ...(path.opened.events[0].data as Extract<AppraisalEvent, { type: 'AppraisalOpened' }>['data']),
        workflowVersion: 2,
      },
    },
    as('system'),
    'workflow-version-mismatch',
    'conflict',
  ],
]);
