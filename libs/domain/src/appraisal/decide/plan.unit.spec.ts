import { decideAppraisal, type AppraisalCommand } from '../../index';
import {
  AP,
  as,
  types,
  feb,
  submitPlan,
  approvePlan,
  fileReview,
  assessReview,
  scorePeriod,
  added,
  useCaseSpec,
} from '../../testing/appraisal-scenario';

const { path, spec, stepByStep, otherCommands, refusals } = useCaseSpec();
const open = path.opened.events;

stepByStep(() => {
  it('submits the plan with every indicator instantiated and key actions (text under pii)', () => {
    const events = added(path.opened, path.submitted);
    expect(types(events)).toEqual(['PlanSubmitted', 'StepCompleted', 'StepOpened']);
    expect(events[0].data).toMatchObject({
      planVersion: 1,
      targets: [
        { indicatorId: 'sales_volume', threshold: '800', target: '1000', stretch: '1200' },
        { indicatorId: 'receivables', threshold: '2.5', target: '2', stretch: '1.5' },
        { indicatorId: 'inventory' },
        { indicatorId: 'product_mix' },
      ],
      actions: [
        { actionId: 'act-1', indicatorId: 'product_mix', ownerEmployeeId: 'ann', dueDate: '2026-03-31' },
      ],
      pii: { actions: [{ actionId: 'act-1', goal: 'Launch mix campaign', measures: 'Weekly promotions' }] },
    });
    expect(events[1].data).toMatchObject({ stepKey: 'plan', late: false, by: 'u-ann' });
    expect(events[2].data).toMatchObject({
      stepKey: 'plan-approval',
      assignee: { actor: 'manager', employeeId: null },
    });
  });

  it('approves the plan and opens twelve period reviews plus the annual ratings', () => {
    const events = added(path.submitted, path.approved);
    expect(types(events).slice(0, 2)).toEqual(['PlanApproved', 'StepCompleted']);
    const opened = events
      .filter((event) => event.type === 'StepOpened')
      .map((event) => event.type === 'StepOpened' && event.data.stepKey);
    expect(opened).toHaveLength(15);
    expect(opened).toEqual(
      expect.arrayContaining([
        'period-review.2026-01',
        'period-review.2026-12',
        'self-assessment',
        'peer-rating',
        'manager-rating',
      ]),
    );
    const january = events.find(
      (event) => event.type === 'StepOpened' && event.data.stepKey === 'period-review.2026-01',
    );
    expect(january?.data).toMatchObject({ dueAt: '2026-02-06T00:00:00.000Z' });
  });
});

