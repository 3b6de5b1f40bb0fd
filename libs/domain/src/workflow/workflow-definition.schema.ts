import { z } from 'zod';
import { Grade, Id, Measure, ScaleValue, Slug, WeightValue } from '../shared/primitives';
import { BusinessCalendar } from '../calendar/business-calendar';
import { DailyPlanRules, WeeklyPlanRules } from '../weekly-plan/behaviour-rubric.schema';
import { UnitResultRule } from '../target-tree/unit-result-rule.schema';
import { MembershipRule } from '../cycle/membership';

/**
 * The workflow definition language: what a process owner writes (as JSON or YAML) and publishes as
 * an immutable version. This file is the structure; `workflow-definition.validate.ts` adds the
 * cross-field rules (weights, levels, formulas, escalation chains, grade bands, ...).
 */

export const STEP_KINDS = [
  'plan',
  'plan-approval',
  'period-review',
  'period-assessment',
  'improvement',
  'improvement-verification',
  'self-assessment',
  'peer-rating',
  'nomination-approval',
  'manager-rating',
  'calibration',
  'acknowledgement',
  'appeal-resolution',
  // A person's plan for an ISO week and the superior's review of it (ADR 0145): steps of the
  // person's appraisal, so they are reminded and escalated as the other steps.
  'weekly-plan',
  'weekly-plan-review',
  // A person's plan and account of a working day and the superior's review of it (ADR 0160),
  // opened week by week as the person plans the week.
  'daily-plan',
  'daily-plan-review',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Who acts on a step, relative to the appraisee. */
export const STEP_ACTORS = ['self', 'manager', 'skip-level', 'peer', 'hr', 'process-owner'] as const;
export const ESCALATION_TARGETS = ['manager', 'skip-level', 'hr', 'process-owner'] as const;

export const Cadence = z.object({
  /** The cycle's length. */
  cycle: z.enum(['year', 'half-year']),
  /** The short-term periods inside it. */
  period: z.enum(['month', 'quarter', 'half']),
});

export const Reminders = z.object({
  /** Remind this many days before the due time, e.g. [3, 1]. */
  daysBefore: z.array(z.number().int().positive().max(366)).max(10).default([]),
  onDueDay: z.boolean().default(true),
});

export const EscalationLevel = z.object({
  /** Days after the due time. */
  afterDays: z.number().int().positive().max(366),
  to: z.enum(ESCALATION_TARGETS),
});

export const StepDefinition = z.object({
  kind: z.enum(STEP_KINDS),
  actor: z.enum(STEP_ACTORS),
  /**
   * The due time: `days` after the step opened, after the period's end, after the cycle's end, or
   * after the start (Monday 00:00 UTC) of the week a weekly plan is for, or after the start (00:00 UTC)
   * of the day a daily plan is for.
   */
  due: z.object({
    from: z.enum(['opened', 'period-end', 'cycle-end', 'week-start', 'day-start']),
    days: z.number().int().min(0).max(366),
  }),
  reminders: Reminders.default({ daysBefore: [], onDueDay: true }),
  /** Levels in order; `null` for no escalation. An empty list is refused (say `null`). */
  escalation: z.array(EscalationLevel).max(5).nullable().default(null),
  /** Response-time SLA in hours, counted for the step owner's process performance. */
  slaHours: z.number().int().positive().max(8784).optional(),
  /** Count the due, reminder and escalation days as working days of the workflow's `calendar` (default: calendar days). */
  offsets: z.enum(['calendar-days', 'working-days']).optional(),
});
export type StepDefinition = z.infer<typeof StepDefinition>;

export const Levels = z.object({ threshold: Measure, target: Measure, stretch: Measure });

export const LinearRule = z.object({
  type: z.literal('linear'),
  /** Scores at the three levels; below threshold scores `floor`, beyond stretch is capped at `cap`. */
  thresholdScore: ScaleValue.default(60),
  targetScore: ScaleValue.default(100),
  stretchScore: ScaleValue.default(120),
  floor: ScaleValue.default(0),
  cap: ScaleValue.default(120),
});
export const Band = z.object({
  /** Inclusive lower bound; omitted = unbounded. */
  from: Measure.optional(),
  /** Exclusive upper bound; omitted = unbounded. */
  to: Measure.optional(),
  score: ScaleValue,
});
export const BandRule = z.object({ type: z.literal('bands'), bands: z.array(Band).min(1).max(20) });
export const PassFailRule = z.object({
  type: z.literal('pass-fail'),
  passScore: ScaleValue.default(100),
  failScore: ScaleValue.default(0),
});
export const ManualRule = z.object({
  type: z.literal('manual'),
  /** The rating scale, e.g. 1–5 with labels; the chosen `value` maps to `score`. */
  scale: z
    .array(
      z.object({
        value: z.number().int().min(-1_000_000).max(1_000_000),
        label: z.string().min(1).max(80),
        score: ScaleValue,
      }),
    )
    .min(2)
    .max(11),
});
export const ScoringRule = z.discriminatedUnion('type', [LinearRule, BandRule, PassFailRule, ManualRule]);
export type ScoringRule = z.infer<typeof ScoringRule>;

export const VetoEffect = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bonus-zero') }),
  z.object({ type: z.literal('cap-score'), score: ScaleValue }),
  z.object({ type: z.literal('cap-grade'), grade: Grade }),
]);
export type VetoEffect = z.infer<typeof VetoEffect>;

