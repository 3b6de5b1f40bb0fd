import { z } from 'zod';
import { Count, Timestamp } from '../../openapi/answer-pieces';

/** The caller's open steps as GET /inbox answers them (the inbox read model's rows, soonest due first). */
export const InboxResponse = z.strictObject({
  at: Timestamp,
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
      openedAt: Timestamp,
      dueAt: Timestamp.nullable(),
      overdue: z.boolean(),
      escalationLevel: z.number().int(),
      escalatedTo: z.string().nullable(),
      deadlineMissed: z.boolean(),
      reminders: Count,
      /** `assignee`: the step is the caller's to do; `escalation`: it was escalated to the caller. */
      reason: z.enum(['assignee', 'escalation']),
    }),
  ),
});

/** GET /inbox/sla: per group (unit, person or process owner) and step kind, SLA compliance and activity. */
export const SlaResponse = z.strictObject({
  at: Timestamp,
  groupBy: z.enum(['unit', 'person', 'process-owner']),
  items: z.array(
    z.strictObject({
      /** The unit id, the person (who completed) or the process owner's employee id. */
      group: z.string(),
      kind: z.string(),
      opened: Count,
      completed: Count,
      onTime: Count,
      late: Count,
      open: Count,
      overdue: Count,
      deadlinesMissed: Count,
      escalated: Count,
      reminders: Count,
      /** On time ÷ steps whose SLA has come due, in %, two places; null if none. */
      compliance: z.string().nullable(),
    }),
  ),
});
