// Shapes shared by the appraisal's events (one file per command family next to this one).
import { z } from 'zod';
import { CalendarDate, DecimalString, FreeText, Grade, Id, Instant, Slug } from '../../shared/primitives';
import { STEP_ACTORS } from '../../workflow/workflow-definition.schema';
import { Subject } from '../../cycle/cycle.events';

export const base = { appraisalId: Id, at: Instant };

/** The indicator, in one period, that an event is about. */
export const periodIndicator = { periodId: z.string(), indicatorId: Slug };

/** A reason someone gave in their own words: personal data, so it sits under `pii`. */
export const ReasonPii = z.object({ reason: FreeText });

/** What an appraisal is opened on (the command that opens it and the event alike): cycle, subject, pinned version. */
export const openingTerms = {
  cycleId: Id,
  subject: Subject,
  workflowId: Id,
  workflowVersion: z.number().int().positive(),
  cycleStartsAt: Instant,
  cycleEndsAt: Instant,
};

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
export const KeyActionText = z.object({
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

export const Timer = {
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

export const ScoreAndGrade = z.object({
  score: DecimalString,
  grade: Grade,
  bonusCoefficient: DecimalString,
});
