import { z } from 'zod';
import { CalendarDate, DecimalString, Grade, Id, Instant, Slug } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';
import { Period, Subject } from '../cycle/cycle.events';
import { BEHAVIOUR_ROLL_UPS } from '../weekly-plan/behaviour-rubric.schema';
import { IsoWeek } from '../weekly-plan/iso-week';
import {
  RATER_GROUPS,
  STEP_ACTORS,
  STEP_KINDS,
  ESCALATION_TARGETS,
  VetoEffect,
} from '../workflow/workflow-definition.schema';

const base = { appraisalId: Id, at: Instant };

export const Annotation = z.object({
  /** What the annotation is about, e.g. `targets[1].target` or `actuals.sales_volume`. */
  path: z.string().max(200).optional(),
  text: z.string().min(1).max(4000),
});

export const Target = z.object({
  indicatorId: Slug,
  /** Set on a row that overrides the annual levels for one period (annual targets split by month/quarter). */
  periodId: z.string().optional(),
  threshold: DecimalString,
  target: DecimalString,
  stretch: DecimalString,
  /** The target this one cascades from (目标树): an indicator of the parent unit's or manager's appraisal. */
  parent: z.object({ appraisalId: Id, indicatorId: Slug }).optional(),
});
export const KeyAction = z.object({
  actionId: Id,
  indicatorId: Slug.nullable(),
  ownerEmployeeId: Id,
  dueDate: CalendarDate,
});
const KeyActionText = z.object({
  actionId: Id,
  goal: z.string().min(1).max(4000),
  measures: z.string().min(1).max(4000),
});

export const StepAssignee = z.object({
  actor: z.enum(STEP_ACTORS),
  /** Filled when the domain knows the person (the appraisee for `self`), else resolved from the directory. */
  employeeId: Id.nullable(),
});

export const RuleVersion = z.object({ workflowId: Id, version: z.number().int().positive() });

const Timer = {
  /** `<kind>-<appraisalId>-<stepKey>-<occurrence>-<level>`: the timer's identity; the event id derives from it. */
  timerKey: z.string(),
  stepKey: z.string(),
  occurrence: z.number().int().positive(),
  dueAt: Instant,
};

export const IndicatorScore = z.object({
  indicatorId: Slug,
  actual: DecimalString.nullable(),
  rule: z.string(),
  score: DecimalString,
  weight: DecimalString,
  // Weighted or simple average share, rounded for display; null under a formula aggregation.
  contribution: DecimalString.nullable(),
});

const ScoreAndGrade = z.object({ score: DecimalString, grade: Grade, bonusCoefficient: DecimalString });

