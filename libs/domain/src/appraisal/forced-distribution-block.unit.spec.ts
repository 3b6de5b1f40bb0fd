import { sales4232Workflow } from '../examples/sales-4232.workflow';
import type { PinnedWorkflow } from '../workflow/workflow.decide';
import { AP, as, definitionOf, happyPath } from '../testing/appraisal-scenario';

/** The sales workflow with at most 25 % A and at most 50 % B per unit, blocking or warning. */
function pinned(enforcement: 'warn' | 'block'): PinnedWorkflow {
  return {
    workflowId: 'sales',
    version: 1,
    definition: definitionOf({
      ...sales4232Workflow,
      forcedDistribution: [
        { grade: 'A', max: 25 },
        { grade: 'B', max: 50 },
      ],
      forcedDistributionEnforcement: enforcement,
    }),
  };
}

const jan = '2027-01-10T09:00:00.000Z';
const finalize = { type: 'FinalizeAppraisal', data: { appraisalId: AP } } as const;

function scoredAs(grade: string) {
  const { annual } = happyPath();
  return annual.state.status !== 'empty' && annual.state.result?.grade === grade
    ? annual
    : annual.run(
        { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade, reason: 'Unit calibration' } },
        as('hr', { now: jan }),
      );
}

it('refuses to finalize while the unit breaks a band, naming the unit, the band and the counts', () => {
  const scored = scoredAs('B');
  const ctx = {
    ...as('hr', { now: jan, workflow: pinned('block') }),
    unitGrades: { orgUnitId: 'east', grades: ['B', 'C'] },
  };
  // B, C and this B: 2 of 3 graded B, above the maximum of 50 %.
  let refusal: unknown;
  try {
    scored.run(finalize, ctx);
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toMatchObject({
    code: 'forced-distribution-violated',
    intent: 'illegal-state',
    details: {
      orgUnitId: 'east',
      violations: [
        expect.objectContaining({ grade: 'B', bound: 'max', limitPercent: '50', count: 2, total: 3 }),
      ],
    },
  });
  expect((refusal as Error).message).toContain('unit east');
  expect((refusal as Error).message).toContain('2 of 3 (66.67%) graded B, above the maximum of 50%');

  // Calibrated to C, the unit is within its bands (B, C, C) and finalizing goes through.
  const calibrated = scored.run(
    { type: 'CalibrateAppraisal', data: { appraisalId: AP, grade: 'C', reason: 'Unit calibration' } },
    as('hr', { now: jan }),
  );
  const finalized = calibrated.run(finalize, ctx);
  expect(finalized.state.status).toBe('finalized');
});

it('only warns (finalizes) when the workflow says warn, and needs no unit grades then', () => {
  const scored = scoredAs('A');
  expect(scored.run(finalize, as('hr', { now: jan, workflow: pinned('warn') })).state.status).toBe(
    'finalized',
  );
  expect(() => scored.run(finalize, as('hr', { now: jan, workflow: pinned('block') }))).toThrow(
    /needs unit east's grades/,
  );
});
