import {
  decideAppraisal,
  evolveAppraisal,
  initialAppraisalState,
  openSteps,
  timerEventId,
  timerKey,
  type AppraisalCommand,
  type AppraisalEvent,
} from '../index';
import {
  AP,
  Scenario,
  appraisalSpec as spec,
  as,
  definitionOf,
  happyPath,
  waiveUnscored,
  pinnedV1,
  salesDefinition,
  workedActuals,
} from '../testing/appraisal-scenario';
import { sales4232Workflow } from '../examples/sales-4232.workflow';

const path = happyPath();
const types = (events: AppraisalEvent[]) => events.map((event) => event.type);
const feb = '2026-02-03T09:00:00.000Z';
const jan = '2027-01-10T09:00:00.000Z';

describe('appraisal: the happy path, step by step', () => {
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

  it('submits the plan with every indicator instantiated and key actions (text under pii)', () => {
    const events = path.submitted.events.slice(path.opened.events.length);
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
    const events = path.approved.events.slice(path.submitted.events.length);
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

  it('files, assesses and scores the worked example: 87.30, grade B, veto breached, bonus coefficient 0', () => {
    expect(types(path.filed.events.slice(path.approved.events.length))).toEqual([
      'PeriodReviewFiled',
      'StepCompleted',
      'StepOpened',
    ]);
    expect(types(path.assessed.events.slice(path.filed.events.length))).toEqual([
      'PeriodReviewAssessed',
      'StepCompleted',
    ]);
    const events = path.scored.events.slice(path.assessed.events.length);
    expect(types(events)).toEqual([
      'PeriodScored',
      'VetoBreached',
      'ImprovementRequired',
      'StepOpened',
      'ImprovementRequired',
      'StepOpened',
      'ImprovementRequired',
      'StepOpened',
    ]);
    expect(events[0].data).toMatchObject({
      periodId: '2026-01',
      ruleVersion: { workflowId: 'sales', version: 1 },
      aggregation: 'weighted',
      raw: '87.3',
      score: '87.30',
      grade: 'B',
      bonusCoefficient: '0',
      vetoed: true,
    });
    expect(events[1].data).toMatchObject({
      indicatorId: 'product_mix',
      actual: '330',
      target: '400',
      vetoValue: '340',
      percentOfTarget: '82.5',
      effect: { type: 'bonus-zero' },
    });
    expect(
      events
        .filter((event) => event.type === 'ImprovementRequired')
        .map((event) => event.type === 'ImprovementRequired' && event.data.indicatorId),
    ).toEqual(['sales_volume', 'receivables', 'product_mix']);
  });

  it('scores the year from periods and 360 ratings: 0.7·87.30 + 0.3·82 = 85.71, grade B', () => {
    const events = path.annual.events.slice(path.yearComplete.events.length);
    expect(types(events)).toEqual(['AppraisalScored', 'StepOpened']);
    expect(events[0].data).toMatchObject({
      periodAverage: '87.30',
      rating: '82.00',
      score: '85.71',
      grade: 'B',
      bonusCoefficient: '1',
      redLinesApplied: [],
    });
    expect(events[1].data).toMatchObject({ stepKey: 'calibration', dueAt: '2027-01-31T00:00:00.000Z' });
  });

  it('completes the rating steps as responses arrive', () => {
    const completed = path.rated.events
      .slice(path.scored.events.length)
      .filter((event) => event.type === 'StepCompleted')
      .map((event) => event.type === 'StepCompleted' && event.data.stepKey);
    expect(completed).toEqual(['self-assessment', 'manager-rating', 'peer-rating']);
  });

  it('finalizes, then closes on acknowledgement with the bonus coefficient', () => {
    expect(types(path.finalized.events.slice(path.annual.events.length))).toEqual([
      'AppraisalFinalized',
      'StepCompleted',
      'StepOpened',
    ]);
    const closing = path.closed.events.slice(path.finalized.events.length);
    expect(types(closing)).toEqual(['AppraisalAcknowledged', 'StepCompleted', 'AppraisalClosed']);
    expect(closing[2].data).toEqual({
      appraisalId: AP,
      at: jan,
      score: '85.71',
      grade: 'B',
      bonusCoefficient: '1',
    });
    expect(path.closed.state.status).toBe('closed');
  });

  it('handles an appeal: filed, then resolved with a new result', () => {
    expect(types(path.appealed.events.slice(path.finalized.events.length))).toEqual([
      'AppealFiled',
      'StepCompleted',
      'StepOpened',
    ]);
    spec
      .given(path.appealed.events)
      .when(
        {
          type: 'ResolveAppeal',
          data: { appraisalId: AP, outcome: 'upheld', score: 90.5, reason: 'Q4 evidence accepted' },
        },
        as('hr', { now: jan }),
      )
      .thenMatches([
        {
          type: 'AppealResolved',
          data: {
            appealId: 'appeal-1',
            outcome: 'upheld',
            to: { score: '90.50', grade: 'A', bonusCoefficient: '1.5' },
          },
        },
        { type: 'StepCompleted', data: { stepKey: 'appeal-resolution' } },
        { type: 'AppraisalClosed', data: { score: '90.50', grade: 'A', bonusCoefficient: '1.5' } },
      ]);
    spec
      .given(path.appealed.events)
      .when(
        { type: 'ResolveAppeal', data: { appraisalId: AP, outcome: 'rejected', reason: 'Ratings stand' } },
        as('hr', { now: jan }),
      )
      .thenMatches([
        { type: 'AppealResolved', data: { to: null } },
        { type: 'StepCompleted' },
        { type: 'AppraisalClosed', data: { score: '85.71', grade: 'B' } },
      ]);
  });
});

describe('appraisal: the other commands succeed', () => {
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
    expect(types(requested.events.slice(path.approved.events.length))).toEqual([
      'PlanChangeRequested',
      'StepOpened',
    ]);
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

  it('returns a period review and lets the employee file again', () => {
    const returned = path.filed.run(
      {
        type: 'ReturnPeriodReview',
        data: { appraisalId: AP, periodId: '2026-01', annotations: [{ text: 'Attach the ledger' }] },
      },
      as('manager', { now: feb }),
    );
    expect(types(returned.events.slice(path.filed.events.length))).toEqual([
      'PeriodReviewReturned',
      'StepCompleted',
      'StepOpened',
    ]);
    const refiled = returned.run(
      {
        type: 'FilePeriodReview',
        data: {
          appraisalId: AP,
          periodId: '2026-01',
          actuals: workedActuals,
          attachments: [{ indicatorId: 'product_mix', ref: 'doc-18' }],
        },
      },
      as('self', { now: feb }),
    );
    expect(types(refiled.events.slice(returned.events.length))).toEqual([
      'PeriodReviewFiled',
      'StepCompleted',
      'StepOpened',
    ]);
  });

  it('corrects an actual with a reason, and the score follows the correction', () => {
    const assessed = path.filed.run(
      {
        type: 'AssessPeriodReview',
        data: {
          appraisalId: AP,
          periodId: '2026-01',
          corrections: [{ indicatorId: 'product_mix', actual: 345, reason: 'Late invoices counted' }],
          comment: 'ok',
        },
      },
      as('manager', { now: feb }),
    );
    expect(assessed.events[assessed.events.length - 2]).toMatchObject({
      type: 'PeriodReviewAssessed',
      data: {
        corrections: [{ indicatorId: 'product_mix', from: '330', to: '345' }],
        pii: { correctionReasons: [{ indicatorId: 'product_mix', reason: 'Late invoices counted' }] },
      },
    });
    const scored = assessed.run(
      { type: 'ScorePeriod', data: { appraisalId: AP, periodId: '2026-01' } },
      as('manager', { now: feb }),
    );
    expect(scored.events.find((event) => event.type === 'PeriodScored')?.data).toMatchObject({
      score: '88.80',
      vetoed: false,
      bonusCoefficient: '1',
    }); // product mix 345 → 78, 87.30 + 0.25·6
  });

  it('files and verifies an improvement (marked as good practice)', () => {
    const filed = path.scored.run(
      {
        type: 'FileImprovement',
        data: { appraisalId: AP, improvementId: 'imp-1', action: 'Two more key accounts' },
      },
      as('self', { now: feb }),
    );
    expect(types(filed.events.slice(path.scored.events.length))).toEqual([
      'ImprovementFiled',
      'StepCompleted',
      'StepOpened',
    ]);
    spec
      .given(filed.events)
      .when(
        {
          type: 'VerifyImprovement',
          data: { appraisalId: AP, improvementId: 'imp-1', effective: true, goodPractice: true },
        },
        as('manager', { now: feb }),
      )
      .thenMatches([
        {
          type: 'ImprovementVerified',
          data: { improvementId: 'imp-1', effective: true, goodPractice: true },
        },
        { type: 'StepCompleted', data: { stepKey: 'improvement-verification.imp-1' } },
      ]);
  });

  it('waives a veto with a reason and re-scores the period with its bonus restored', () => {
    spec
      .given(path.scored.events)
      .when(
        {
          type: 'WaiveVeto',
          data: {
            appraisalId: AP,
            periodId: '2026-01',
            indicatorId: 'product_mix',
            reason: 'Supplier strike',
          },
        },
        as('hr', { now: feb }),
      )
      .thenMatches([
        {
          type: 'VetoWaived',
          data: { periodId: '2026-01', indicatorId: 'product_mix', pii: { reason: 'Supplier strike' } },
        },
        { type: 'PeriodScored', data: { score: '87.30', grade: 'B', bonusCoefficient: '1', vetoed: false } },
      ]);
  });

  it('files, contests, upholds and withdraws red-line breaches; nothing is deleted', () => {
    const breached = path.scored.run(
      {
        type: 'FileRedLineBreach',
        data: { appraisalId: AP, redLineId: 'fraud', description: 'Invoices backdated', evidence: 'audit-7' },
      },
      as('hr', { ids: ['rl-1'] }),
    );
    expect(breached.events[breached.events.length - 1]).toEqual({
      type: 'RedLineBreached',
      data: {
        appraisalId: AP,
        at: '2026-01-05T09:00:00.000Z',
        breachId: 'rl-1',
        redLineId: 'fraud',
        effect: { forceGrade: 'D', bonusCoefficient: '0' },
        pii: { description: 'Invoices backdated', evidence: 'audit-7' },
      },
    });
    const contested = breached.run(
      { type: 'ContestRedLine', data: { appraisalId: AP, breachId: 'rl-1', reason: 'Approved by finance' } },
      as('self'),
    );
    spec
      .given(contested.events)
      .when({ type: 'UpholdRedLine', data: { appraisalId: AP, breachId: 'rl-1' } }, as('hr'))
      .thenMatches([{ type: 'RedLineUpheld', data: { breachId: 'rl-1' } }]);
    spec
      .given(contested.events)
      .when(
        { type: 'WithdrawRedLine', data: { appraisalId: AP, breachId: 'rl-1', reason: 'Finance confirmed' } },
        as('hr'),
      )
      .thenMatches([{ type: 'RedLineWithdrawn' }]);
  });

  it('applies a standing red line to the annual result (grade D, coefficient 0), and not a withdrawn one', () => {
    const breached = path.yearComplete.run(
      { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'fraud', description: 'x' } },
      as('hr', { ids: ['rl-1'] }),
    );
    spec
      .given(breached.events)
      .when({ type: 'ScoreAppraisal', data: { appraisalId: AP } }, as('hr', { now: jan }))
      .thenMatches([
        {
          type: 'AppraisalScored',
          data: { score: '85.71', grade: 'D', bonusCoefficient: '0', redLinesApplied: ['rl-1'] },
        },
        { type: 'StepOpened' },
      ]);
    const withdrawn = breached.run(
      { type: 'WithdrawRedLine', data: { appraisalId: AP, breachId: 'rl-1', reason: 'cleared' } },
      as('hr'),
    );
    spec
      .given(withdrawn.events)
      .when({ type: 'ScoreAppraisal', data: { appraisalId: AP } }, as('hr', { now: jan }))
      .thenMatches([
        { type: 'AppraisalScored', data: { grade: 'B', redLinesApplied: [] } },
        { type: 'StepOpened' },
      ]);
  });

  it('calibrates with a reason, within standing red lines', () => {
    spec
      .given(path.annual.events)
      .when(
        {
          type: 'CalibrateAppraisal',
          data: { appraisalId: AP, grade: 'C', reason: 'Unit forced distribution' },
        },
        as('hr', { now: jan }),
      )
      .then([
        {
          type: 'CalibrationAdjusted',
          data: {
            appraisalId: AP,
            at: jan,
            from: { score: '85.71', grade: 'B', bonusCoefficient: '1' },
            to: { score: '85.71', grade: 'C', bonusCoefficient: '0.6' },
            pii: { reason: 'Unit forced distribution' },
          },
        },
      ]);
    const redLined = path.annual.run(
      { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'customer_harm', description: 'x' } },
      as('hr', { ids: ['rl-9'] }),
    );
    spec
      .given(redLined.events)
      .when(
        { type: 'CalibrateAppraisal', data: { appraisalId: AP, score: 95, reason: 'Exceptional year' } },
        as('hr', { now: jan }),
      )
      .thenMatches([
        {
          type: 'CalibrationAdjusted',
          data: { to: { score: '95.00', grade: 'A', bonusCoefficient: '0.3' } },
        },
      ]);
  });

  it('rescoring keeps one calibration step open', () => {
    spec
      .given(path.annual.events)
      .when({ type: 'ScoreAppraisal', data: { appraisalId: AP } }, as('hr', { now: jan }))
      .thenMatches([{ type: 'AppraisalScored' }]);
  });

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

  it('marks a step completed after its due time as late', () => {
    spec
      .given(path.opened.events)
      .when(
        { type: 'SubmitPlan', data: { appraisalId: AP, targets: [], actions: [] } },
        as('self', { now: '2026-01-25T09:00:00.000Z' }),
      )
      .thenMatches([
        { type: 'PlanSubmitted' },
        { type: 'StepCompleted', data: { late: true } },
        { type: 'StepOpened' },
      ]);
  });
});

