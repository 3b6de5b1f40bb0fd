import type { StepDefinition, WorkflowDefinitionInput } from '../workflow/workflow-definition.schema';

type EscalationLevel = NonNullable<StepDefinition['escalation']>[number];

const employeeChain = [
  { afterDays: 1, to: 'manager' },
  { afterDays: 3, to: 'skip-level' },
  { afterDays: 5, to: 'hr' },
] as const;
const managerChain = [
  { afterDays: 2, to: 'skip-level' },
  { afterDays: 4, to: 'hr' },
] as const;
const reminders = { daysBefore: [3, 1], onDueDay: true };

/** A step of this workflow: the shared reminders, and its own copy of the escalation chain. */
function step(
  kind: StepDefinition['kind'],
  actor: StepDefinition['actor'],
  due: StepDefinition['due'],
  escalation: readonly EscalationLevel[] | null,
) {
  return { kind, actor, due, reminders, escalation: escalation && [...escalation] };
}

/**
 * The sales department's workflow of DOMAIN.md (the "4232" example of seed 002): monthly periods,
 * the four KPIs of the worked example with product mix as a key strategic (veto) indicator, red lines,
 * grades A–D, 360 rater groups, forced distribution, reminders and an escalation chain
 * manager → manager's manager → HR. A fixture for tests, demos and seeds.
 */
export const sales4232Workflow = {
  name: 'Sales department manager, 4232 model',
  subject: 'employee',
  cadence: { cycle: 'year', period: 'month' },
  steps: [
    { ...step('plan', 'self', { from: 'opened', days: 14 }, employeeChain), slaHours: 336 },
    { ...step('plan-approval', 'manager', { from: 'opened', days: 5 }, managerChain), slaHours: 120 },
    step('period-review', 'self', { from: 'period-end', days: 5 }, employeeChain),
    step('period-assessment', 'manager', { from: 'opened', days: 3 }, managerChain),
    step('improvement', 'self', { from: 'opened', days: 10 }, employeeChain),
    step('improvement-verification', 'manager', { from: 'opened', days: 5 }, null),
    step('self-assessment', 'self', { from: 'cycle-end', days: 10 }, employeeChain),
    step('peer-rating', 'peer', { from: 'cycle-end', days: 15 }, [{ afterDays: 2, to: 'hr' }]),
    step('manager-rating', 'manager', { from: 'cycle-end', days: 20 }, managerChain),
    step('calibration', 'hr', { from: 'cycle-end', days: 30 }, [{ afterDays: 3, to: 'process-owner' }]),
    step('acknowledgement', 'self', { from: 'opened', days: 7 }, [{ afterDays: 3, to: 'hr' }]),
    step('appeal-resolution', 'hr', { from: 'opened', days: 10 }, [{ afterDays: 5, to: 'process-owner' }]),
  ],
  scorecard: {
    indicators: [
      {
        id: 'sales_volume',
        kind: 'numeric',
        name: 'Sales volume (销售量)',
        unit: 'units',
        direction: 'higher',
        weight: 40,
        levels: { threshold: 800, target: 1000, stretch: 1200 },
        rule: { type: 'linear' },
        dataSource: 'imported',
      },
      {
        id: 'receivables',
        kind: 'numeric',
        name: 'Receivables (应收账款)',
        unit: 'M',
        direction: 'lower',
        weight: 20,
        levels: { threshold: 2.5, target: 2.0, stretch: 1.5 },
        rule: { type: 'linear' },
        dataSource: 'imported',
      },
      {
        id: 'inventory',
        kind: 'numeric',
        name: 'Inventory (库存量)',
        unit: 'units',
        direction: 'lower',
        weight: 15,
        levels: { threshold: 600, target: 500, stretch: 400 },
        rule: { type: 'linear' },
        dataSource: 'manager-assessed',
      },
      {
        id: 'product_mix',
        kind: 'numeric',
        name: 'Product-mix sales (结构品种销量)',
        unit: 'units',
        direction: 'higher',
        weight: 25,
        levels: { threshold: 300, target: 400, stretch: 500 },
        rule: { type: 'linear' },
        dataSource: 'self-reported',
        evidenceRequired: true,
        veto: { threshold: { percentOfTarget: 85 }, effect: { type: 'bonus-zero' } },
      },
    ],
    aggregation: { method: 'weighted' },
  },
  annual: { formula: '0.7 * periods + 0.3 * rating' },
  ratingScale: { min: 0, max: 100 },
  raterGroups: [
    { group: 'manager', weight: 60, minResponses: 1, anonymous: false },
    { group: 'peer', weight: 20, minResponses: 2, anonymous: true },
    { group: 'self', weight: 20, minResponses: 1, anonymous: false },
  ],
  redLines: [
    { id: 'fraud', name: 'Falsified figures or fraud', effect: { forceGrade: 'D', bonusCoefficient: 0 } },
    {
      id: 'safety',
      name: 'Major safety or compliance incident',
      effect: { forceGrade: 'D', bonusCoefficient: 0 },
    },
    {
      id: 'customer_harm',
      name: 'Serious harm to a key customer',
      effect: { capScore: 59.99, bonusCoefficient: 0.3 },
    },
  ],
  grades: [
    { grade: 'A', min: 90, bonusCoefficient: 1.5 },
    { grade: 'B', min: 75, bonusCoefficient: 1.0 },
    { grade: 'C', min: 60, bonusCoefficient: 0.6 },
    { grade: 'D', min: 0, bonusCoefficient: 0 },
  ],
  forcedDistribution: [
    { grade: 'A', max: 20 },
    { grade: 'D', min: 5 },
  ],
  rounding: { mode: 'half-up', places: 2 },
} satisfies WorkflowDefinitionInput;