otherCommands(() => {
  it('returns a plan with annotations and reopens the plan step (occurrence 2)', () => {
    spec
      .given(path.submitted.events)
      .when(
        {
          type: 'ReturnPlan',
          data: { appraisalId: AP, annotations: [{ path: 'targets[0].target', text: 'Aim higher' }] },
        },
        as('manager'),
      )
      .thenMatches([
        {
          type: 'PlanReturned',
          data: { planVersion: 1, pii: { annotations: [{ path: 'targets[0].target', text: 'Aim higher' }] } },
        },
        { type: 'StepCompleted', data: { stepKey: 'plan-approval' } },
        { type: 'StepOpened', data: { stepKey: 'plan', occurrence: 2 } },
      ]);
  });

  it('requests and approves or rejects a plan change, keeping every version', () => {
    const requested = path.approved.run(
      {
        type: 'RequestPlanChange',
        data: {
          appraisalId: AP,
          targets: [{ indicatorId: 'inventory', threshold: 650, target: 550, stretch: 450 }],
          actions: [],
          removedActions: [{ actionId: 'act-1', reason: 'Mix campaign cancelled' }],
          reason: 'New warehouse',
        },
      },
      as('self', { ids: ['chg-1'] }),
    );
    expect(types(added(path.approved, requested))).toEqual(['PlanChangeRequested', 'StepOpened']);
    spec
      .given(requested.events)
      .when({ type: 'ApprovePlanChange', data: { appraisalId: AP, changeId: 'chg-1' } }, as('manager'))
      .thenMatches([
        { type: 'PlanChangeApproved', data: { changeId: 'chg-1', planVersion: 2 } },
        { type: 'StepCompleted', data: { stepKey: 'plan-approval.chg-1' } },
      ]);
    spec
      .given(requested.events)
      .when(
        { type: 'RejectPlanChange', data: { appraisalId: AP, changeId: 'chg-1', reason: 'Not this year' } },
        as('manager'),
      )
      .thenMatches([
        { type: 'PlanChangeRejected', data: { pii: { reason: 'Not this year' } } },
        { type: 'StepCompleted' },
      ]);
    const approved = requested.run(
      { type: 'ApprovePlanChange', data: { appraisalId: AP, changeId: 'chg-1' } },
      as('manager'),
    );
    const state = approved.state;
    expect(
      state.status !== 'empty' && state.plan.targets.find((t) => t.indicatorId === 'inventory'),
    ).toMatchObject({ target: '550' });
    const rejected = requested.run(
      { type: 'RejectPlanChange', data: { appraisalId: AP, changeId: 'chg-1', reason: 'no' } },
      as('manager'),
    );
    expect(rejected.state.status !== 'empty' && rejected.state.plan.pendingChange).toBeNull();
  });

  it('marks a step completed after its due time as late', () => {
    spec
      .given(path.opened.events)
      .when(submitPlan(), as('self', { now: '2026-01-25T09:00:00.000Z' }))
      .thenMatches([
        { type: 'PlanSubmitted' },
        { type: 'StepCompleted', data: { late: true } },
        { type: 'StepOpened' },
      ]);
  });
});