export const Veto = z.object({
  /** Breached when the actual is worse than this: a percentage of the target, or an absolute value. */
  threshold: z.union([z.object({ percentOfTarget: ScaleValue }), z.object({ value: Measure })]),
  effect: VetoEffect.default({ type: 'bonus-zero' }),
});

export const NumericIndicator = z.object({
  id: Slug,
  kind: z.literal('numeric'),
  name: z.string().min(1).max(200),
  unit: z.string().max(40).optional(),
  direction: z.enum(['higher', 'lower', 'range']),
  weight: WeightValue,
  levels: Levels,
  rule: ScoringRule,
  dataSource: z.enum(['self-reported', 'manager-assessed', 'imported']).default('self-reported'),
  evidenceRequired: z.boolean().default(false),
  /** A key strategic indicator (关键战略指标): its breach vetoes the period's bonus. */
  veto: Veto.optional(),
});

export const ActionIndicator = z.object({
  id: Slug,
  kind: z.literal('action'),
  name: z.string().min(1).max(200),
  weight: WeightValue,
  /** Who is responsible, relative to the appraisee. */
  owner: z.enum(['self', 'manager']).default('self'),
  /** Days after the period's start by which the action is due. */
  deadlineDays: z.number().int().positive().max(366),
  rule: z.discriminatedUnion('type', [PassFailRule, ManualRule]),
  evidenceRequired: z.boolean().default(true),
});

export const Indicator = z.discriminatedUnion('kind', [NumericIndicator, ActionIndicator]);
export type Indicator = z.infer<typeof Indicator>;
export type NumericIndicator = z.infer<typeof NumericIndicator>;

export const Aggregation = z.discriminatedUnion('method', [
  z.object({ method: z.literal('weighted') }),
  z.object({ method: z.literal('simple') }),
  /** A safe expression over indicator ids: + - * /, comparisons, ?:, sum, min, max, avg, if. */
  z.object({ method: z.literal('formula'), formula: z.string().min(1).max(2000) }),
]);
export type Aggregation = z.infer<typeof Aggregation>;

export const ScorecardTemplate = z.object({
  templateId: Id.optional(),
  templateVersion: z.number().int().positive().optional(),
  indicators: z.array(Indicator).min(1).max(50),
  aggregation: Aggregation,
});
export type ScorecardTemplate = z.infer<typeof ScorecardTemplate>;

export const RedLineEffect = z.object({
  forceGrade: Grade.optional(),
  bonusCoefficient: ScaleValue.optional(),
  capScore: ScaleValue.optional(),
});
export const RedLine = z.object({
  id: Slug,
  name: z.string().min(1).max(200),
  /** DOMAIN.md's default: grade forced to D, bonus coefficient 0. */
  effect: RedLineEffect.default({ forceGrade: 'D', bonusCoefficient: 0 }),
});

export const GradeBand = z.object({
  grade: Grade,
  /** Inclusive lower bound of the score; the lowest band starts at 0. */
  min: ScaleValue,
  bonusCoefficient: ScaleValue,
});
export type GradeBand = z.infer<typeof GradeBand>;

