import type { PinnedWorkflow } from '../workflow/workflow.decide';
import { AP, as, definitionOf, happyPath } from '../testing/appraisal-scenario';
import { sales4232Workflow } from '../examples/sales-4232.workflow';

/** The sales workflow with weekly plans: one rubric line, weeks averaged, 20 % of the month (ADR 0131). */
const weekly: PinnedWorkflow = {
  workflowId: 'sales',
  version: 1,
  definition: definitionOf({
    ...sales4232Workflow,
    weeklyPlans: {
      rubric: [{ id: 'conduct', name: 'Plans and reports the week', weight: 100 }],
      monthRollUp: 'average',
      weightInMonthlyScore: 20,
    },
  }),
};
const feb = '2026-02-10T09:00:00.000Z';
const rescore = { type: 'RescoreBehaviour' as const, data: { appraisalId: AP, periodId: '2026-01' } };
const weeks = [
  { week: '2026-W02', score: '80.00' },
  { week: '2026-W03', score: '90.00' },
];

describe('RescoreBehaviour: a week scored after its month', () => {
  it('rescores a scored month with its weeks now: 0.8 · 87.30 + 0.2 · 85.00 = 86.84, breaches not repeated', () => {
    const { scored } = happyPath();
    const after = scored.run(rescore, {
      ...as('system', { now: feb, workflow: weekly }),
      behaviourWeeks: weeks,
    });
    const events = after.events.slice(scored.events.length);
    expect(events.map((event) => event.type)).toEqual(['PeriodScored']);
    expect(events[0].data).toMatchObject({
      periodId: '2026-01',
      score: '86.84',
      behaviour: { weeks, score: '85.00', weight: '20', scorecardScore: '87.30' },
    });
    expect(after.state.status !== 'empty' && after.state.periods['2026-01'].result?.score).toBe('86.84');
  });

  it('does nothing while the month is not scored (its scoring reads the weeks) or without weekly plans', () => {
    const { assessed, scored } = happyPath();
    const notYet = assessed.run(rescore, { ...as('system', { workflow: weekly }), behaviourWeeks: weeks });
    expect(notYet.events).toHaveLength(assessed.events.length);
    const noWeeks = scored.run(rescore, { ...as('system', { now: feb }), behaviourWeeks: weeks });
    expect(noWeeks.events).toHaveLength(scored.events.length);
  });

  it('is for the system and HR only', () => {
    const { scored } = happyPath();
    expect(() => scored.run(rescore, as('manager', { now: feb, workflow: weekly }))).toThrow(
      expect.objectContaining({ code: 'role-not-allowed' }),
    );
  });
});
