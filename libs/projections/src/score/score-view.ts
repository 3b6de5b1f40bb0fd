import {
  evolveAppraisal,
  initialAppraisalState,
  type AppraisalEventOf,
  type WorkflowDefinition,
  asDomainEvent,
} from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';
import { SCORE_APPRAISAL_EVENTS, projectScoreEvents, runningAnnual } from './score.project';
import type { AppraisalScore, PeriodVeto, ScoredPeriod } from './score.queries';

type RedLineEffect = AppraisalEventOf<'RedLineBreached'>['data']['effect'];

/**
 * Why a recorded annual score no longer holds: a red line filed or withdrawn after it was scored, or
 * a month scored again after it (a week scored late, a veto waived: ADR 0140), with the month's
 * score then and now.
 */
export type StaleReason =
  | {
      cause: 'red-line-breached' | 'red-line-withdrawn';
      breachId: string;
      redLineId: string;
      name: string | null;
      at: string;
    }
  | { cause: 'period-rescored'; periodId: string; from: string | null; to: string; at: string };

/** A red-line breach on the appraisal, with the catalogue's name and what it does to the result. */
export interface RedLineView {
  breachId: string;
  redLineId: string;
  name: string | null;
  state: 'breached' | 'contested' | 'upheld' | 'withdrawn';
  effect: RedLineEffect;
  /** Whether the effect bounds the result (every state but withdrawn). */
  applies: boolean;
  filedAt: string;
  decidedAt: string | null;
}

export interface VetoView extends PeriodVeto {
  indicatorName: string | null;
}

/**
 * The one answer of `GET /scores/appraisals/{id}` and `…/as-of`: the appraisal's score row, each
 * scored period with its indicators, the vetoes and red lines with names, states and effects, and
 * whether the annual score is stale (and why) until the annual-scoring process manager re-scores.
 */
export interface ScoreView extends AppraisalScore {
  stale: { since: string; reasons: StaleReason[] } | null;
  periods: ScoredPeriod[];
  vetoes: VetoView[];
  redLines: RedLineView[];
  /** The point the view stands at: the last event replayed (`at`: its time; `replayed`: how many). */
  asOf: { position: string | null; at: string | null; replayed: number };
}

/** The stream's events up to a position (inclusive) or a time; neither: all of them. */
export function eventsUpTo(
  stream: readonly RecordedEvent[],
  at: { position?: string; time?: Date },
): RecordedEvent[] {
  return stream.filter(
    (e) =>
      (at.position === undefined || BigInt(e.position) <= BigInt(at.position)) &&
      (at.time === undefined || e.recordedAt.getTime() <= at.time.getTime()),
  );
}

/** The workflow version the appraisal is pinned to after these events (null before it was opened). */
export function pinnedVersionOf(
  events: readonly RecordedEvent[],
): { workflowId: string; version: number } | null {
  let workflowId: string | null = null;
  let version = 0;
  for (const event of events) {
    if (event.type === 'AppraisalOpened') {
      const data = event.data as AppraisalEventOf<'AppraisalOpened'>['data'];
      [workflowId, version] = [data.workflowId, data.workflowVersion];
    } else if (event.type === 'AppraisalMigrated')
      version = (event.data as AppraisalEventOf<'AppraisalMigrated'>['data']).toVersion;
  }
  return workflowId === null ? null : { workflowId, version };
}

const SCORE_EVENT_TYPES = new Set<string>(SCORE_APPRAISAL_EVENTS);

/**
 * Pure: the score view of one appraisal from its events (already cut to the point wanted), under the
 * definition of the version it is pinned to. The row, periods and vetoes are folded by the score read
 * model's own pure fold (so the list and the view agree); staleness follows the domain's own state,
 * so the view says stale exactly when finalizing would be refused with `score-stale`. Null before
 * the appraisal was opened.
 */
