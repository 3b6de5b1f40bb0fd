import { z } from 'zod';
import {
  Count,
  Decimal,
  listOf,
  RedLineEffect,
  RedLineState,
  Timestamp,
  VersionNumber,
} from '../../openapi/answer-pieces';

/** An indicator's line of a scored period: its actual, the rule applied, its score, weight and part. */
const IndicatorLine = z.strictObject({
  indicatorId: z.string(),
  actual: Decimal.nullable(),
  rule: z.string(),
  score: Decimal,
  weight: Decimal,
  contribution: Decimal.nullable(),
});

/** A month's behaviour part (周行为分): the weeks' scores, their roll-up and its weight in the month (ADR 0131). */
const BehaviourPart = z.strictObject({
  weeks: z.array(
    z.strictObject({
      week: z.string(),
      score: Decimal,
      /** How many scored days the week's score averages (ADR 0161); absent: the week's own score. */
      days: Count.optional(),
    }),
  ),
  rollUp: z.enum(['average', 'min', 'max', 'last']),
  score: Decimal.nullable(),
  weight: Decimal,
  scorecardScore: Decimal,
});

/** One appraisal's score row (the items of `GET /scores`, and the head of a score view). */
export const AppraisalScoreResponse = z.strictObject({
  appraisalId: z.string(),
  revision: z.string(),
  cycleId: z.string(),
  subjectKind: z.string(),
  employeeId: z.string().nullable(),
  orgUnitId: z.string(),
  workflowId: z.string(),
  workflowVersion: VersionNumber,
  status: z.string(),
  periodsScored: Count,
  runningScore: Decimal.nullable(),
  runningGrade: z.string().nullable(),
  annualScore: Decimal.nullable(),
  annualGrade: z.string().nullable(),
  bonusCoefficient: Decimal.nullable(),
  calibration: z.enum(['not-scored', 'to-calibrate', 'adjusted', 'final']),
  adjustments: Count,
  updatedAt: Timestamp,
});

export const ScoreListResponse = listOf(AppraisalScoreResponse);

/**
 * The one answer of `GET /scores/appraisals/{id}` and `…/as-of` (ADR 0110) as OpenAPI describes it:
 * the appraisal's score row, its scored periods with their indicators, vetoes and red lines, the stale
 * marker and the point the view stands at.
 */
export const ScoreViewResponse = AppraisalScoreResponse.extend({
  stale: z
    .object({
      since: Timestamp,
      reasons: z.array(
        z.discriminatedUnion('cause', [
          z.strictObject({
            cause: z.enum(['red-line-breached', 'red-line-withdrawn']),
            breachId: z.string(),
            redLineId: z.string(),
            name: z.string().nullable(),
            at: Timestamp,
          }),
          // A month scored again after the annual score (ADR 0140): its score then and now.
          z.strictObject({
            cause: z.literal('period-rescored'),
            periodId: z.string(),
            from: z.string().nullable(),
            to: z.string(),
            at: Timestamp,
          }),
        ]),
      ),
    })
    .nullable(),
  periods: z.array(
    z.strictObject({
      periodId: z.string(),
      workflowVersion: VersionNumber,
      aggregation: z.string(),
      raw: Decimal,
      score: Decimal,
      grade: z.string(),
      bonusCoefficient: Decimal,
      vetoed: z.boolean(),
      scoredAt: Timestamp,
      indicators: z.array(IndicatorLine.extend({ veto: z.enum(['none', 'breached', 'waived']) })),
      /** The month's behaviour score (周行为分) as it counted in `score` (ADR 0131); null without weekly plans. */
      behaviour: BehaviourPart.nullable(),
    }),
  ),
  vetoes: z.array(
    z.strictObject({
      periodId: z.string(),
      indicatorId: z.string(),
      indicatorName: z.string().nullable(),
      state: z.enum(['breached', 'waived']),
      actual: Decimal.nullable(),
      target: Decimal.nullable(),
      vetoValue: Decimal.nullable(),
      percentOfTarget: Decimal.nullable(),
      effect: z.unknown(),
    }),
  ),
  redLines: z.array(
    z.strictObject({
      breachId: z.string(),
      redLineId: z.string(),
      name: z.string().nullable(),
      state: RedLineState,
      effect: RedLineEffect,
      applies: z.boolean(),
      filedAt: Timestamp,
      decidedAt: Timestamp.nullable(),
    }),
  ),
  /** The last event replayed: its global position and time, and how many events were replayed. */
  asOf: z.strictObject({
    position: z.string().nullable(),
    at: Timestamp.nullable(),
    replayed: Count,
  }),
});

