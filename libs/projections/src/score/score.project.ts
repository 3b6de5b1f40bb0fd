import {
  dec,
  gradeFor,
  roundTo,
  sum,
  type AppraisalEvent,
  type AppraisalEventOf,
  type WorkflowDefinition,
} from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';
import { wellFormed } from '../events/well-formed';

/** The appraisal events the score read model reads (the runner skips every other type). */
export const SCORE_APPRAISAL_EVENTS = [
  'AppraisalOpened',
  'PlanApproved',
  'PeriodScored',
  'VetoBreached',
  'VetoWaived',
  'AppraisalScored',
  'CalibrationAdjusted',
  'AppraisalFinalized',
  'AppealFiled',
  'AppealResolved',
  'AppraisalClosed',
  'AppraisalMigrated',
  'AppraisalWithdrawn',
  'AppraisalUnitChanged',
] as const satisfies readonly AppraisalEvent['type'][];

export type Calibration = 'not-scored' | 'to-calibrate' | 'adjusted' | 'final';

/** One `score_appraisals` row. Scores are decimal strings, exactly as the events carry them. */
export interface AppraisalScoreRow {
  tenantId: string;
  appraisalId: string;
  revision: string;
  cycleId: string;
  subjectKind: string;
  employeeId: string | null;
  orgUnitId: string;
  workflowId: string;
  workflowVersion: number;
  status: string;
  periodsScored: number;
  runningScore: string | null;
  runningGrade: string | null;
  annualScore: string | null;
  annualGrade: string | null;
  bonusCoefficient: string | null;
  calibration: Calibration;
  adjustments: number;
  updatedAt: Date;
}

export interface IndicatorRow {
  indicatorId: string;
  position: number;
  actual: string | null;
  rule: string;
  score: string;
  weight: string;
  contribution: string | null;
}

export interface PeriodRow {
  tenantId: string;
  appraisalId: string;
  periodId: string;
  workflowVersion: number;
  aggregation: string;
  raw: string;
  score: string;
  grade: string;
  bonusCoefficient: string;
  vetoed: boolean;
  scoredAt: Date;
  indicators: IndicatorRow[];
  /** The month's behaviour score as it counted (ADR 0131); null for a workflow without weekly plans. */
  behaviour: PeriodBehaviour | null;
}

export type PeriodBehaviour = NonNullable<Data<'PeriodScored'>['behaviour']>;

export interface VetoRow {
  tenantId: string;
  appraisalId: string;
  periodId: string;
  indicatorId: string;
  state: 'breached' | 'waived';
  actual: string | null;
  target: string | null;
  vetoValue: string | null;
  percentOfTarget: string | null;
  effect: unknown;
}

/** What a batch changes: rows to upsert, each at most once (the last state wins). */
export interface ScoreChanges {
  appraisals: Map<string, AppraisalScoreRow>;
  periods: Map<string, PeriodRow>;
  vetoes: Map<string, VetoRow>;
  /** Appraisals whose period scores changed: their running annual score must be recomputed. */
  rescored: Set<string>;
}

type Data<T extends AppraisalEvent['type']> = AppraisalEventOf<T>['data'];

/** `appraisal-<tenant>.<id>` streams only; the appraisal id comes from the event data. */
export const isAppraisalEvent = (event: RecordedEvent) => event.streamId.startsWith('appraisal-');

function withResult(
  row: AppraisalScoreRow,
  result: { score: string; grade: string; bonusCoefficient: string },
): AppraisalScoreRow {
  return {
    ...row,
    annualScore: result.score,
    annualGrade: result.grade,
    bonusCoefficient: result.bonusCoefficient,
  };
}

/** Pure: one appraisal row after one event (undefined before AppraisalOpened). */
export function evolveScoreRow(
  row: AppraisalScoreRow | undefined,
  event: RecordedEvent,
): AppraisalScoreRow | undefined {
  const touched = (r: AppraisalScoreRow): AppraisalScoreRow => ({
    ...r,
    revision: event.streamRevision.toString(),
    updatedAt: event.recordedAt,
  });
  if (event.type === 'AppraisalOpened') {
    const data = event.data as Data<'AppraisalOpened'>;
    return {
      tenantId: event.metadata.tenantId,
      appraisalId: data.appraisalId,
      revision: event.streamRevision.toString(),
      cycleId: data.cycleId,
      subjectKind: data.subject.kind,
      employeeId: data.subject.kind === 'employee' ? data.subject.employeeId : null,
      orgUnitId: data.subject.orgUnitId,
      workflowId: data.workflowId,
      workflowVersion: data.workflowVersion,
      status: 'planning',
      periodsScored: 0,
      runningScore: null,
      runningGrade: null,
      annualScore: null,
      annualGrade: null,
      bonusCoefficient: null,
      calibration: 'not-scored',
      adjustments: 0,
      updatedAt: event.recordedAt,
    };
  }
  // An event of an appraisal the log never opened cannot be placed; the write side forbids it.
  if (!row) return undefined;
  switch (event.type) {
    case 'PlanApproved':
      return touched({ ...row, status: row.status === 'planning' ? 'in-progress' : row.status });
    case 'AppraisalScored':
      return touched({
        ...withResult(row, event.data as Data<'AppraisalScored'>),
        status: 'scored',
        calibration: 'to-calibrate',
      });
    case 'CalibrationAdjusted':
      return touched({
        ...withResult(row, (event.data as Data<'CalibrationAdjusted'>).to),
        calibration: 'adjusted',
        adjustments: row.adjustments + 1,
      });
    case 'AppraisalFinalized':
      return touched({
        ...withResult(row, event.data as Data<'AppraisalFinalized'>),
        status: 'finalized',
        calibration: 'final',
      });
    case 'AppealFiled':
      return touched({ ...row, status: 'appealed' });
    case 'AppealResolved': {
      const to = (event.data as Data<'AppealResolved'>).to;
      return touched(to ? withResult(row, to) : row);
    }
    case 'AppraisalClosed':
      return touched({ ...withResult(row, event.data as Data<'AppraisalClosed'>), status: 'closed' });
    case 'AppraisalMigrated':
      return touched({ ...row, workflowVersion: (event.data as Data<'AppraisalMigrated'>).toVersion });
    case 'AppraisalWithdrawn':
      return touched({ ...row, status: 'withdrawn' });
    case 'AppraisalUnitChanged':
      return touched({ ...row, orgUnitId: (event.data as Data<'AppraisalUnitChanged'>).orgUnitId });
    default:
      return touched(row);
  }
}