refusals([
  ["submitting someone else's plan", open, submitPlan(), as('peer'), 'relation-not-allowed', 'forbidden'],
  ['HR submitting a plan', open, submitPlan(), as('hr'), 'relation-not-allowed', 'forbidden'],
  [
    'submitting a plan twice',
    path.submitted.events,
    submitPlan(),
    as('self'),
    'plan-submitted',
    'illegal-state',
  ],
  [
    'submitting after approval',
    path.approved.events,
    submitPlan(),
    as('self'),
    'appraisal-in-progress',
    'illegal-state',
  ],
  [
    'plan targets on an unknown indicator',
    open,
    submitPlan({ targets: [{ indicatorId: 'revenue', threshold: 1, target: 2, stretch: 3 }] }),
    as('self'),
    'invalid-plan',
    'validation',
  ],
  [
    'plan targets out of order',
    open,
    submitPlan({ targets: [{ indicatorId: 'receivables', threshold: 1, target: 2, stretch: 3 }] }),
    as('self'),
    'invalid-plan',
    'validation',
  ],
  [
    'a key action on an unknown indicator',
    open,
    submitPlan({
      actions: [
        { indicatorId: 'x', ownerEmployeeId: 'ann', dueDate: '2026-03-01', goal: 'g', measures: 'm' },
      ],
    }),
    as('self'),
    'invalid-plan',
    'validation',
  ],
  [
    'approving an unsubmitted plan',
    open,
    approvePlan(),
    as('manager'),
    'plan-not-submitted',
    'illegal-state',
  ],
  [
    'approving by a peer',
    path.submitted.events,
    approvePlan(),
    as('peer'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'approving your own plan',
    path.submitted.events,
    approvePlan(),
    as('self'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'returning an unsubmitted plan',
    open,
    { type: 'ReturnPlan', data: { appraisalId: AP, annotations: [{ text: 'x' }] } },
    as('manager'),
    'plan-not-submitted',
    'illegal-state',
  ],
  [
    'a plan change before approval',
    open,
    {
      type: 'RequestPlanChange',
      data: { appraisalId: AP, targets: [], actions: [], removedActions: [], reason: 'r' },
    },
    as('self'),
    'appraisal-planning',
    'illegal-state',
  ],
  [
    'a plan change by a stranger',
    path.approved.events,
    {
      type: 'RequestPlanChange',
      data: { appraisalId: AP, targets: [], actions: [], removedActions: [], reason: 'r' },
    },
    as('stranger'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'approving an unknown plan change',
    path.approved.events,
    { type: 'ApprovePlanChange', data: { appraisalId: AP, changeId: 'nope' } },
    as('manager'),
    'plan-change-not-found',
    'not-found',
  ],
  [
    'rejecting a plan change as the employee',
    path.approved.events,
    { type: 'RejectPlanChange', data: { appraisalId: AP, changeId: 'nope', reason: 'r' } },
    as('self'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'deciding a plan change after finalization',
    path.finalized.events,
    { type: 'ApprovePlanChange', data: { appraisalId: AP, changeId: 'c' } },
    as('manager'),
    'appraisal-finalized',
    'illegal-state',
  ],
]);

describe('appraisal: targets split by period and cascaded from a parent (目标树)', () => {
  const plan = (targets: unknown[]): AppraisalCommand => ({
    type: 'SubmitPlan',
    data: { appraisalId: AP, targets, actions: [] } as never,
  });

  it('scores a period against its own levels, and links a target to its parent', () => {
    const submitted = path.opened.run(
      plan([
        {
          indicatorId: 'sales_volume',
          threshold: 800,
          target: 1000,
          stretch: 1200,
          parent: { appraisalId: 'unit-sales', indicatorId: 'sales_volume' },
        },
        { indicatorId: 'sales_volume', periodId: '2026-01', threshold: 600, target: 800, stretch: 1000 },
      ]),
      as('self'),
    );
    const planned = submitted.events.find((event) => event.type === 'PlanSubmitted');
    expect(planned?.data).toMatchObject({
      targets: [
        {
          indicatorId: 'sales_volume',
          target: '1000',
          parent: { appraisalId: 'unit-sales', indicatorId: 'sales_volume' },
        },
        { indicatorId: 'receivables' },
        { indicatorId: 'inventory' },
        { indicatorId: 'product_mix' },
        {
          indicatorId: 'sales_volume',
          periodId: '2026-01',
          threshold: '600',
          target: '800',
          stretch: '1000',
        },
      ],
    });
    const scored = submitted
      .run(approvePlan(), as('manager'))
      .run(fileReview({ attachments: [{ indicatorId: 'product_mix', ref: 'd' }] }), as('self', { now: feb }))
      .run(assessReview(), as('manager', { now: feb }))
      .run(scorePeriod(), as('system', { now: feb }));
    const january = scored.events.find((event) => event.type === 'PeriodScored');
    // Sales 950 against 600/800/1000 scores 115 (not 90): 87.30 + 0.40·25 = 97.30, grade A, still vetoed.
    expect(january?.data).toMatchObject({ score: '97.30', grade: 'A', bonusCoefficient: '0', vetoed: true });
    expect(january?.type === 'PeriodScored' && january.data.indicators[0]).toMatchObject({
      indicatorId: 'sales_volume',
      score: '115',
    });
    const improvements = scored.events
      .filter((event) => event.type === 'ImprovementRequired')
      .map((event) => event.type === 'ImprovementRequired' && event.data.indicatorId);
    expect(improvements).toEqual(['receivables', 'product_mix']);
  });

  it('refuses a period the cycle lacks and a target given twice', () => {
    let caught: unknown;
    try {
      decideAppraisal(
        plan([
          { indicatorId: 'inventory', periodId: '2031-01', threshold: 600, target: 500, stretch: 400 },
          { indicatorId: 'inventory', threshold: 600, target: 500, stretch: 400 },
          { indicatorId: 'inventory', threshold: 600, target: 500, stretch: 400 },
        ]),
        path.opened.state,
        as('self'),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'invalid-plan',
      issues: [
        { path: 'targets[0].periodId', rule: 'period-unknown' },
        { path: 'targets[2]', rule: 'target-duplicate' },
      ],
    });
  });
});
