import { openSteps, timerEventId, timerKey, type AppraisalCommand } from '../../index';
import {
  AP,
  Scenario,
  as,
  definitionOf,
  pinnedV1,
  salesDefinition,
  useCaseSpec,
} from '../../testing/appraisal-scenario';
import { sales4232Workflow } from '../../examples/sales-4232.workflow';
import { salesWithIndicator } from '../../testing/scoring-examples';

const { path, spec, otherCommands, refusals } = useCaseSpec();
const open = path.opened.events;

otherCommands(() => {
  it('adds annotations from the people around the appraisal (text under pii)', () => {
    spec
      .given(path.approved.events)
      .when(
        {
          type: 'AddAnnotation',
          data: {
            appraisalId: AP,
            on: { periodId: '2026-01', indicatorId: 'sales_volume' },
            text: 'Watch the channel mix',
          },
        },
        as('skip', { ids: ['note-1'] }),
      )
      .then([
        {
          type: 'AnnotationAdded',
          data: {
            appraisalId: AP,
            at: '2026-01-05T09:00:00.000Z',
            annotationId: 'note-1',
            on: { periodId: '2026-01', indicatorId: 'sales_volume' },
            authorId: 'u-boss',
            pii: { text: 'Watch the channel mix' },
          },
        },
      ]);
  });

  it('refuses an annotation on a period the cycle does not have', () => {
    spec
      .given(path.approved.events)
      .when(
        { type: 'AddAnnotation', data: { appraisalId: AP, on: { periodId: '2031-13' }, text: 'Typo' } },
        as('skip', { ids: ['note-2'] }),
      )
      .thenThrows('period-not-found');
  });
});

