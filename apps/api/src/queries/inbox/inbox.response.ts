import { z } from 'zod';

/** The caller's open steps as GET /inbox answers them (the inbox read model's rows, soonest due first). */
export const InboxResponse = z.strictObject({
  at: z.iso.datetime(),
  items: z.array(
    z.strictObject({
      appraisalId: z.string(),
      stepKey: z.string(),
      occurrence: z.number().int(),
      kind: z.string(),
      instance: z.string().nullable(),
      cycleId: z.string(),
      subjectEmployeeId: z.string().nullable(),
      orgUnitId: z.string(),
      actor: z.string(),
      openedAt: z.iso.datetime(),
      dueAt: z.iso.datetime().nullable(),
      overdue: z.boolean(),
      escalationLevel: z.number().int(),
      escalatedTo: z.string().nullable(),
      deadlineMissed: z.boolean(),
      reminders: z.number().int(),
      /** `assignee`: the step is the caller's to do; `escalation`: it was escalated to the caller. */
      reason: z.enum(['assignee', 'escalation']),
    }),
  ),
});

/** GET /inbox/sla: per group (unit, person or process owner) and step kind, SLA compliance and activity. */
export const SlaResponse = z.strictObject({
  at: z.iso.datetime(),
  groupBy: z.enum(['unit', 'person', 'process-owner']),
  items: z.array(
    z.strictObject({
      /** The unit id, the person (who completed) or the process owner's employee id. */
      group: z.string(),
      kind: z.string(),
      opened: z.number().int(),
      completed: z.number().int(),
      onTime: z.number().int(),
      late: z.number().int(),
      open: z.number().int(),
      overdue: z.number().int(),
      deadlinesMissed: z.number().int(),
      escalated: z.number().int(),
      reminders: z.number().int(),
      /** On time ÷ steps whose SLA has come due, in %, two places; null if none. */
      compliance: z.string().nullable(),
    }),
  ),
});
