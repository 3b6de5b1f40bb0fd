/**
 * Weekly plans as steps of the person's appraisal (ADR 0145), timed as the demo and the tests time
 * them: each week's plan is due the Tuesday (a day after week-start), reminded on the due day,
 * escalated to the manager a day late and to HR three days late; the superior's review is due two
 * days after the plan arrives, reminded the day before, escalated to the skip level a day late.
 * A workflow adds them to its `steps` (and needs `weeklyPlans`).
 */
export const weeklyPlanSteps = [
  {
    kind: 'weekly-plan',
    actor: 'self',
    due: { from: 'week-start', days: 1 },
    reminders: { daysBefore: [], onDueDay: true },
    escalation: [
      { afterDays: 1, to: 'manager' },
      { afterDays: 3, to: 'hr' },
    ],
  },
  {
    kind: 'weekly-plan-review',
    actor: 'manager',
    due: { from: 'opened', days: 2 },
    reminders: { daysBefore: [1], onDueDay: false },
    escalation: [{ afterDays: 1, to: 'skip-level' }],
  },
];