export const appraisalEventSchemas = {
  AppraisalOpened: {
    version: 1,
    schema: z.object({
      ...base,
      cycleId: Id,
      subject: Subject,
      workflowId: Id,
      workflowVersion: z.number().int().positive(),
      cycleStartsAt: Instant,
      cycleEndsAt: Instant,
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
   * still undecided when the appraisal is scored (deciding it is refused from then on; ADR 0144).
   */
  StepWithdrawn: {
    version: 1,
    schema: z.object({
      ...base,
      stepKey: z.string(),
      occurrence: z.number().int().positive(),
      /** Why: a code, never free text. */
      cause: z.enum(['appraisal-scored']),
    }),
  },
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
    schema: z.object({ ...base, changeId: Id, pii: z.object({ reason: z.string().min(1).max(4000) }) }),
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
    // v2 adds `behaviour` (ADR 0131); a v1 event reads as v2 without it.
    version: 2,
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
          weeks: z.array(z.object({ week: IsoWeek, score: DecimalString })),
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
      periodId: z.string(),
      indicatorId: Slug,
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
  VetoBreached: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      indicatorId: Slug,
      actual: DecimalString,
      target: DecimalString,
      /** The value the actual had to reach (or stay under, lower-is-better). */
      vetoValue: DecimalString,
      /** The actual as a percentage of the target, exact. */
      percentOfTarget: DecimalString.nullable(),
      effect: VetoEffect,
    }),
  },
  VetoWaived: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      indicatorId: Slug,
      pii: z.object({ reason: z.string().min(1).max(4000) }),
    }),
  },
  RedLineBreached: {
    version: 1,
    schema: z.object({
      ...base,
      breachId: Id,
      redLineId: Slug,
      effect: z.object({
        forceGrade: Grade.optional(),
        bonusCoefficient: DecimalString.optional(),
        capScore: DecimalString.optional(),
      }),
      pii: z.object({ description: z.string().min(1).max(4000), evidence: z.string().max(4000).optional() }),
    }),
  },
  RedLineContested: {
    version: 1,
    schema: z.object({ ...base, breachId: Id, pii: z.object({ reason: z.string().min(1).max(4000) }) }),
  },
  RedLineUpheld: {
    version: 1,
    schema: z.object({ ...base, breachId: Id, pii: z.object({ reason: z.string().max(4000).optional() }) }),
  },
  RedLineWithdrawn: {
    version: 1,
    schema: z.object({ ...base, breachId: Id, pii: z.object({ reason: z.string().min(1).max(4000) }) }),
  },
  SelfAssessmentSubmitted: {
    version: 1,
    schema: z.object({
      ...base,
      rating: DecimalString,
      pii: z.object({ comment: z.string().max(4000).optional() }),
    }),
  },
  /** The rater stays in the trail; `anonymous` tells read models to show the group only in aggregate. */
  RatingSubmitted: {
    version: 1,
    schema: z.object({
      ...base,
      raterId: z.string(),
      group: z.enum(RATER_GROUPS),
      rating: DecimalString,
      anonymous: z.boolean(),
      pii: z.object({ comment: z.string().max(4000).optional() }),
    }),
  },
  /**
   * Someone was nominated to rate the appraisee in a rater group: `proposed` by the appraisee (the
   * manager decides), `approved` when HR assigned them.
   */
  RaterNominated: {
    version: 1,
    schema: z.object({
      ...base,
      nominationId: Id,
      group: z.enum(['peer']),
      employeeId: Id,
      nominatedBy: z.string(),
      status: z.enum(['proposed', 'approved']),
    }),
  },
  NominationApproved: { version: 1, schema: z.object({ ...base, nominationId: Id }) },
  NominationRejected: {
    version: 1,
    schema: z.object({ ...base, nominationId: Id, pii: z.object({ reason: z.string().min(1).max(4000) }) }),
  },
  /** HR excused a period from the year; the annual score is computed without it and says so. */
  PeriodWaived: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      pii: z.object({ reason: z.string().min(1).max(4000) }),
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
      pii: z.object({ reason: z.string().min(1).max(4000) }),
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
    schema: z.object({ ...base, appealId: Id, pii: z.object({ reason: z.string().min(1).max(4000) }) }),
  },
  AppealResolved: {
    version: 1,
    schema: z.object({
      ...base,
      appealId: Id,
      /** `upheld`: the appeal succeeded and `to` holds the new result; `rejected`: the result stands. */
      outcome: z.enum(['upheld', 'rejected']),
      to: ScoreAndGrade.nullable(),
      pii: z.object({ reason: z.string().min(1).max(4000) }),
    }),
  },
  /** The final result, published to integrators (payroll, bonus). */
  AppraisalClosed: {
    version: 1,
    schema: z.object({ ...base, score: DecimalString, grade: Grade, bonusCoefficient: DecimalString }),
  },
  AnnotationAdded: {
    version: 1,
    schema: z.object({
      ...base,
      annotationId: Id,
      on: z.object({
        stepKey: z.string().optional(),
        periodId: z.string().optional(),
        indicatorId: Slug.optional(),
      }),
      authorId: z.string(),
      pii: z.object({ text: z.string().min(1).max(4000) }),
    }),
  },
  /** An actual filed by another system; `source` says which, so everyone sees the figure was imported. */
  ActualImported: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      indicatorId: Slug,
      actual: DecimalString,
      source: z.object({ system: Id, reference: z.string().optional() }),
    }),
  },
  /** The person (or their manager) disputes an imported figure; new imports of it wait for the manager. */
  ImportedActualDisputed: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      indicatorId: Slug,
      /** The imported figure disputed. */
      actual: DecimalString,
      disputedBy: z.string(),
      pii: z.object({ reason: z.string().min(1).max(4000) }),
    }),
  },
  /** The manager kept the disputed figure or corrected it; `actual` counts from now on. */
  ActualDisputeResolved: {
    version: 1,
    schema: z.object({
      ...base,
      periodId: z.string(),
      indicatorId: Slug,
      outcome: z.enum(['kept', 'corrected']),
      /** The figure that counts from now on. */
      actual: DecimalString,
      pii: z.object({ reason: z.string().min(1).max(4000) }),
    }),
  },
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
  AppraisalMigrated: {
    version: 1,
    schema: z.object({
      ...base,
      workflowId: Id,
      fromVersion: z.number().int().positive(),
      toVersion: z.number().int().positive(),
      pii: z.object({ reason: z.string().max(4000).optional() }),
    }),
  },
} as const;

export type AppraisalEvent = EventsOf<typeof appraisalEventSchemas>;
export type AppraisalEventType = AppraisalEvent['type'];
export type AppraisalEventOf<T extends AppraisalEventType> = Extract<AppraisalEvent, { type: T }>;