const GradeCount = z.strictObject({ grade: z.string(), count: Count });

/** A unit's (or its sub-units') grade distribution and calibration status (`GET /scores/org-units/{id}`). */
export const UnitScoresResponse = z.strictObject({
  orgUnitId: z.string(),
  /** The units counted: the unit, and its sub-units unless `includeSubUnits=false`. */
  orgUnitIds: z.array(z.string()),
  appraisals: Count,
  /** Annual results (scored, calibrated or final): count per grade, and score statistics. */
  annual: z.strictObject({
    count: Count,
    grades: z.array(GradeCount.extend({ percent: Decimal })),
    scores: z.strictObject({ min: Decimal.nullable(), max: Decimal.nullable(), average: Decimal.nullable() }),
    bands: z.array(z.strictObject({ from: z.number(), to: z.number(), count: Count })),
  }),
  /** Appraisals not yet scored: their running annual grade so far. */
  running: z.strictObject({ count: Count, grades: z.array(GradeCount) }),
  calibration: z.strictObject({
    status: z.enum(['not-started', 'in-progress', 'complete']),
    notScored: Count,
    toCalibrate: Count,
    adjusted: Count,
    final: Count,
    /** Forced-distribution rules of the pinned workflow version(s) that the annual grades break. */
    violations: z.array(
      z.strictObject({
        grade: z.string(),
        bound: z.enum(['max', 'min']),
        limitPercent: Decimal,
        actualPercent: Decimal,
        count: Count,
        total: Count,
        message: z.string(),
        workflowId: z.string(),
        workflowVersion: VersionNumber,
      }),
    ),
  }),
});

/** A period as the domain's rule scores it (`scorePeriod`): each indicator's line, the vetoes, the behaviour part. */
const PeriodScoreResponse = z.strictObject({
  aggregation: z.string(),
  indicators: z.array(IndicatorLine),
  raw: Decimal,
  score: Decimal,
  grade: z.string(),
  bonusCoefficient: Decimal,
  vetoes: z.array(
    z.strictObject({
      indicatorId: z.string(),
      actual: Decimal,
      target: Decimal,
      vetoValue: Decimal,
      percentOfTarget: Decimal.nullable(),
      breached: z.boolean(),
      effect: z.unknown(),
    }),
  ),
  vetoed: z.boolean(),
  /** Only under a workflow with weekly plans (ADR 0131). */
  behaviour: BehaviourPart.optional(),
});

/** `GET /scores/appraisals/{id}/what-if`: a filed period under another published version, beside its recorded score. */
export const WhatIfPeriodResponse = z.strictObject({
  appraisalId: z.string(),
  workflowId: z.string(),
  periodId: z.string(),
  /** The score recorded for the period and the version it was scored under; null before it is scored. */
  recorded: z
    .strictObject({
      workflowVersion: VersionNumber,
      score: Decimal,
      grade: z.string(),
      bonusCoefficient: Decimal,
      vetoed: z.boolean(),
    })
    .nullable(),
  whatIf: PeriodScoreResponse.extend({ workflowVersion: VersionNumber }),
  /** whatIf.score − recorded.score, exact; null when the period has no recorded score. */
  difference: Decimal.nullable(),
});
