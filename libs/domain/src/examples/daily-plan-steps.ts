/**
 * Daily plans as steps of the person's appraisal (ADR 0160), timed as the tests time them: a working
 * day is filed (planned and summarized) by the next morning (a day after day-start), reminded on the
 * due day, escalated to the manager a day late; the superior's review is due a day after the day is
 * filed, escalated to the skip level a day late. A workflow adds them to its `steps` (and needs
 * `dailyPlans`, which needs `weeklyPlans`).
 */
export const dailyPlanSteps = [
  {
    kind: 'daily-plan',
    actor: 'self',
    due: { from: 'day-start', days: 1 },
    reminders: { daysBefore: [], onDueDay: true },
    escalation: [{ afterDays: 1, to: 'manager' }],
  },
  {
    kind: 'daily-plan-review',
    actor: 'manager',
    due: { from: 'opened', days: 1 },
    reminders: { daysBefore: [], onDueDay: true },
    escalation: [{ afterDays: 1, to: 'skip-level' }],
  },
];
