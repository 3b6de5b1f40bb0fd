import type { AppraisalEvent, PinnedWorkflow } from '../index';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import {
  AP,
  Scenario,
  approvePlan,
  as,
  assessReview,
  definitionOf,
  fileReview,
  openAppraisal,
  scoreAppraisal,
  scorePeriod,
  submitPlan,
  workedActuals,
} from '../testing/appraisal-scenario';

// A quarterly workflow of our own: a formula aggregation gated on sales, no veto, and a red line filed
// during the year that forces grade D and a zero bonus, whatever the score.
const quarterly: PinnedWorkflow = {
  workflowId: 'sales-gated',
  version: 3,
  definition: definitionOf({
    ...sales4232Workflow,
    name: 'Gated sales, quarterly',
    cadence: { cycle: 'year', period: 'quarter' },
    scorecard: {
      indicators: sales4232Workflow.scorecard.indicators.map(({ veto: _veto, ...indicator }) => ({
        ...indicator,
        evidenceRequired: false,
      })),
      aggregation: {
        method: 'formula',
        formula:
          'sales_volume >= 60 ? 0.5 * sales_volume + 0.3 * max(receivables, inventory) + 0.2 * product_mix : 0',
      },
    },
    annual: { formula: 'if(periods > rating, 0.8 * periods + 0.2 * rating, avg(periods, rating))' },
  }),
};
const ctx = (who: Parameters<typeof as>[0], now: string, ids?: string[]) =>
  as(who, { now, ids, workflow: quarterly });
const quarters = [
  { periodId: '2026-Q1', startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-04-01T00:00:00.000Z' },
  { periodId: '2026-Q2', startsAt: '2026-04-01T00:00:00.000Z', endsAt: '2026-07-01T00:00:00.000Z' },
];

describe('a second example: formula aggregation and a red line, through decide', () => {
  const q1 = workedActuals;
  const q2 = [
    { indicatorId: 'sales_volume', actual: 1200 },
    { indicatorId: 'receivables', actual: '1.5' },
    { indicatorId: 'inventory', actual: 400 },
    { indicatorId: 'product_mix', actual: 500 },
  ];
  const april = '2026-04-03T09:00:00.000Z';
  const july = '2026-07-03T09:00:00.000Z';
  const year = new Scenario()
    .run(
      openAppraisal({ cycleId: 'c', workflowId: 'sales-gated', workflowVersion: 3, periods: quarters }),
      ctx('system', '2026-01-05T09:00:00.000Z'),
    )
    .run(submitPlan(), ctx('self', '2026-01-06T09:00:00.000Z'))
    .run(approvePlan(), ctx('manager', '2026-01-07T09:00:00.000Z'))
    .run(fileReview({ periodId: '2026-Q1', actuals: q1 }), ctx('self', april))
    .run(assessReview({ periodId: '2026-Q1' }), ctx('manager', april))
    .run(scorePeriod('2026-Q1'), ctx('system', april, ['i1', 'i2', 'i3']))
    .run(fileReview({ periodId: '2026-Q2', actuals: q2 }), ctx('self', july))
    .run(assessReview({ periodId: '2026-Q2' }), ctx('manager', july))
    .run(scorePeriod('2026-Q2'), ctx('system', july))
    .run({ type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 90 } }, ctx('self', july))
    .run(
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'manager', rating: 80 } },
      ctx('manager', july),
    )
    .run({ type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 70 } }, ctx('peer', july))
    .run({ type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 90 } }, ctx('peer2', july));
  const scoredPeriods = year.events.filter(
    (event): event is Extract<AppraisalEvent, { type: 'PeriodScored' }> => event.type === 'PeriodScored',
  );

  it('scores Q1 by the formula: 0.5·90 + 0.3·max(84, 110) + 0.2·72 = 92.40 (A), no veto in this workflow', () => {
    expect(scoredPeriods[0].data).toMatchObject({
      periodId: '2026-Q1',
      raw: '92.4',
      score: '92.40',
      grade: 'A',
      bonusCoefficient: '1.5',
      vetoed: false,
      ruleVersion: { workflowId: 'sales-gated', version: 3 },
    });
    expect(scoredPeriods[0].data.aggregation).toContain('max(receivables, inventory)');
  });

  it('scores Q2 at stretch everywhere: 120.00, no improvements required', () => {
    expect(scoredPeriods[1].data).toMatchObject({ score: '120.00', grade: 'A' });
    const afterQ2 = year.events.slice(year.events.indexOf(scoredPeriods[1]));
    expect(afterQ2.some((event) => event.type === 'ImprovementRequired')).toBe(false);
  });

  it('scores the year (periods 106.20 > rating 82.00, so 0.8·106.20 + 0.2·82 = 101.36) as A without red lines', () => {
    const [scored] = year.run(scoreAppraisal(), ctx('hr', '2027-01-10T09:00:00.000Z')).events.slice(-2);
    expect(scored).toMatchObject({
      type: 'AppraisalScored',
      data: {
        periodAverage: '106.20',
        rating: '82.00',
        score: '101.36',
        grade: 'A',
        bonusCoefficient: '1.5',
      },
    });
  });

  it('forces grade D and a zero bonus once a safety red line is filed and upheld', () => {
    const withRedLine = year
      .run(
        {
          type: 'FileRedLineBreach',
          data: { appraisalId: AP, redLineId: 'safety', description: 'Warehouse incident' },
        },
        ctx('hr', '2026-09-01T09:00:00.000Z', ['rl-1']),
      )
      .run(
        { type: 'UpholdRedLine', data: { appraisalId: AP, breachId: 'rl-1', reason: 'Confirmed' } },
        ctx('hr', '2026-09-10T09:00:00.000Z'),
      )
      .run(scoreAppraisal(), ctx('hr', '2027-01-10T09:00:00.000Z'))
      .run({ type: 'FinalizeAppraisal', data: { appraisalId: AP } }, ctx('hr', '2027-01-20T09:00:00.000Z'))
      .run(
        { type: 'AcknowledgeAppraisal', data: { appraisalId: AP } },
        ctx('self', '2027-01-21T09:00:00.000Z'),
      );
    const scored = withRedLine.events.find((event) => event.type === 'AppraisalScored');
    expect(scored?.data).toMatchObject({
      score: '101.36',
      grade: 'D',
      bonusCoefficient: '0',
      redLinesApplied: ['rl-1'],
    });
    expect(withRedLine.events[withRedLine.events.length - 1]).toEqual({
      type: 'AppraisalClosed',
      data: {
        appraisalId: AP,
        at: '2027-01-21T09:00:00.000Z',
        score: '101.36',
        grade: 'D',
        bonusCoefficient: '0',
      },
    });
  });
});