export function scoreView(
  events: readonly RecordedEvent[],
  definition: WorkflowDefinition | null,
): ScoreView | null {
  const changes = projectScoreEvents(
    new Map(),
    events.filter((e) => SCORE_EVENT_TYPES.has(e.type)),
  );
  const row = [...changes.appraisals.values()][0];
  if (!row) return null;

  const redLineName = (id: string) => definition?.redLines.find((line) => line.id === id)?.name ?? null;
  const indicatorName = (id: string) =>
    definition?.scorecard.indicators.find((indicator) => indicator.id === id)?.name ?? null;

  let state = initialAppraisalState();
  const redLines = new Map<string, RedLineView>();
  let reasons: StaleReason[] = [];
  for (const event of events) {
    const before = state;
    state = evolveAppraisal(state, asDomainEvent(event));
    const at = event.recordedAt.toISOString();
    const hadResult = before.status !== 'empty' && before.result !== null;
    if (event.type === 'RedLineBreached') {
      const data = event.data as AppraisalEventOf<'RedLineBreached'>['data'];
      const line: RedLineView = {
        breachId: data.breachId,
        redLineId: data.redLineId,
        name: redLineName(data.redLineId),
        state: 'breached',
        effect: data.effect,
        applies: true,
        filedAt: at,
        decidedAt: null,
      };
      redLines.set(data.breachId, line);
      if (hadResult) reasons.push({ cause: 'red-line-breached', ...pick(line), at });
    } else if (
      event.type === 'RedLineContested' ||
      event.type === 'RedLineUpheld' ||
      event.type === 'RedLineWithdrawn'
    ) {
      const { breachId } = event.data as { breachId: string };
      const line = redLines.get(breachId);
      if (!line) continue;
      const next: RedLineView =
        event.type === 'RedLineContested'
          ? { ...line, state: 'contested' }
          : event.type === 'RedLineUpheld'
            ? { ...line, state: 'upheld', decidedAt: at }
            : { ...line, state: 'withdrawn', applies: false, decidedAt: at };
      redLines.set(breachId, next);
      if (event.type === 'RedLineWithdrawn' && hadResult)
        reasons.push({ cause: 'red-line-withdrawn', ...pick(next), at });
    } else if (event.type === 'PeriodScored' && hadResult) {
      // The domain marks the year stale on this event; the view says which month and by how much.
      const data = event.data as AppraisalEventOf<'PeriodScored'>['data'];
      const from = before.periods[data.periodId]?.result?.score ?? null;
      reasons.push({ cause: 'period-rescored', periodId: data.periodId, from, to: data.score, at });
    } else if (event.type === 'AppraisalScored') reasons = [];
  }
  const stale = state.status !== 'empty' && state.scoreStale;

  const periods = [...changes.periods.values()].sort((a, b) => a.periodId.localeCompare(b.periodId));
  const vetoes = [...changes.vetoes.values()].sort(
    (a, b) => a.periodId.localeCompare(b.periodId) || a.indicatorId.localeCompare(b.indicatorId),
  );
  const vetoState = (periodId: string, indicatorId: string) =>
    vetoes.find((v) => v.periodId === periodId && v.indicatorId === indicatorId)?.state ?? 'none';
  const running = runningAnnual(
    periods.map((p) => p.score),
    definition,
  );
  const last = events.at(-1);
  return {
    appraisalId: row.appraisalId,
    cycleId: row.cycleId,
    subjectKind: row.subjectKind,
    employeeId: row.employeeId,
    orgUnitId: row.orgUnitId,
    workflowId: row.workflowId,
    workflowVersion: row.workflowVersion,
    status: row.status,
    periodsScored: periods.length,
    runningScore: running.score,
    runningGrade: running.grade,
    annualScore: row.annualScore,
    annualGrade: row.annualGrade,
    bonusCoefficient: row.bonusCoefficient,
    calibration: row.calibration,
    adjustments: row.adjustments,
    revision: row.revision,
    updatedAt: row.updatedAt,
    stale: stale ? { since: reasons[0]?.at ?? row.updatedAt.toISOString(), reasons } : null,
    periods: periods.map((p) => ({
      periodId: p.periodId,
      workflowVersion: p.workflowVersion,
      aggregation: p.aggregation,
      raw: p.raw,
      score: p.score,
      grade: p.grade,
      bonusCoefficient: p.bonusCoefficient,
      vetoed: p.vetoed,
      scoredAt: p.scoredAt,
      indicators: [...p.indicators]
        .sort((a, b) => a.position - b.position)
        .map((i) => ({
          indicatorId: i.indicatorId,
          actual: i.actual,
          rule: i.rule,
          score: i.score,
          weight: i.weight,
          contribution: i.contribution,
          veto: vetoState(p.periodId, i.indicatorId),
        })),
      behaviour: p.behaviour,
    })),
    vetoes: vetoes.map((v) => ({
      periodId: v.periodId,
      indicatorId: v.indicatorId,
      indicatorName: indicatorName(v.indicatorId),
      state: v.state,
      actual: v.actual,
      target: v.target,
      vetoValue: v.vetoValue,
      percentOfTarget: v.percentOfTarget,
      effect: v.effect,
    })),
    redLines: [...redLines.values()],
    asOf: {
      position: last ? last.position : null,
      at: last ? last.recordedAt.toISOString() : null,
      replayed: events.length,
    },
  };
}

const pick = (line: RedLineView) => ({ breachId: line.breachId, redLineId: line.redLineId, name: line.name });
