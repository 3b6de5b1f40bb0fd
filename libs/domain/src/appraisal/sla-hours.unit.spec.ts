import { openStep } from './appraisal.steps';
import { as, definitionOf, happyPath } from '../testing/appraisal-scenario';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import type { OpenedAppraisal } from './appraisal.state';

/** The sales workflow with the plan-approval step's SLA replaced. */
function withApprovalSla(slaHours: number | undefined) {
  const draft = structuredClone(sales4232Workflow) as { steps: Record<string, unknown>[] };
  const approval = draft.steps.find((step) => step.kind === 'plan-approval')!;
  if (slaHours === undefined) delete approval.slaHours;
  else approval.slaHours = slaHours;
  return definitionOf(draft);
}

describe("a step's deadline honours the workflow's slaHours", () => {
  const state = happyPath().opened.state as OpenedAppraisal;
  const at = '2026-01-05T09:30:00.000Z';
  const dueOf = (slaHours: number | undefined) =>
    openStep(state, withApprovalSla(slaHours), 1, 'plan-approval', null, as('system', { now: at })).data
      .dueAt;

  it('is due slaHours after the step opens when the SLA ends before its `due` days', () => {
    expect(dueOf(36)).toBe('2026-01-06T21:30:00.000Z');
    expect(dueOf(1)).toBe('2026-01-05T10:30:00.000Z');
  });

  it('keeps its `due` days when they end before the SLA', () => {
    expect(dueOf(24 * 30)).toBe('2026-01-10T09:30:00.000Z');
  });

  it("falls back to the step's `due` days without an SLA", () => {
    expect(dueOf(undefined)).toBe('2026-01-10T09:30:00.000Z');
  });
});
