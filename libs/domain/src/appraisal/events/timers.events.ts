import { z } from 'zod';
import { ESCALATION_TARGETS } from '../../workflow/workflow-definition.schema';
import { base, StepAssignee, Timer } from './shapes';

/** The timers' events: reminders, escalations and missed deadlines. */
export const timerEventSchemas = {
  ReminderSent: {
    version: 1,
    schema: z.object({ ...base, ...Timer, reminder: z.number().int().nonnegative(), assignee: StepAssignee }),
  },
  StepEscalated: {
    version: 1,
    schema: z.object({
      ...base,
      ...Timer,
      level: z.number().int().positive(),
      to: z.enum(ESCALATION_TARGETS),
      assignee: StepAssignee,
    }),
  },
  /** A missed SLA, counted against the step owner. */
  DeadlineMissed: { version: 1, schema: z.object({ ...base, ...Timer, assignee: StepAssignee }) },
} as const;
