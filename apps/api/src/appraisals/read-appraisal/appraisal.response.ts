import { z } from 'zod';
import { RATER_GROUPS, STEP_ACTORS, STEP_KINDS } from '@verity/domain';
import {
  Count,
  Decimal,
  RedLineEffect,
  RedLineState,
  Timestamp,
  VersionNumber,
} from '../../openapi/answer-pieces';

const Target = z.strictObject({
  indicatorId: z.string(),
  /** Set on a row that overrides the annual levels for one period. */
  periodId: z.string().optional(),
  threshold: Decimal,
  target: Decimal,
  stretch: Decimal,
  /** The target this one cascades from: an indicator of the parent unit's or manager's appraisal. */
  parent: z.strictObject({ appraisalId: z.string(), indicatorId: z.string() }).optional(),
});

const KeyAction = z.strictObject({
  actionId: z.string(),
  indicatorId: z.string().nullable(),
  ownerEmployeeId: z.string(),
  dueDate: z.string(),
});

const Score = z.strictObject({ score: Decimal, grade: z.string(), bonusCoefficient: Decimal });

/**
 * `GET /appraisals/{id}`: the appraisal's state folded from its stream (now, or at `asOfRevision`),
 * as the reader may see it — anonymous rater groups folded into one line each (ADR 0112).
 */
export const AppraisalStateResponse = z.strictObject({
  appraisalId: z.string(),
  revision: z.string(),
  state: z.strictObject({
    status: z.enum(['planning', 'in-progress', 'scored', 'finalized', 'appealed', 'closed', 'withdrawn']),
    id: z.string(),
    cycleId: z.string(),
    subject: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('employee'), employeeId: z.string(), orgUnitId: z.string() }),
      z.strictObject({ kind: z.literal('org-unit'), orgUnitId: z.string() }),
    ]),
    workflowId: z.string(),
    /** The pinned version; changes only through a migration. */
    workflowVersion: VersionNumber,
    cycleStartsAt: Timestamp,
    cycleEndsAt: Timestamp,
    plan: z.strictObject({
      status: z.enum(['draft', 'submitted', 'returned', 'approved']),
      version: z.number().int(),
      targets: z.array(Target),
      actions: z.array(KeyAction),
      pendingChange: z
        .strictObject({ changeId: z.string(), targets: z.array(Target), actions: z.array(KeyAction) })
        .nullable(),
    }),
    periods: z.record(
      z.string(),
      z.strictObject({
        periodId: z.string(),
        startsAt: Timestamp,
        endsAt: Timestamp,
        status: z.enum(['pending', 'filed', 'returned', 'assessed', 'scored', 'waived']),
        /** The actuals filed, by indicator id. */
        actuals: z.record(z.string(), Decimal),
        /** Actuals other systems filed, by indicator: they count over what the person files. */
        imported: z
          .record(
            z.string(),
            z.strictObject({
              actual: Decimal,
              system: z.string(),
              reference: z.string().optional(),
              dispute: z.enum(['none', 'open', 'kept', 'corrected']),
            }),
          )
          .optional(),
        result: Score.extend({ vetoed: z.boolean() }).nullable(),
      }),
    ),
    periodOrder: z.array(z.string()),
    /** Actions required where a month fell below target, by improvement id. */
    improvements: z.record(
      z.string(),
      z.strictObject({
        periodId: z.string(),
        indicatorId: z.string(),
        status: z.enum(['required', 'filed', 'verified']),
      }),
    ),
    /** Keyed `<periodId>/<indicatorId>`. */
    vetoes: z.record(z.string(), z.enum(['breached', 'waived'])),
    /** The red lines filed, by breach id. */
    redLines: z.record(
      z.string(),
      z.strictObject({
        redLineId: z.string(),
        status: RedLineState,
        effect: RedLineEffect,
      }),
    ),
    selfRating: Decimal.nullable(),
    /** Each named rating; an anonymous group as one line with its responses and (once enough) its average. */
    ratings: z.array(
      z.union([
        z.strictObject({ raterId: z.string(), group: z.enum(RATER_GROUPS), rating: Decimal }),
        z.strictObject({
          group: z.enum(RATER_GROUPS),
          anonymous: z.literal(true),
          responses: Count,
          minResponses: Count,
          average: Decimal.nullable(),
        }),
      ]),
    ),
    /** The 360's nominated raters, by nomination id. */
    nominations: z
      .record(
        z.string(),
        z.strictObject({
          group: z.literal('peer'),
          employeeId: z.string(),
          status: z.enum(['proposed', 'approved', 'rejected']),
        }),
      )
      .optional(),
    result: Score.nullable(),
    /** A red line changed, or a month was rescored, after scoring: it is scored again before finalizing. */
    scoreStale: z.boolean(),
    appealId: z.string().nullable(),
    /** The workflow's steps, open and done, by step key and instance. */
    steps: z.record(
      z.string(),
      z.strictObject({
        stepKey: z.string(),
        kind: z.enum(STEP_KINDS),
        instance: z.string().nullable(),
        occurrence: z.number().int(),
        assignee: z.strictObject({ actor: z.enum(STEP_ACTORS), employeeId: z.string().nullable() }),
        openedAt: Timestamp,
        dueAt: Timestamp.nullable(),
        workflowVersion: VersionNumber,
        open: z.boolean(),
      }),
    ),
    firedTimers: z.array(z.string()),
    /** Why and from when a withdrawn appraisal is withdrawn (ADR 0146: the person left). */
    withdrawal: z.strictObject({ cause: z.enum(['employee-left']), effectiveFrom: z.iso.date() }).optional(),
  }),
});
