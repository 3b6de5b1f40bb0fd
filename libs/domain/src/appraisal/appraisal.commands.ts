import { z } from 'zod';
import { CalendarDate, Grade, Id, Instant, Measure, ScaleValue, Slug } from '../shared/primitives';
import type { CommandsOf } from '../shared/messages';
import { Period } from '../cycle/cycle.events';
import { RATER_GROUPS } from '../workflow/workflow-definition.schema';
import { IsoWeek } from '../weekly-plan/iso-week';
import { Annotation } from './appraisal.events';
import { openingTerms } from './events/shapes';

const base = { appraisalId: Id };
const Reason = z.string().trim().min(1, 'a reason is required').max(4000);
const TargetInput = z.object({
  indicatorId: Slug,
  /** Omitted: the levels hold for the whole cycle; given: they override them for that period. */
  periodId: z.string().min(1).optional(),
  threshold: Measure,
  target: Measure,
  stretch: Measure,
  parent: z.object({ appraisalId: Id, indicatorId: Slug }).optional(),
});
const KeyActionInput = z.object({
  /** Omitted: the domain takes a new id from the context. */
  actionId: Id.optional(),
  indicatorId: Slug.nullable().default(null),
  ownerEmployeeId: Id,
  dueDate: CalendarDate,
  goal: z.string().trim().min(1).max(4000),
  measures: z.string().trim().min(1).max(4000),
});

