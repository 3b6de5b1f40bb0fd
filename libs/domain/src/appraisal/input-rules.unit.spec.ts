import { sales4232Workflow } from '../examples/sales-4232.workflow';
import { appraisalSpec, as, AP, definitionOf, happyPath, workedActuals } from '../testing/appraisal-scenario';

describe('input rules: a period review is filed once the period is over', () => {
  const file = {
    type: 'FilePeriodReview' as const,
    data: {
      appraisalId: AP,
      periodId: '2026-01',
      actuals: workedActuals,
      attachments: [{ indicatorId: 'product_mix', ref: 'doc-17' }],
      gapReasons: 'Slow mix uptake',
    },
  };

  it('refuses a review of a month not yet over (422, naming periodId and when it opens)', () => {
    appraisalSpec
      .given(happyPath().approved.events)
      .when(file, as('self', { now: '2026-01-20T09:00:00.000Z' }))
      .thenThrows('period-not-ended', 'illegal-state');
    let refused: unknown;
    try {
      appraisalSpec
        .given(happyPath().approved.events)
        .when(file, as('self', { now: '2026-01-20T09:00:00.000Z' }))
        .events();
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      message: expect.stringMatching(/^periodId: .*2026-02-01T00:00:00.000Z/),
      details: { path: 'periodId', opensAt: '2026-02-01T00:00:00.000Z' },
    });
  });

  it('files it once the month is over, or within the early window the workflow allows', () => {
    appraisalSpec
      .given(happyPath().approved.events)
      .when(file, as('self', { now: '2026-02-01T00:00:00.000Z' }))
      .thenMatches([{ type: 'PeriodReviewFiled' }, { type: 'StepCompleted' }, { type: 'StepOpened' }]);
    const early = {
      workflowId: 'sales',
      version: 1,
      definition: definitionOf({ ...sales4232Workflow, earlyFilingDays: 15 }),
    };
    appraisalSpec
      .given(happyPath().approved.events)
      .when(file, as('self', { now: '2026-01-20T09:00:00.000Z', workflow: early }))
      .thenMatches([{ type: 'PeriodReviewFiled' }, { type: 'StepCompleted' }, { type: 'StepOpened' }]);
  });
});
