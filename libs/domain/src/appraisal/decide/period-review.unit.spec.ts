import { decideAppraisal } from '../../index';
import {
  AP,
  as,
  workedActuals,
  types,
  feb,
  fileReview,
  assessReview,
  scorePeriod,
  added,
  useCaseSpec,
} from '../../testing/appraisal-scenario';

const { path, stepByStep, otherCommands, refusals } = useCaseSpec();

stepByStep(() => {
  it('files, assesses and scores the worked example: 87.30, grade B, veto breached, bonus coefficient 0', () => {
    expect(types(added(path.approved, path.filed))).toEqual([
      'PeriodReviewFiled',
      'StepCompleted',
      'StepOpened',
    ]);
    expect(types(added(path.filed, path.assessed))).toEqual(['PeriodReviewAssessed', 'StepCompleted']);
    const events = added(path.assessed, path.scored);
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
});

otherCommands(() => {
  it('returns a period review and lets the employee file again', () => {
    const returned = path.filed.run(
      {
        type: 'ReturnPeriodReview',
        data: { appraisalId: AP, periodId: '2026-01', annotations: [{ text: 'Attach the ledger' }] },
      },
      as('manager', { now: feb }),
    );
    expect(types(added(path.filed, returned))).toEqual([
      'PeriodReviewReturned',
      'StepCompleted',
      'StepOpened',
    ]);
    const refiled = returned.run(
      fileReview({ attachments: [{ indicatorId: 'product_mix', ref: 'doc-18' }] }),
      as('self', { now: feb }),
    );
    expect(types(added(returned, refiled))).toEqual(['PeriodReviewFiled', 'StepCompleted', 'StepOpened']);
  });

  it('corrects an actual with a reason, and the score follows the correction', () => {
    const assessed = path.filed.run(
      assessReview({
        corrections: [{ indicatorId: 'product_mix', actual: 345, reason: 'Late invoices counted' }],
        comment: 'ok',
      }),
      as('manager', { now: feb }),
    );
    expect(assessed.events[assessed.events.length - 2]).toMatchObject({
      type: 'PeriodReviewAssessed',
      data: {
        corrections: [{ indicatorId: 'product_mix', from: '330', to: '345' }],
        pii: { correctionReasons: [{ indicatorId: 'product_mix', reason: 'Late invoices counted' }] },
      },
    });
    const scored = assessed.run(scorePeriod(), as('manager', { now: feb }));
    expect(scored.events.find((event) => event.type === 'PeriodScored')?.data).toMatchObject({
      score: '88.80',
      vetoed: false,
      bonusCoefficient: '1',
    }); // product mix 345 → 78, 87.30 + 0.25·6
  });
});

refusals(
  [
    [
      'filing a review before the plan is approved',
      path.submitted.events,
      fileReview(),
      as('self', { now: feb }),
      'appraisal-planning',
      'illegal-state',
    ],
    [
      'filing for an unknown period',
      path.approved.events,
      fileReview({ periodId: '2031-01' }),
      as('self', { now: feb }),
      'period-not-found',
      'not-found',
    ],
    [
      'filing before the period starts',
      path.approved.events,
      fileReview({ periodId: '2026-05' }),
      as('self', { now: feb }),
      'period-not-started',
      'illegal-state',
    ],
    [
      'filing twice',
      path.filed.events,
      fileReview(),
      as('self', { now: feb }),
      'period-review-filed',
      'illegal-state',
    ],
    [
      'filing without every actual',
      path.approved.events,
      fileReview({
        actuals: workedActuals.slice(1),
        attachments: [{ indicatorId: 'product_mix', ref: 'd' }],
      }),
      as('self', { now: feb }),
      'invalid-period-review',
      'validation',
    ],
    [
      'filing without required evidence',
      path.approved.events,
      fileReview(),
      as('self', { now: feb }),
      'invalid-period-review',
      'validation',
    ],
    [
      'filing an unknown indicator twice',
      path.approved.events,
      fileReview({
        actuals: [
          ...workedActuals,
          { indicatorId: 'nps', actual: 1 },
          { indicatorId: 'inventory', actual: 1 },
        ],
        attachments: [{ indicatorId: 'product_mix', ref: 'd' }],
      }),
      as('self', { now: feb }),
      'invalid-period-review',
      'validation',
    ],
    [
      'filing for someone else',
      path.approved.events,
      fileReview(),
      as('manager', { now: feb }),
      'relation-not-allowed',
      'forbidden',
    ],
    [
      'assessing an unfiled review',
      path.approved.events,
      assessReview(),
      as('manager', { now: feb }),
      'period-review-not-filed',
      'illegal-state',
    ],
    [
      'a correction without a reason',
      path.filed.events,
      assessReview({ corrections: [{ indicatorId: 'inventory', actual: 400, reason: '  ' }] }),
      as('manager', { now: feb }),
      'invalid-assessment',
      'validation',
    ],
    [
      'a correction of an unknown indicator',
      path.filed.events,
      assessReview({ corrections: [{ indicatorId: 'nps', actual: 4, reason: 'r' }] }),
      as('manager', { now: feb }),
      'invalid-assessment',
      'validation',
    ],
    [
      'assessing your own review',
      path.filed.events,
      assessReview(),
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
      assessReview(),
      as('manager'),
      'appraisal-scored',
      'illegal-state',
    ],
    [
      'scoring a period after finalization',
      path.finalized.events,
      scorePeriod('2026-02'),
      as('system'),
      'appraisal-finalized',
      'illegal-state',
    ],
    [
      'scoring an unassessed period',
      path.filed.events,
      scorePeriod(),
      as('system', { now: feb }),
      'period-not-assessed',
      'illegal-state',
    ],
    [
      'scoring by a peer',
      path.assessed.events,
      scorePeriod(),
      as('peer', { now: feb }),
      'relation-not-allowed',
      'forbidden',
    ],
  ],
  () => {
    it('names the field and the rule in validation errors', () => {
      let caught: unknown;
      try {
        decideAppraisal(
          assessReview({ corrections: [{ indicatorId: 'inventory', actual: 400, reason: ' ' }] }),
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
  },
);