export const ForcedDistributionRule = z.object({
  grade: Grade,
  /** Percent of the unit's appraisals: at most `max`, at least `min`. */
  max: ScaleValue.optional(),
  min: ScaleValue.optional(),
});
export type ForcedDistributionRule = z.infer<typeof ForcedDistributionRule>;

export const RATER_GROUPS = ['self', 'manager', 'skip-level', 'peer', 'expert'] as const;
export type RaterGroup = (typeof RATER_GROUPS)[number];
export const RaterGroupDefinition = z.object({
  group: z.enum(RATER_GROUPS),
  weight: WeightValue,
  minResponses: z.number().int().min(0).max(50).default(1),
  /** Anonymous groups are shown to the appraisee only in aggregate; the rater stays in the trail. */
  anonymous: z.boolean().default(false),
});
export type RaterGroupDefinition = z.infer<typeof RaterGroupDefinition>;

export const Rounding = z.object({
  mode: z.enum(['half-up', 'half-even', 'down']).default('half-up'),
  places: z.number().int().min(0).max(6).default(2),
});
export type Rounding = z.infer<typeof Rounding>;

export const WorkflowDefinition = z.object({
  name: z.string().min(1).max(200),
  subject: z.enum(['employee', 'org-unit']).default('employee'),
  cadence: Cadence,
  steps: z.array(StepDefinition).min(1).max(40),
  scorecard: ScorecardTemplate,
  annual: z.object({
    /**
     * Annual score over `periods` (average period score), `rating` (rater groups weighted), and each
     * group's average (`self`, `manager`, `peer`, ...), e.g. `0.7 * periods + 0.3 * rating`.
     */
    formula: z.string().min(1).max(2000),
  }),
  /** Rating scale for self, 360 and manager ratings (scores). */
  ratingScale: z
    .object({ min: ScaleValue.default(0), max: ScaleValue.default(100) })
    .default({ min: 0, max: 100 }),
  raterGroups: z.array(RaterGroupDefinition).max(5).default([]),
  redLines: z.array(RedLine).max(50).default([]),
  grades: z.array(GradeBand).min(1).max(10),
  forcedDistribution: z.array(ForcedDistributionRule).max(10).default([]),
  /**
   * What a unit outside its bands does to finalizing: `warn` (the unit report lists the violation) or
   * `block` (finalize is refused until calibration brings the unit within its bands).
   */
  forcedDistributionEnforcement: z.enum(['warn', 'block']).default('warn'),
  rounding: Rounding.default({ mode: 'half-up', places: 2 }),
  /**
   * Who scores a month once it is assessed: the system at once (`on-assessment`), or a manager or
   * HR with `score-period` (`manual`, e.g. where actuals are reconciled with finance first).
   */
  periodScoring: z.enum(['on-assessment', 'manual']).default('on-assessment'),
  /** How many days before a period ends its review may be filed (0: only once it is over). */
  earlyFilingDays: z.number().int().min(0).max(31).default(0),
  /** The tenant's business calendar (time zone, holidays) for steps with working-day offsets. */
  calendar: BusinessCalendar.optional(),
  /** Weekly plans (seed 004): the behaviour rubric, the month's roll-up and its weight in the monthly score. */
  weeklyPlans: WeeklyPlanRules.optional(),
  /**
   * Daily plans asked for (ADR 0160): each working day is a `daily-plan` step when the workflow times
   * one, and the days' scores count in their week by `weekScore` (ADR 0161). Absent: days stay
   * optional, open no step and count nowhere.
   */
  dailyPlans: DailyPlanRules.optional(),
  /** Which unit results feed the unit head's appraisal (target indicator → the head's indicator). */
  unitResults: z.array(UnitResultRule).max(10).optional(),
  /**
   * Who joins, moves or leaves a running cycle (ADR 0146). Absent: the default rule (`membershipOf`),
   * which is what workflows did before: nobody joins, units stay as on the scope date, leavers keep.
   */
  membership: MembershipRule.optional(),
});
/** A validated definition (defaults applied). */
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;
/** What an author may write (defaults optional). */
export type WorkflowDefinitionInput = z.input<typeof WorkflowDefinition>;
