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
