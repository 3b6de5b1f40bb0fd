import { z } from 'zod';
import { DecimalString, Grade, Id } from '../../shared/primitives';
import { RATER_GROUPS } from '../../workflow/workflow-definition.schema';
import { base, ReasonPii, RuleVersion, ScoreAndGrade } from './shapes';

/** The year end: waived periods, the annual score, calibration, sign-off, appeal and close. */
export const yearEndEventSchemas = {
  /** HR excused a period from the year; the annual score is computed without it and says so. */
  PeriodWaived: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      pii: ReasonPii,
    }),
  },
  AppraisalScored: {
    version: 1,
    schema: z.object({
      ...base,
      /** A partial year: the periods HR waived, and those neither scored nor waived (absent: none). */
      periodsWaived: z.array(z.string()).optional(),
      periodsMissing: z.array(z.string()).optional(),
      ruleVersion: RuleVersion,
      formula: z.string(),
      periodAverage: DecimalString.nullable(),
      periodsScored: z.number().int().nonnegative(),
      groups: z.array(
        z.object({
          group: z.enum(RATER_GROUPS),
          average: DecimalString.nullable(),
          responses: z.number().int(),
          weight: DecimalString,
        }),
      ),
      rating: DecimalString.nullable(),
      raw: DecimalString,
      redLinesApplied: z.array(Id),
      score: DecimalString,
      grade: Grade,
      bonusCoefficient: DecimalString,
    }),
  },
  CalibrationAdjusted: {
    version: 1,
    schema: z.object({
      ...base,
      from: ScoreAndGrade,
      to: ScoreAndGrade,
      pii: ReasonPii,
    }),
  },
  AppraisalFinalized: {
    version: 1,
    schema: z.object({ ...base, score: DecimalString, grade: Grade, bonusCoefficient: DecimalString }),
  },
  AppraisalAcknowledged: {
    version: 1,
    schema: z.object({ ...base, pii: z.object({ comment: z.string().max(4000).optional() }) }),
  },
  AppealFiled: {
    version: 1,
    schema: z.object({ ...base, appealId: Id, pii: ReasonPii }),
  },
  AppealResolved: {
    version: 1,
    schema: z.object({
      ...base,
      appealId: Id,
      /** `upheld`: the appeal succeeded and `to` holds the new result; `rejected`: the result stands. */
      outcome: z.enum(['upheld', 'rejected']),
      to: ScoreAndGrade.nullable(),
      pii: ReasonPii,
    }),
  },
  /** The final result, published to integrators (payroll, bonus). */
  AppraisalClosed: {
    version: 1,
    schema: z.object({ ...base, score: DecimalString, grade: Grade, bonusCoefficient: DecimalString }),
  },
} as const;