export const appraisalCommandSchemas = {
  OpenAppraisal: z.object({
    ...base,
    ...openingTerms,
    periods: z.array(Period).min(1),
  }),
  /** Targets default to the template's levels; give one per indicator to override. */
  SubmitPlan: z.object({
    ...base,
    targets: z.array(TargetInput).default([]),
    actions: z.array(KeyActionInput).default([]),
  }),
  ReturnPlan: z.object({ ...base, annotations: z.array(Annotation).min(1) }),
  ApprovePlan: z.object(base),
  RequestPlanChange: z.object({
    ...base,
    targets: z.array(TargetInput).default([]),
    actions: z.array(KeyActionInput).default([]),
    /** An approved key action left out of `actions` must be removed here, each with its reason. */
    removedActions: z
      .array(z.object({ actionId: Id, reason: Reason }))
      .max(50)
      .default([]),
    reason: Reason,
  }),
  ApprovePlanChange: z.object({ ...base, changeId: Id }),
  RejectPlanChange: z.object({ ...base, changeId: Id, reason: Reason }),
  FilePeriodReview: z.object({
    ...base,
    periodId: z.string().min(1),
    actuals: z.array(z.object({ indicatorId: Slug, actual: Measure })).min(1),
    attachments: z.array(z.object({ indicatorId: Slug, ref: z.string().min(1).max(500) })).default([]),
    gapReasons: z.string().max(4000).optional(),
    improvementProposals: z.string().max(4000).optional(),
    supportRequests: z.string().max(4000).optional(),
  }),
  ReturnPeriodReview: z.object({
    ...base,
    periodId: z.string().min(1),
    annotations: z.array(Annotation).min(1),
  }),
  /** A correction of an actual always needs a reason. */
  AssessPeriodReview: z.object({
    ...base,
    periodId: z.string().min(1),
    corrections: z.array(z.object({ indicatorId: Slug, actual: Measure, reason: Reason })).default([]),
    comment: z.string().max(4000).optional(),
  }),
  ScorePeriod: z.object({ ...base, periodId: z.string().min(1) }),
  /** A week of a scored month was scored (again): the month is rescored with its weeks (ADR 0131). */
  RescoreBehaviour: z.object({ ...base, periodId: z.string().min(1) }),
  /** The system notes a weekly plan's progress on the person's appraisal (ADR 0145): its steps follow. */
  TrackWeeklyPlan: z.object({ ...base, week: IsoWeek, progress: z.enum(['submitted', 'reviewed']) }),
  /**
   * The system opens the weekly-plan steps an approved appraisal lacks (ADR 0153): one approved
   * before weekly plans were steps, or migrated to a workflow version that times them.
   */
  OpenWeeklyPlanSteps: z.object({ ...base }),
  /**
   * The system notes a daily plan's progress on the person's appraisal (ADR 0160): `filed` (the day
   * summarized) closes the day's `daily-plan` step and opens its review; `reviewed` closes the review.
   */
  TrackDailyPlan: z.object({ ...base, date: CalendarDate, progress: z.enum(['filed', 'reviewed']) }),
  FileImprovement: z.object({ ...base, improvementId: Id, action: z.string().trim().min(1).max(4000) }),
  VerifyImprovement: z.object({
    ...base,
    improvementId: Id,
    effective: z.boolean(),
    goodPractice: z.boolean().default(false),
    comment: z.string().max(4000).optional(),
  }),
  /** HR excuses a period from the year (no review possible: leave, a late join); the annual score skips it. */
  WaivePeriod: z.object({ ...base, periodId: z.string().min(1), reason: Reason }),
  WaiveVeto: z.object({ ...base, periodId: z.string().min(1), indicatorId: Slug, reason: Reason }),
  FileRedLineBreach: z.object({
    ...base,
    redLineId: Slug,
    description: z.string().trim().min(1).max(4000),
    evidence: z.string().max(4000).optional(),
  }),
  ContestRedLine: z.object({ ...base, breachId: Id, reason: Reason }),
  UpholdRedLine: z.object({ ...base, breachId: Id, reason: z.string().max(4000).optional() }),
  WithdrawRedLine: z.object({ ...base, breachId: Id, reason: Reason }),
  SubmitSelfAssessment: z.object({ ...base, rating: ScaleValue, comment: z.string().max(4000).optional() }),
  /** The group must match the actor's relation (manager, skip-level, peer) or `expert` for HR-invited experts. */
  SubmitRating: z.object({
    ...base,
    group: z.enum(RATER_GROUPS).exclude(['self']),
    rating: ScaleValue,
    comment: z.string().max(4000).optional(),
  }),
  /**
   * A rater for the 360 (peers today): the appraisee proposes and the manager approves; HR's
   * nomination is an assignment, approved at once. The nominee may rate without being a peer in the
   * directory (a team lead whose manager has no other reports still gets peer ratings).
   */
  NominateRater: z.object({ ...base, group: z.enum(['peer']).default('peer'), employeeId: Id }),
  ApproveNomination: z.object({ ...base, nominationId: Id }),
  RejectNomination: z.object({ ...base, nominationId: Id, reason: Reason }),
  ScoreAppraisal: z.object(base),
  CalibrateAppraisal: z.object({
    ...base,
    score: ScaleValue.optional(),
    grade: Grade.optional(),
    reason: Reason,
  }),
  FinalizeAppraisal: z.object(base),
  AcknowledgeAppraisal: z.object({ ...base, comment: z.string().max(4000).optional() }),
  FileAppeal: z.object({ ...base, reason: Reason }),
  ResolveAppeal: z.object({
    ...base,
    outcome: z.enum(['upheld', 'rejected']),
    score: ScaleValue.optional(),
    grade: Grade.optional(),
    reason: Reason,
  }),
  /**
   * An actual from another system (ERP, finance, production) for one indicator and period, filed by an
   * integrator (`actuals:write`) or HR. It counts as the period's actual until a dispute corrects it.
   */
  ImportActual: z.object({
    ...base,
    periodId: z.string().min(1).max(40),
    indicatorId: Slug,
    actual: Measure,
    /** Where the figure comes from: the system, and its own record id. */
    source: z.strictObject({ system: Id, reference: z.string().trim().min(1).max(200).optional() }),
  }),
  /** The person or their manager disputes an imported figure; the manager resolves it. */
  DisputeImportedActual: z.object({
    ...base,
    periodId: z.string().min(1).max(40),
    indicatorId: Slug,
    reason: Reason,
  }),
  /** The manager keeps the imported figure or corrects it (a correction gives the figure). */
  ResolveActualDispute: z.object({
    ...base,
    periodId: z.string().min(1).max(40),
    indicatorId: Slug,
    outcome: z.enum(['kept', 'corrected']),
    actual: Measure.optional(),
    reason: Reason,
  }),
  AddAnnotation: z.object({
    ...base,
    on: z
      .object({
        stepKey: z.string().min(1).max(200).optional(),
        /** A period of the appraisal's cycle (checked by decide). */
        periodId: Period.shape.periodId.optional(),
        indicatorId: Slug.optional(),
      })
      .default({}),
    text: z.string().trim().min(1).max(4000),
  }),
  /** Sent by the scheduler when a timer is due; the domain decides whether it still matters. */
  FireTimer: z.object({
    ...base,
    kind: z.enum(['reminder', 'escalation', 'deadline']),
    stepKey: z.string().min(1),
    occurrence: z.number().int().positive(),
    /** Reminder index (0-based) or escalation level (1-based); 0 for the deadline. */
    level: z.number().int().nonnegative(),
    /** The time the timer was scheduled for (from `openSteps`). */
    dueAt: Instant,
  }),
  /** The membership rule's (ADR 0146), sent by the worker only: a joiner's appraisal, periods before the hire waived. */
  OpenJoinerAppraisal: z.object({
    ...base,
    ...openingTerms,
    periods: z.array(Period).min(1),
    joinedOn: CalendarDate,
  }),
  WithdrawAppraisal: z.object({ ...base, cause: z.enum(['employee-left']), effectiveFrom: CalendarDate }),
  MoveAppraisalUnit: z.object({ ...base, orgUnitId: Id, effectiveFrom: CalendarDate }),
  MigrateWorkflowVersion: z.object({
    ...base,
    toVersion: z.number().int().positive(),
    reason: z.string().max(4000).optional(),
  }),
} as const;

export type AppraisalCommand = CommandsOf<typeof appraisalCommandSchemas>;
export type AppraisalCommandType = AppraisalCommand['type'];
export type AppraisalCommandOf<T extends AppraisalCommandType> = Extract<AppraisalCommand, { type: T }>;
