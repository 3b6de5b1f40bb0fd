import { z } from 'zod';
import { Instant } from '../../shared/primitives';
import { Period } from '../../cycle/cycle.events';
import { STEP_KINDS } from '../../workflow/workflow-definition.schema';
import { base, openingTerms, StepAssignee } from './shapes';

/** The appraisal opening and its steps: a step opens, is completed or is withdrawn. */
export const appraisalStepEventSchemas = {
  AppraisalOpened: {
    version: 1,
    schema: z.object({
      ...base,
      ...openingTerms,
      periods: z.array(Period),
    }),
  },
  /** A step became actionable. `dueAt` is null when the workflow defines no timing for its kind. */
  StepOpened: {
    version: 1,
    schema: z.object({
      ...base,
      stepKey: z.string(),
      kind: z.enum(STEP_KINDS),
      /** The period id, improvement id, change id ... the step is about; null for once-per-appraisal steps. */
      instance: z.string().nullable(),
      /** Counts re-openings of the same step (a returned plan opens `plan` again), so timers differ. */
      occurrence: z.number().int().positive(),
      assignee: StepAssignee,
      dueAt: Instant.nullable(),
      workflowVersion: z.number().int().positive(),
    }),
  },
  StepCompleted: {
    version: 1,
    schema: z.object({
      ...base,
      stepKey: z.string(),
      occurrence: z.number().int().positive(),
      by: z.string(),
      /** Completed after its due time (counts against the step owner's SLA). */
      late: z.boolean(),
    }),
  },
  /**
   * A step closed without being done because nobody can act on it any more: a nomination proposal
   * still undecided when the appraisal is scored (deciding it is refused from then on; ADR 0144), or
   * any open step of an appraisal withdrawn because the person left (ADR 0146).
   */
  StepWithdrawn: {
    version: 1,
    schema: z.object({
      ...base,
      stepKey: z.string(),
      occurrence: z.number().int().positive(),
      /** Why: a code, never free text (`appraisal-withdrawn`: the person left, ADR 0146). */
      cause: z.enum(['appraisal-scored', 'appraisal-withdrawn']),
    }),
  },
} as const;