describe('appraisal: every refusal is a typed error', () => {
  const open = path.opened.events;
  const cases: Array<[string, AppraisalEvent[], AppraisalCommand, ReturnType<typeof as>, string, string]> = [
    [
      'a command on an unopened appraisal',
      [],
      { type: 'ApprovePlan', data: { appraisalId: AP } },
      as('manager'),
      'appraisal-not-found',
      'not-found',
    ],
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
    [
      'deciding under a version other than the pinned one',
      open,
      { type: 'SubmitPlan', data: { appraisalId: AP, targets: [], actions: [] } },
      as('self', { workflow: { ...pinnedV1, version: 2 } }),
      'workflow-version-mismatch',
      'conflict',
    ],
    [
      "submitting someone else's plan",
      open,
      { type: 'SubmitPlan', data: { appraisalId: AP, targets: [], actions: [] } },
      as('peer'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'HR submitting a plan',
      open,
      { type: 'SubmitPlan', data: { appraisalId: AP, targets: [], actions: [] } },
      as('hr'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'submitting a plan twice',
      path.submitted.events,
      { type: 'SubmitPlan', data: { appraisalId: AP, targets: [], actions: [] } },
      as('self'),
      'plan-submitted',
      'illegal-state',
    ],
    [
      'submitting after approval',
      path.approved.events,
      { type: 'SubmitPlan', data: { appraisalId: AP, targets: [], actions: [] } },
      as('self'),
      'appraisal-in-progress',
      'illegal-state',
    ],
    [
      'plan targets on an unknown indicator',
      open,
      {
        type: 'SubmitPlan',
        data: {
          appraisalId: AP,
          targets: [{ indicatorId: 'revenue', threshold: 1, target: 2, stretch: 3 }],
          actions: [],
        },
      },
      as('self'),
      'invalid-plan',
      'validation',
    ],
    [
      'plan targets out of order',
      open,
      {
        type: 'SubmitPlan',
        data: {
          appraisalId: AP,
          targets: [{ indicatorId: 'receivables', threshold: 1, target: 2, stretch: 3 }],
          actions: [],
        },
      },
      as('self'),
      'invalid-plan',
      'validation',
    ],
    [
      'a key action on an unknown indicator',
      open,
      {
        type: 'SubmitPlan',
        data: {
          appraisalId: AP,
          targets: [],
          actions: [
            { indicatorId: 'x', ownerEmployeeId: 'ann', dueDate: '2026-03-01', goal: 'g', measures: 'm' },
          ],
        },
      },
      as('self'),
      'invalid-plan',
      'validation',
    ],
    [
      'approving an unsubmitted plan',
      open,
      { type: 'ApprovePlan', data: { appraisalId: AP } },
      as('manager'),
      'plan-not-submitted',
      'illegal-state',
    ],
    [
      'approving by a peer',
      path.submitted.events,
      { type: 'ApprovePlan', data: { appraisalId: AP } },
      as('peer'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'approving your own plan',
      path.submitted.events,
      { type: 'ApprovePlan', data: { appraisalId: AP } },
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
      'filing a review before the plan is approved',
      path.submitted.events,
      {
        type: 'FilePeriodReview',
        data: { appraisalId: AP, periodId: '2026-01', actuals: workedActuals, attachments: [] },
      },
      as('self', { now: feb }),
      'appraisal-planning',
      'illegal-state',
    ],
    [
      'filing for an unknown period',
      path.approved.events,
      {
        type: 'FilePeriodReview',
        data: { appraisalId: AP, periodId: '2031-01', actuals: workedActuals, attachments: [] },
      },
      as('self', { now: feb }),
      'period-not-found',
      'not-found',
    ],
    [
      'filing before the period starts',
      path.approved.events,
      {
        type: 'FilePeriodReview',
        data: { appraisalId: AP, periodId: '2026-05', actuals: workedActuals, attachments: [] },
      },
      as('self', { now: feb }),
      'period-not-started',
      'illegal-state',
    ],
    [
      'filing twice',
      path.filed.events,
      {
        type: 'FilePeriodReview',
        data: { appraisalId: AP, periodId: '2026-01', actuals: workedActuals, attachments: [] },
      },
      as('self', { now: feb }),
      'period-review-filed',
      'illegal-state',
    ],
    [
      'filing without every actual',
      path.approved.events,
      {
        type: 'FilePeriodReview',
        data: {
          appraisalId: AP,
          periodId: '2026-01',
          actuals: workedActuals.slice(1),
          attachments: [{ indicatorId: 'product_mix', ref: 'd' }],
        },
      },
      as('self', { now: feb }),
      'invalid-period-review',
      'validation',
    ],
    [
      'filing without required evidence',
      path.approved.events,
      {
        type: 'FilePeriodReview',
        data: { appraisalId: AP, periodId: '2026-01', actuals: workedActuals, attachments: [] },
      },
      as('self', { now: feb }),
      'invalid-period-review',
      'validation',
    ],
    [
      'filing an unknown indicator twice',
      path.approved.events,
      {
        type: 'FilePeriodReview',
        data: {
          appraisalId: AP,
          periodId: '2026-01',
          actuals: [
            ...workedActuals,
            { indicatorId: 'nps', actual: 1 },
            { indicatorId: 'inventory', actual: 1 },
          ],
          attachments: [{ indicatorId: 'product_mix', ref: 'd' }],
        },
      },
      as('self', { now: feb }),
      'invalid-period-review',
      'validation',
    ],
    [
      'filing for someone else',
      path.approved.events,
      {
        type: 'FilePeriodReview',
        data: { appraisalId: AP, periodId: '2026-01', actuals: workedActuals, attachments: [] },
      },
      as('manager', { now: feb }),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'assessing an unfiled review',
      path.approved.events,
      { type: 'AssessPeriodReview', data: { appraisalId: AP, periodId: '2026-01', corrections: [] } },
      as('manager', { now: feb }),
      'period-review-not-filed',
      'illegal-state',
    ],
    [
      'a correction without a reason',
      path.filed.events,
      {
        type: 'AssessPeriodReview',
        data: {
          appraisalId: AP,
          periodId: '2026-01',
          corrections: [{ indicatorId: 'inventory', actual: 400, reason: '  ' }],
        },
      },
      as('manager', { now: feb }),
      'invalid-assessment',
      'validation',
    ],
    [
      'a correction of an unknown indicator',
      path.filed.events,
      {
        type: 'AssessPeriodReview',
        data: {
          appraisalId: AP,
          periodId: '2026-01',
          corrections: [{ indicatorId: 'nps', actual: 4, reason: 'r' }],
        },
      },
      as('manager', { now: feb }),
      'invalid-assessment',
      'validation',
    ],
    [
      'assessing your own review',
      path.filed.events,
      { type: 'AssessPeriodReview', data: { appraisalId: AP, periodId: '2026-01', corrections: [] } },
      as('self', { now: feb }),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'returning an unfiled review',
      path.approved.events,
      {
        type: 'ReturnPeriodReview',
        data: { appraisalId: AP, periodId: '2026-01', annotations: [{ text: 'x' }] },
      },
      as('manager', { now: feb }),
      'period-review-not-filed',
      'illegal-state',
    ],
    [
      'assessing after the year is scored',
      path.annual.events,
      { type: 'AssessPeriodReview', data: { appraisalId: AP, periodId: '2026-01', corrections: [] } },
      as('manager'),
      'appraisal-scored',
      'illegal-state',
    ],
    [
      'scoring a period after finalization',
      path.finalized.events,
      { type: 'ScorePeriod', data: { appraisalId: AP, periodId: '2026-02' } },
      as('system'),
      'appraisal-finalized',
      'illegal-state',
    ],
    [
      'deciding a plan change after finalization',
      path.finalized.events,
      { type: 'ApprovePlanChange', data: { appraisalId: AP, changeId: 'c' } },
      as('manager'),
      'appraisal-finalized',
      'illegal-state',
    ],
    [
      'filing an improvement after closing',
      path.closed.events,
      { type: 'FileImprovement', data: { appraisalId: AP, improvementId: 'imp-1', action: 'a' } },
      as('self'),
      'appraisal-closed',
      'illegal-state',
    ],
    [
      'scoring an unassessed period',
      path.filed.events,
      { type: 'ScorePeriod', data: { appraisalId: AP, periodId: '2026-01' } },
      as('system', { now: feb }),
      'period-not-assessed',
      'illegal-state',
    ],
    [
      'scoring by a peer',
      path.assessed.events,
      { type: 'ScorePeriod', data: { appraisalId: AP, periodId: '2026-01' } },
      as('peer', { now: feb }),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'filing an unknown improvement',
      path.scored.events,
      { type: 'FileImprovement', data: { appraisalId: AP, improvementId: 'nope', action: 'a' } },
      as('self'),
      'improvement-not-found',
      'not-found',
    ],
    [
      'filing an improvement twice',
      path.scored.run(
        { type: 'FileImprovement', data: { appraisalId: AP, improvementId: 'imp-1', action: 'a' } },
        as('self'),
      ).events,
      { type: 'FileImprovement', data: { appraisalId: AP, improvementId: 'imp-1', action: 'a' } },
      as('self'),
      'improvement-filed',
      'illegal-state',
    ],
    [
      'verifying an unfiled improvement',
      path.scored.events,
      {
        type: 'VerifyImprovement',
        data: { appraisalId: AP, improvementId: 'imp-1', effective: true, goodPractice: false },
      },
      as('manager'),
      'improvement-not-filed',
      'illegal-state',
    ],
    [
      'verifying your own improvement',
      path.scored.events,
      {
        type: 'VerifyImprovement',
        data: { appraisalId: AP, improvementId: 'imp-1', effective: true, goodPractice: false },
      },
      as('self'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'waiving a veto that was not breached',
      path.scored.events,
      {
        type: 'WaiveVeto',
        data: { appraisalId: AP, periodId: '2026-01', indicatorId: 'sales_volume', reason: 'r' },
      },
      as('hr'),
      'veto-not-breached',
      'illegal-state',
    ],
    [
      'a manager waiving a veto',
      path.scored.events,
      {
        type: 'WaiveVeto',
        data: { appraisalId: AP, periodId: '2026-01', indicatorId: 'product_mix', reason: 'r' },
      },
      as('manager'),
      'role-not-allowed',
      'forbidden',
    ],
    [
      'waiving after finalization',
      path.finalized.events,
      {
        type: 'WaiveVeto',
        data: { appraisalId: AP, periodId: '2026-01', indicatorId: 'product_mix', reason: 'r' },
      },
      as('hr'),
      'appraisal-finalized',
      'illegal-state',
    ],
    [
      'an unknown red line',
      path.scored.events,
      { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'littering', description: 'd' } },
      as('hr'),
      'red-line-not-found',
      'not-found',
    ],
    [
      'a manager filing a red line',
      path.scored.events,
      { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'fraud', description: 'd' } },
      as('manager'),
      'role-not-allowed',
      'forbidden',
    ],
    [
      'a red line after finalization',
      path.finalized.events,
      { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'fraud', description: 'd' } },
      as('hr'),
      'appraisal-finalized',
      'illegal-state',
    ],
    [
      'contesting an unknown breach',
      path.scored.events,
      { type: 'ContestRedLine', data: { appraisalId: AP, breachId: 'nope', reason: 'r' } },
      as('self'),
      'red-line-breach-not-found',
      'not-found',
    ],
    [
      'contesting for someone else',
      path.scored.events,
      { type: 'ContestRedLine', data: { appraisalId: AP, breachId: 'nope', reason: 'r' } },
      as('peer'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'an employee upholding a breach',
      path.scored.events,
      { type: 'UpholdRedLine', data: { appraisalId: AP, breachId: 'nope' } },
      as('self'),
      'role-not-allowed',
      'forbidden',
    ],
    [
      'a self-assessment during planning',
      open,
      { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 80 } },
      as('self'),
      'appraisal-planning',
      'illegal-state',
    ],
    [
      'a self-assessment twice',
      path.rated.events,
      { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 80 } },
      as('self'),
      'self-assessment-submitted',
      'conflict',
    ],
    [
      'a rating off the scale',
      path.approved.events,
      { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 101 } },
      as('self'),
      'rating-out-of-scale',
      'validation',
    ],
    [
      'a self-assessment by the manager',
      path.approved.events,
      { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 80 } },
      as('manager'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'a peer rating by the manager',
      path.approved.events,
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 80 } },
      as('manager'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'a manager rating by a peer',
      path.approved.events,
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'manager', rating: 80 } },
      as('peer'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'rating twice',
      path.rated.events,
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 80 } },
      as('peer'),
      'already-rated',
      'conflict',
    ],
    [
      'a rater group the workflow lacks',
      path.approved.events,
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'skip-level', rating: 80 } },
      as('skip'),
      'rater-group-not-defined',
      'forbidden',
    ],
    [
      'an expert rating by an employee',
      path.approved.events,
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'expert', rating: 80 } },
      as('peer'),
      'role-not-allowed',
      'forbidden',
    ],
    [
      'rating after finalization',
      path.finalized.events,
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 80 } },
      as('peer2'),
      'appraisal-finalized',
      'illegal-state',
    ],
    [
      'scoring a year with periods neither scored nor waived',
      path.rated.events,
      { type: 'ScoreAppraisal', data: { appraisalId: AP } },
      as('hr'),
      'year-incomplete',
      'illegal-state',
    ],
    [
      'scoring the year before any period',
      waiveUnscored(path.approved).events,
      { type: 'ScoreAppraisal', data: { appraisalId: AP } },
      as('hr'),
      'no-period-scored',
      'illegal-state',
    ],
    [
      'scoring the year with too few ratings',
      waiveUnscored(path.scored).events,
      { type: 'ScoreAppraisal', data: { appraisalId: AP } },
      as('hr'),
      'ratings-incomplete',
      'illegal-state',
    ],
    [
      'a manager scoring the year',
      path.rated.events,
      { type: 'ScoreAppraisal', data: { appraisalId: AP } },
      as('manager'),
      'role-not-allowed',
      'forbidden',
    ],
    [
      'calibrating before scoring',
      path.rated.events,
      { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade: 'A', reason: 'r' } },
      as('hr'),
      'appraisal-in-progress',
      'illegal-state',
    ],
    [
      'calibrating to an unknown grade',
      path.annual.events,
      { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade: 'S', reason: 'r' } },
      as('hr'),
      'grade-unknown',
      'validation',
    ],
    [
      'calibrating with neither score nor grade',
      path.annual.events,
      { type: 'CalibrateAppraisal', data: { appraisalId: AP, reason: 'r' } },
      as('hr'),
      'result-required',
      'validation',
    ],
    [
      'a manager calibrating',
      path.annual.events,
      { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade: 'A', reason: 'r' } },
      as('manager'),
      'role-not-allowed',
      'forbidden',
    ],
    [
      'finalizing before scoring',
      path.rated.events,
      { type: 'FinalizeAppraisal', data: { appraisalId: AP } },
      as('hr'),
      'appraisal-in-progress',
      'illegal-state',
    ],
    [
      'finalizing a stale score',
      path.annual.run(
        { type: 'FileRedLineBreach', data: { appraisalId: AP, redLineId: 'fraud', description: 'd' } },
        as('hr'),
      ).events,
      { type: 'FinalizeAppraisal', data: { appraisalId: AP } },
      as('hr'),
      'score-stale',
      'illegal-state',
    ],
    [
      'acknowledging before finalization',
      path.annual.events,
      { type: 'AcknowledgeAppraisal', data: { appraisalId: AP } },
      as('self'),
      'appraisal-scored',
      'illegal-state',
    ],
    [
      'acknowledging for someone else',
      path.finalized.events,
      { type: 'AcknowledgeAppraisal', data: { appraisalId: AP } },
      as('manager'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'appealing a closed appraisal',
      path.closed.events,
      { type: 'FileAppeal', data: { appraisalId: AP, reason: 'r' } },
      as('self'),
      'appraisal-closed',
      'illegal-state',
    ],
    [
      'appealing for someone else',
      path.finalized.events,
      { type: 'FileAppeal', data: { appraisalId: AP, reason: 'r' } },
      as('peer'),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'resolving without an appeal',
      path.finalized.events,
      { type: 'ResolveAppeal', data: { appraisalId: AP, outcome: 'rejected', reason: 'r' } },
      as('hr'),
      'appraisal-finalized',
      'illegal-state',
    ],
    [
      'upholding an appeal without a result',
      path.appealed.events,
      { type: 'ResolveAppeal', data: { appraisalId: AP, outcome: 'upheld', reason: 'r' } },
      as('hr'),
      'result-required',
      'validation',
    ],
    [
      'a manager resolving an appeal',
      path.appealed.events,
      { type: 'ResolveAppeal', data: { appraisalId: AP, outcome: 'rejected', reason: 'r' } },
      as('manager'),
      'role-not-allowed',
      'forbidden',
    ],
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
  ];

  it.each(cases)('refuses %s', (_title, given, command, ctx, code, intent) => {
    spec.given(given).when(command, ctx).thenThrows(code, intent);
  });

  it('names the field and the rule in validation errors', () => {
    let caught: unknown;
    try {
      decideAppraisal(
        {
          type: 'AssessPeriodReview',
          data: {
            appraisalId: AP,
            periodId: '2026-01',
            corrections: [{ indicatorId: 'inventory', actual: 400, reason: ' ' }],
          },
        },
        path.filed.state,
        as('manager', { now: feb }),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      issues: [
        { path: 'corrections[0].reason', rule: 'reason-required', message: 'a correction needs a reason' },
      ],
    });
  });
});

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
    const narrower = definitionOf({
      ...sales4232Workflow,
      scorecard: {
        ...sales4232Workflow.scorecard,
        indicators: sales4232Workflow.scorecard.indicators.map((i) =>
          i.id === 'inventory' ? { ...i, id: 'stock' } : i,
        ),
      },
    });
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