refusals([
  [
    'an annotation by a stranger',
    open,
    { type: 'AddAnnotation', data: { appraisalId: AP, on: {}, text: 't' } },
    as('stranger'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'a timer fired by a person',
    open,
    {
      type: 'FireTimer',
      data: {
        appraisalId: AP,
        kind: 'deadline',
        stepKey: 'plan',
        occurrence: 1,
        level: 0,
        dueAt: '2026-01-19T09:00:00.000Z',
      },
    },
    as('hr'),
    'role-not-allowed',
    'forbidden',
  ],
  [
    'a timer level the workflow does not define',
    open,
    {
      type: 'FireTimer',
      data: {
        appraisalId: AP,
        kind: 'escalation',
        stepKey: 'plan',
        occurrence: 1,
        level: 9,
        dueAt: '2026-01-19T09:00:00.000Z',
      },
    },
    as('system'),
    'timer-unknown',
    'validation',
  ],
  [
    'migrating without the target version',
    open,
    { type: 'MigrateWorkflowVersion', data: { appraisalId: AP, toVersion: 2 } },
    as('hr'),
    'migration-target-mismatch',
    'conflict',
  ],
  [
    'migrating backwards',
    open,
    { type: 'MigrateWorkflowVersion', data: { appraisalId: AP, toVersion: 1 } },
    as('hr', { migrationTarget: pinnedV1 }),
    'migration-not-forward',
    'illegal-state',
  ],
  [
    'migrating by a manager',
    open,
    { type: 'MigrateWorkflowVersion', data: { appraisalId: AP, toVersion: 2 } },
    as('manager'),
    'role-not-allowed',
    'forbidden',
  ],
  [
    'migrating a finalized appraisal',
    path.finalized.events,
    { type: 'MigrateWorkflowVersion', data: { appraisalId: AP, toVersion: 2 } },
    as('hr'),
    'appraisal-finalized',
    'illegal-state',
  ],
]);

describe('appraisal: timers', () => {
  const steps = openSteps(path.opened.events, salesDefinition);
  const plan = steps[0];
  const fire = (
    kind: 'reminder' | 'escalation' | 'deadline',
    level: number,
    occurrence = 1,
    stepKey = 'plan',
  ): AppraisalCommand => ({
    type: 'FireTimer',
    data: { appraisalId: AP, kind, stepKey, occurrence, level, dueAt: '2026-01-19T09:00:00.000Z' },
  });

  it('lists open steps with due, reminder, deadline and escalation times', () => {
    expect(steps).toHaveLength(1);
    expect(plan).toMatchObject({
      appraisalId: AP,
      stepKey: 'plan',
      dueAt: '2026-01-19T09:00:00.000Z',
      assignee: { actor: 'self', employeeId: 'ann' },
    });
    expect(plan.timers.map((t) => [t.kind, t.level, t.fireAt, t.escalateTo ?? null])).toEqual([
      ['reminder', 0, '2026-01-16T09:00:00.000Z', null],
      ['reminder', 1, '2026-01-18T09:00:00.000Z', null],
      ['reminder', 2, '2026-01-19T00:00:00.000Z', null],
      ['deadline', 0, '2026-01-19T09:00:00.000Z', null],
      ['escalation', 1, '2026-01-20T09:00:00.000Z', 'manager'],
      ['escalation', 2, '2026-01-22T09:00:00.000Z', 'skip-level'],
      ['escalation', 3, '2026-01-24T09:00:00.000Z', 'hr'],
    ]);
    expect(plan.timers[0].timerKey).toBe('reminder-ap-1-plan-1-0');
    expect(plan.timers[0].command).toEqual(
      fire('reminder', 0) && {
        ...fire('reminder', 0),
        data: { ...fire('reminder', 0).data, dueAt: '2026-01-16T09:00:00.000Z' },
      },
    );
  });

  it('sends a reminder with a deterministic event id, once', () => {
    const key = timerKey({ kind: 'reminder', appraisalId: AP, stepKey: 'plan', occurrence: 1, level: 0 });
    const events = spec
      .given(path.opened.events)
      .when(fire('reminder', 0), as('system', { now: '2026-01-16T09:00:01.000Z' }))
      .events();
    expect(events).toEqual([
      {
        type: 'ReminderSent',
        eventId: timerEventId('demo', key),
        data: {
          appraisalId: AP,
          at: '2026-01-16T09:00:01.000Z',
          timerKey: key,
          stepKey: 'plan',
          occurrence: 1,
          dueAt: '2026-01-19T09:00:00.000Z',
          reminder: 0,
          assignee: { actor: 'self', employeeId: 'ann' },
        },
      },
    ]);
    expect(timerEventId('demo', key)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(timerEventId('other-tenant', key)).not.toBe(timerEventId('demo', key));
    spec
      .given([...path.opened.events, ...events])
      .when(fire('reminder', 0), as('system'))
      .then([]);
    expect(openSteps([...path.opened.events, ...events], salesDefinition)[0].timers).toHaveLength(6);
  });

  it('records a missed deadline and escalations along the chain', () => {
    spec
      .given(path.opened.events)
      .when(fire('deadline', 0), as('system'))
      .thenMatches([
        {
          type: 'DeadlineMissed',
          eventId: timerEventId('demo', 'deadline-ap-1-plan-1-0'),
          data: { assignee: { actor: 'self' } },
        },
      ]);
    spec
      .given(path.opened.events)
      .when(fire('escalation', 2), as('system'))
      .thenMatches([{ type: 'StepEscalated', data: { level: 2, to: 'skip-level' } }]);
  });

  it('does nothing once the step is done or re-opened', () => {
    spec.given(path.submitted.events).when(fire('deadline', 0), as('system')).then([]);
    const returned = path.submitted.run(
      { type: 'ReturnPlan', data: { appraisalId: AP, annotations: [{ text: 'x' }] } },
      as('manager'),
    );
    spec
      .given(returned.events)
      .when(fire('deadline', 0, 1), as('system'))
      .then([]);
    spec
      .given(returned.events)
      .when(fire('deadline', 0, 2), as('system'))
      .thenMatches([{ type: 'DeadlineMissed', data: { occurrence: 2 } }]);
    spec
      .given(path.opened.events)
      .when(fire('deadline', 0, 1, 'nope'), as('system'))
      .then([]);
  });

  it('gives steps without timing in the workflow no timers', () => {
    const untimed = definitionOf({
      ...sales4232Workflow,
      steps: sales4232Workflow.steps.filter((step) => step.kind !== 'plan'),
    });
    const pinned = { ...pinnedV1, definition: untimed };
    const opened = new Scenario().run(
      path.opened.events[0].type === 'AppraisalOpened'
        ? { type: 'OpenAppraisal', data: path.opened.events[0].data }
        : ({} as AppraisalCommand),
      as('system', { workflow: pinned }),
    );
    expect(opened.events[1]).toMatchObject({
      type: 'StepOpened',
      data: { dueAt: null, assignee: { actor: 'self' } },
    });
    expect(openSteps(opened.events, untimed)[0].timers).toEqual([]);
    spec
      .given(opened.events)
      .when(fire('deadline', 0), as('system', { workflow: pinned }))
      .then([]);
    expect(openSteps([], salesDefinition)).toEqual([]);
  });
});

describe('appraisal: workflow versions', () => {
  const v2 = { workflowId: 'sales', version: 2, definition: { ...salesDefinition, name: 'v2' } };

  it('migrates an in-flight appraisal, recording both versions; later decisions need the new version', () => {
    const migrated = path.scored.run(
      { type: 'MigrateWorkflowVersion', data: { appraisalId: AP, toVersion: 2, reason: 'New SLA' } },
      as('hr', { migrationTarget: v2 }),
    );
    expect(migrated.events[migrated.events.length - 1]).toEqual({
      type: 'AppraisalMigrated',
      data: {
        appraisalId: AP,
        at: '2026-01-05T09:00:00.000Z',
        workflowId: 'sales',
        fromVersion: 1,
        toVersion: 2,
        pii: { reason: 'New SLA' },
      },
    });
    spec
      .given(migrated.events)
      .when({ type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 70 } }, as('self'))
      .thenThrows('workflow-version-mismatch', 'conflict');
    spec
      .given(migrated.events)
      .when(
        { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 70 } },
        as('self', { workflow: v2 }),
      )
      .thenMatches([{ type: 'SelfAssessmentSubmitted' }, { type: 'StepCompleted' }]);
  });

  it('refuses a migration that drops indicators the plan uses', () => {
    const narrower = salesWithIndicator('inventory', (indicator) => ({ ...indicator, id: 'stock' }));
    spec
      .given(path.approved.events)
      .when(
        { type: 'MigrateWorkflowVersion', data: { appraisalId: AP, toVersion: 2 } },
        as('hr', { migrationTarget: { ...v2, definition: narrower } }),
      )
      .thenThrows('migration-incompatible', 'illegal-state');
  });

  it('a new version never changes a running appraisal: its pinned version stays', () => {
    const state = path.scored.state;
    expect(state.status !== 'empty' && state.workflowVersion).toBe(1);
  });
});