function periodRow(event: RecordedEvent, appraisal: AppraisalScoreRow): PeriodRow {
  const data = event.data as Data<'PeriodScored'>;
  return {
    tenantId: appraisal.tenantId,
    appraisalId: appraisal.appraisalId,
    periodId: data.periodId,
    workflowVersion: data.ruleVersion.version,
    aggregation: data.aggregation,
    raw: data.raw,
    score: data.score,
    grade: data.grade,
    bonusCoefficient: data.bonusCoefficient,
    vetoed: data.vetoed,
    scoredAt: event.recordedAt,
    indicators: data.indicators.map((indicator, position) => ({ ...indicator, position })),
    behaviour: data.behaviour ?? null,
  };
}

function vetoRow(event: RecordedEvent, appraisal: AppraisalScoreRow): VetoRow {
  const base = {
    tenantId: appraisal.tenantId,
    appraisalId: appraisal.appraisalId,
    periodId: (event.data as Data<'VetoWaived'>).periodId,
    indicatorId: (event.data as Data<'VetoWaived'>).indicatorId,
  };
  if (event.type === 'VetoWaived')
    return {
      ...base,
      state: 'waived',
      actual: null,
      target: null,
      vetoValue: null,
      percentOfTarget: null,
      effect: null,
    };
  const data = event.data as Data<'VetoBreached'>;
  return {
    ...base,
    state: 'breached',
    actual: data.actual,
    target: data.target,
    vetoValue: data.vetoValue,
    percentOfTarget: data.percentOfTarget,
    effect: data.effect,
  };
}

/** A waiver keeps the numbers of the breach it waives (as the SQL upsert's coalesce does). */
function mergeVeto(prior: VetoRow | undefined, veto: VetoRow): VetoRow {
  if (!prior) return veto;
  return {
    ...veto,
    actual: veto.actual ?? prior.actual,
    target: veto.target ?? prior.target,
    vetoValue: veto.vetoValue ?? prior.vetoValue,
    percentOfTarget: veto.percentOfTarget ?? prior.percentOfTarget,
    effect: veto.effect ?? prior.effect,
  };
}

export const periodKey = (appraisalId: string, periodId: string) => `${appraisalId}\u0000${periodId}`;
export const vetoKey = (appraisalId: string, periodId: string, indicatorId: string) =>
  `${appraisalId}\u0000${periodId}\u0000${indicatorId}`;

/**
 * Pure: folds one tenant's batch of appraisal events (in log order) onto the rows it currently
 * has. The stream revision is the idempotency guard: an event at or below the row's revision was
 * applied already (a redelivery) and is skipped.
 */
export function projectScoreEvents(
  current: ReadonlyMap<string, AppraisalScoreRow>,
  events: readonly RecordedEvent[],
): ScoreChanges {
  const changes: ScoreChanges = {
    appraisals: new Map(),
    periods: new Map(),
    vetoes: new Map(),
    rescored: new Set(),
  };
  for (const event of events) {
    if (!wellFormed(event)) continue;
    const appraisalId = (event.data as { appraisalId: string }).appraisalId;
    const row = changes.appraisals.get(appraisalId) ?? current.get(appraisalId);
    if (row && event.streamRevision <= BigInt(row.revision)) continue;
    const next = evolveScoreRow(row, event);
    if (!next) continue;
    changes.appraisals.set(appraisalId, next);
    if (event.type === 'PeriodScored') {
      const period = periodRow(event, next);
      changes.periods.set(periodKey(appraisalId, period.periodId), period);
      changes.rescored.add(appraisalId);
    } else if (event.type === 'VetoBreached' || event.type === 'VetoWaived') {
      const veto = vetoRow(event, next);
      const key = vetoKey(appraisalId, veto.periodId, veto.indicatorId);
      changes.vetoes.set(key, mergeVeto(changes.vetoes.get(key), veto));
    }
  }
  return changes;
}

/** Rounding and grades when the workflow version is unknown to the read model (never in a valid log). */
const FALLBACK_ROUNDING = { places: 2, mode: 'half-up' } as const;

/**
 * The running annual score: the average of the periods scored so far, rounded per the workflow
 * version (as the annual formula's `periods` input is), with the grade its band gives.
 */
export function runningAnnual(
  periodScores: readonly string[],
  definition: Pick<WorkflowDefinition, 'rounding' | 'grades'> | null,
): { score: string | null; grade: string | null } {
  if (periodScores.length === 0) return { score: null, grade: null };
  const average = sum(periodScores.map((score) => dec(score))).dividedBy(periodScores.length);
  const score = roundTo(average, definition?.rounding ?? FALLBACK_ROUNDING);
  return { score, grade: definition ? gradeFor(definition.grades, dec(score)).grade : null };
}
