import { z } from 'zod';
import { DecimalString, Grade, Id, Instant, Slug } from '../../shared/primitives';
import { BEHAVIOUR_ROLL_UPS } from '../../weekly-plan/behaviour-rubric.schema';
import { IsoWeek } from '../../weekly-plan/iso-week';
import {
  base,
  periodIndicator,
  ReasonPii,
  Annotation,
  Target,
  KeyAction,
  KeyActionText,
  RuleVersion,
  IndicatorScore,
} from './shapes';

/** The plan (targets and key actions), its changes, the period reviews and their improvements. */
export const planAndPeriodEventSchemas = {
  PlanSubmitted: {
    version: 1,
    schema: z.object({
      ...base,
      planVersion: z.number().int().positive(),
      targets: z.array(Target),
      actions: z.array(KeyAction),
      pii: z.object({ actions: z.array(KeyActionText) }),
    }),
  },
  PlanReturned: {
    version: 1,
    schema: z.object({
      ...base,
      planVersion: z.number().int().positive(),
      pii: z.object({ annotations: z.array(Annotation) }),
    }),
  },
  PlanApproved: { version: 1, schema: z.object({ ...base, planVersion: z.number().int().positive() }) },
  PlanChangeRequested: {
    version: 1,
    schema: z.object({
      ...base,
      changeId: Id,
      targets: z.array(Target),
      actions: z.array(KeyAction),
      pii: z.object({
        reason: z.string().min(1).max(4000),
        actions: z.array(KeyActionText),
        /** Approved key actions the change removes, each with its reason (absent in older events: none). */
        removedActions: z.array(z.object({ actionId: Id, reason: z.string().min(1).max(4000) })).optional(),
      }),
    }),
  },
  PlanChangeApproved: {
    version: 1,
    schema: z.object({ ...base, changeId: Id, planVersion: z.number().int().positive() }),
  },
  PlanChangeRejected: {
    version: 1,
    schema: z.object({ ...base, changeId: Id, pii: ReasonPii }),
  },
  PeriodReviewFiled: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      actuals: z.array(z.object({ indicatorId: Slug, actual: DecimalString })),
      // Document references (ids or URLs of stored files), not free text.
      attachments: z.array(z.object({ indicatorId: Slug, ref: z.string().max(500) })),
      pii: z.object({
        gapReasons: z.string().max(4000).optional(),
        improvementProposals: z.string().max(4000).optional(),
        supportRequests: z.string().max(4000).optional(),
      }),
    }),
  },
  PeriodReviewReturned: {
    version: 1,
    schema: z.object({ ...base, periodId: z.string(), pii: z.object({ annotations: z.array(Annotation) }) }),
  },
  PeriodReviewAssessed: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      corrections: z.array(
        z.object({ indicatorId: Slug, from: DecimalString.nullable(), to: DecimalString }),
      ),
      pii: z.object({
        comment: z.string().max(4000).optional(),
        correctionReasons: z.array(z.object({ indicatorId: Slug, reason: z.string().min(1).max(4000) })),
      }),
    }),
  },
  /** The period's score with its full breakdown and the rule version it was computed under. */
  PeriodScored: {
    // v2 adds `behaviour` (ADR 0131), v3 a week's `days` (ADR 0161); earlier events read as v3 without them.
    version: 3,
    schema: z.object({
      ...base,
      periodId: z.string(),
      ruleVersion: RuleVersion,
      aggregation: z.string(),
      indicators: z.array(IndicatorScore),
      raw: DecimalString,
      /** The scorecard's score, blended with the month's behaviour score when the workflow weighs one. */
      score: DecimalString,
      grade: Grade,
      /** After veto effects; `vetoed` says whether a veto applied. */
      bonusCoefficient: DecimalString,
      vetoed: z.boolean(),
      /**
       * The month's behaviour score (周行为分) as it counted: the scored weeks read when the period
       * was scored, their roll-up, its weight and the scorecard's own score. Only for a workflow with
       * weekly plans; `score` null while no week was scored (the scorecard then stands alone).
       */
      behaviour: z
        .object({
          weeks: z.array(
            z.object({
              week: IsoWeek,
              score: DecimalString,
              /** How many scored days the week's score averages (ADR 0161); absent: the week's own score. */
              days: z.number().int().min(1).max(7).optional(),
            }),
          ),
          rollUp: z.enum(BEHAVIOUR_ROLL_UPS),
          score: DecimalString.nullable(),
          weight: DecimalString,
          scorecardScore: DecimalString,
        })
        .optional(),
    }),
  },
  ImprovementRequired: {
    version: 1,
    schema: z.object({
      ...base,
      improvementId: Id,
      ...periodIndicator,
      score: DecimalString,
      dueAt: Instant.nullable(),
    }),
  },
  ImprovementFiled: {
    version: 1,
    schema: z.object({ ...base, improvementId: Id, pii: z.object({ action: z.string().min(1).max(4000) }) }),
  },
  ImprovementVerified: {
    version: 1,
    schema: z.object({
      ...base,
      improvementId: Id,
      effective: z.boolean(),
      /** Marked as a good practice to share (推广). */
      goodPractice: z.boolean(),
      pii: z.object({ comment: z.string().max(4000).optional() }),
    }),
  },
} as const;