describe('appraisal: evolve', () => {
  it('ignores events for an appraisal that was never opened', () => {
    expect(evolveAppraisal(initialAppraisalState(), path.submitted.events[2])).toEqual({ status: 'empty' });
  });
});

describe('appraisal: crypto-shredding readiness', () => {
  it('rebuilds the same state when every pii field is erased', () => {
    const all = [...path.closed.events, ...path.appealed.events.slice(path.finalized.events.length)];
    const erased = all.map((event) =>
      'pii' in event.data ? { ...event, data: { ...event.data, pii: {} } } : event,
    ) as AppraisalEvent[];
    const fold = (events: AppraisalEvent[]) => events.reduce(evolveAppraisal, initialAppraisalState());
    expect(fold(erased)).toEqual(fold(all));
    expect(erased.filter((event) => 'pii' in event.data).length).toBeGreaterThan(5);
  });
});

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
      .run({ type: 'ApprovePlan', data: { appraisalId: AP } }, as('manager'))
      .run(
        {
          type: 'FilePeriodReview',
          data: {
            appraisalId: AP,
            periodId: '2026-01',
            actuals: workedActuals,
            attachments: [{ indicatorId: 'product_mix', ref: 'd' }],
          },
        },
        as('self', { now: feb }),
      )
      .run(
        { type: 'AssessPeriodReview', data: { appraisalId: AP, periodId: '2026-01', corrections: [] } },
        as('manager', { now: feb }),
      )
      .run(
        { type: 'ScorePeriod', data: { appraisalId: AP, periodId: '2026-01' } },
        as('system', { now: feb }),
      );
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
