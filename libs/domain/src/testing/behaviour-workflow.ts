import type { PinnedWorkflow } from '../workflow/workflow.decide';
import type { DailyPlan } from '../daily-plan/daily-plan.decide';
import type { Cycle } from '../cycle/cycle.decide';
import type { AppraisalCommandOf } from '../appraisal/appraisal.commands';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import { weeklyPlanSteps } from '../examples/weekly-plan-steps';
import { AP, definitionOf } from './appraisal-scenario';
import { contextFor } from './specification';

/**
 * The behaviour workflow the rescoring tests share (ADR 0131, ADR 0140): the sales workflow with
 * weekly plans of one rubric line, weeks averaged, worth 20 % of a month; Ann's two scored weeks of
 * January 2026, and the command that rescores January with them.
 */
export const salesWithWeeklyPlans = {
  ...sales4232Workflow,
  weeklyPlans: {
    rubric: [{ id: 'conduct', name: 'Plans and reports the week', weight: 100 }],
    monthRollUp: 'average',
    weightInMonthlyScore: 20,
  },
};

/**
 * The weekly plans of the HTTP tests and browser journeys (ADRs 0123, 0154, 0161): two rubric lines
 * (reporting 40 %, execution 60 %), weeks averaged, 20 % of the monthly score.
 */
export const twoLineWeeklyPlans = {
  rubric: [
    { id: 'reporting', name: 'Reports on time and in full', weight: 40 },
    { id: 'execution', name: 'Carries out the planned actions', weight: 60 },
  ],
  monthRollUp: 'average',
  weightInMonthlyScore: 20,
};

/** The sales workflow with those weekly plans: the weeks and days of the journeys are scored on it. */
export const salesWithTwoLineRubric = { ...sales4232Workflow, weeklyPlans: twoLineWeeklyPlans };

/** That workflow pinned as `sales` v1: the weekly and daily plan tests decide under it. */
export const twoLineWorkflow: PinnedWorkflow = {
  workflowId: 'sales',
  version: 1,
  definition: definitionOf(salesWithTwoLineRubric),
};

/** Cycle `c2026`, open over 2026 under `sales` v1, with Ann's appraisal `ap-ann` in team east-1. */
export const annCycle: Cycle = {
  status: 'open',
  id: 'c2026',
  workflowId: 'sales',
  workflowVersion: 1,
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2027-01-01T00:00:00.000Z',
  appraisalIds: ['ap-ann'],
  unitOf: { 'ap-ann': 'east-1' },
};

/** Ann in that cycle under that workflow, planning her own weeks and days. */
export const annPlanning = () => ({
  ...contextFor('employee', { actorId: 'u-ann', employeeId: 'ann', relation: 'self' }),
  cycle: annCycle,
  workflow: twoLineWorkflow,
});

/** Her manager there, who annotates and scores them (handing out `ids` to what he writes). */
export const annsManager = (ids: string[]) => ({
  ...contextFor('manager', { actorId: 'u-mgr', employeeId: 'mgr', relation: 'manager', ids }),
  cycle: annCycle,
  workflow: twoLineWorkflow,
});

/** The one-line workflow (`salesWithWeeklyPlans`) pinned as `sales` v1. */
export const weeklyWorkflow: PinnedWorkflow = {
  workflowId: 'sales',
  version: 1,
  definition: definitionOf(salesWithWeeklyPlans),
};

/**
 * The one-line workflow with weekly plans timed as steps (ADR 0145): a week's plan is due one day
 * after its Monday (reminded on the due day, escalated to the manager a day late and to HR three days
 * late); the superior's review is due two days after the plan arrives, escalated to the skip level.
 */
export const salesWithWeeklySteps = {
  ...salesWithWeeklyPlans,
  steps: [...sales4232Workflow.steps, ...weeklyPlanSteps],
};

/** That workflow pinned as `sales` v1. */
export const weeklyStepsWorkflow: PinnedWorkflow = {
  workflowId: 'sales',
  version: 1,
  definition: definitionOf(salesWithWeeklySteps),
};

/** Two weeks of January scored after the month: 80 and 90, an average of 85.00. */
export const januaryWeeks = [
  { week: '2026-W02', score: '80.00' },
  { week: '2026-W03', score: '90.00' },
];

/** Rescore January of the scenario's appraisal with its weeks as they are now. */
export const rescoreJanuary: AppraisalCommandOf<'RescoreBehaviour'> = {
  type: 'RescoreBehaviour',
  data: { appraisalId: AP, periodId: '2026-01' },
};

/** Ann's day of 2026-W10 as its stream folds (ADR 0154): `status` in `cycleId`, scored `score` or not. */
export function annDayOfW10(
  date: string,
  status: DailyPlan['status'],
  cycleId = 'c2026',
  score: string | null = null,
): DailyPlan {
  if (status === 'empty') return { status };
  const plan = { planId: `ann.${date}`, employeeId: 'ann', cycleId, date, week: '2026-W10', planVersion: 1 };
  return { status, ...plan, items: [], annotations: 0, score };
}
