import type { PoolClient } from 'pg';
import type { WorkflowDefinition } from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';
import { wellFormed } from '../events/well-formed';
import { truncateTables, type Projection } from '../projection';
import {
  anyOf,
  columnList,
  groupByTenant,
  rowsByAppraisalId,
  runScript,
  tenantStatement,
  toRecords,
} from '../rls/tenant-batch';
import {
  SCORE_APPRAISAL_EVENTS,
  isAppraisalEvent,
  periodKey,
  projectScoreEvents,
  runningAnnual,
  type AppraisalScoreRow,
  type ScoreChanges,
} from './score.project';

/** The score tables, children first (the order `reset` empties them in). */
export const SCORE_TABLES = [
  'score_vetoes',
  'score_indicators',
  'score_periods',
  'score_appraisals',
  'score_workflow_versions',
] as const;

type Scoring = Pick<WorkflowDefinition, 'rounding' | 'grades'>;

const APPRAISAL_COLUMNS = [
  ['tenantId', 'tenant_id', 'text'],
  ['appraisalId', 'appraisal_id', 'text'],
  ['revision', 'revision', 'bigint'],
  ['cycleId', 'cycle_id', 'text'],
  ['subjectKind', 'subject_kind', 'text'],
  ['employeeId', 'employee_id', 'text'],
  ['orgUnitId', 'org_unit_id', 'text'],
  ['workflowId', 'workflow_id', 'text'],
  ['workflowVersion', 'workflow_version', 'integer'],
  ['status', 'status', 'text'],
  ['periodsScored', 'periods_scored', 'integer'],
  ['runningScore', 'running_score', 'numeric'],
  ['runningGrade', 'running_grade', 'text'],
  ['annualScore', 'annual_score', 'numeric'],
  ['annualGrade', 'annual_grade', 'text'],
  ['bonusCoefficient', 'bonus_coefficient', 'numeric'],
  ['calibration', 'calibration', 'text'],
  ['adjustments', 'adjustments', 'integer'],
  ['updatedAt', 'updated_at', 'timestamptz'],
] as const satisfies readonly (readonly [keyof AppraisalScoreRow, string, string])[];

const scoringKey = (workflowId: string, version: number) => `${workflowId}\u0000${version}`;

interface TenantBatch {
  tenant: string;
  workflows: RecordedEvent[];
  appraisalEvents: RecordedEvent[];
  ids: string[];
  /** Appraisals with a period scored in this batch: their other periods are loaded for the running score. */
  rescoredIds: string[];
}

function tenantBatch(tenant: string, events: RecordedEvent[]): TenantBatch {
  const appraisalEvents = events.filter(isAppraisalEvent);
  const idOf = (e: RecordedEvent) => (e.data as { appraisalId: string }).appraisalId;
  return {
    tenant,
    workflows: events.filter((e) => e.type === 'WorkflowVersionPublished' && wellFormed(e)),
    appraisalEvents,
    ids: [...new Set(appraisalEvents.map(idOf))],
    rescoredIds: [...new Set(appraisalEvents.filter((e) => e.type === 'PeriodScored').map(idOf))],
  };
}

/** One round trip for every tenant of the batch: its appraisal rows, their period scores, its scoring rules. */
function loadStatements(batch: TenantBatch): string[] {
  return [
    tenantStatement(batch.tenant),
    `SELECT ${columnList(APPRAISAL_COLUMNS)} FROM score_appraisals WHERE appraisal_id = ${anyOf(batch.ids)}`,
    `SELECT appraisal_id, period_id, score FROM score_periods WHERE appraisal_id = ${anyOf(batch.rescoredIds)}`,
    `SELECT workflow_id, version, definition->'rounding' AS rounding, definition->'grades' AS grades FROM score_workflow_versions`,
  ];
}

/** Running annual score of every appraisal whose periods changed, over all its periods (stored and new). */
function withRunning(
  changes: ScoreChanges,
  stored: { appraisal_id: string; period_id: string; score: string }[],
  scoring: Map<string, Scoring>,
): void {
  const periods = new Map<string, Map<string, string>>();
  for (const row of stored) {
    const scores = periods.get(row.appraisal_id) ?? new Map<string, string>();
    scores.set(row.period_id, row.score);
    periods.set(row.appraisal_id, scores);
  }
  for (const period of changes.periods.values()) {
    const scores = periods.get(period.appraisalId) ?? new Map<string, string>();
    scores.set(period.periodId, period.score);
    periods.set(period.appraisalId, scores);
  }
  for (const id of changes.rescored) {
    const appraisal = changes.appraisals.get(id)!;
    const scores = [...(periods.get(id)?.values() ?? [])];
    const running = runningAnnual(
      scores,
      scoring.get(scoringKey(appraisal.workflowId, appraisal.workflowVersion)) ?? null,
    );
    changes.appraisals.set(id, {
      ...appraisal,
      periodsScored: scores.length,
      runningScore: running.score,
      runningGrade: running.grade,
    });
  }
}

/**
 * A tenant group's writes as `score_projection_write` (migrations 0310, 0311) takes them; `stored`
 * holds the keys of the periods stored before this batch, whose breakdown a re-score replaces.
 */
function writeGroup(
  batch: TenantBatch,
  changes: ScoreChanges,
  stored: ReadonlySet<string>,
): Record<string, unknown> {
  const periods = [...changes.periods.values()];
  return {
    tenant: batch.tenant,
    workflows: batch.workflows.map((e) => {
      const data = e.data as { workflowId: string; version: number; definition: unknown };
      return {
        tenant_id: batch.tenant,
        workflow_id: data.workflowId,
        version: data.version,
        definition: data.definition,
      };
    }),
    replaced: periods
      .filter((p) => stored.has(periodKey(p.appraisalId, p.periodId)))
      .map((p) => ({ appraisal_id: p.appraisalId, period_id: p.periodId })),
    periods: periods.map((p) => ({
      tenant_id: p.tenantId,
      appraisal_id: p.appraisalId,
      period_id: p.periodId,
      workflow_version: p.workflowVersion,
      aggregation: p.aggregation,
      raw: p.raw,
      score: p.score,
      grade: p.grade,
      bonus_coefficient: p.bonusCoefficient,
      vetoed: p.vetoed,
      scored_at: p.scoredAt,
      behaviour: p.behaviour,
    })),
    indicators: periods.flatMap((p) =>
      p.indicators.map((i) => ({
        tenant_id: p.tenantId,
        appraisal_id: p.appraisalId,
        period_id: p.periodId,
        indicator_id: i.indicatorId,
        position: i.position,
        actual: i.actual,
        rule: i.rule,
        score: i.score,
        weight: i.weight,
        contribution: i.contribution,
      })),
    ),
    vetoes: [...changes.vetoes.values()].map((v) => ({
      tenant_id: v.tenantId,
      appraisal_id: v.appraisalId,
      period_id: v.periodId,
      indicator_id: v.indicatorId,
      state: v.state,
      actual: v.actual,
      target: v.target,
      veto_value: v.vetoValue,
      percent_of_target: v.percentOfTarget,
      effect: v.effect,
    })),
    appraisals: toRecords(changes.appraisals.values(), APPRAISAL_COLUMNS),
  };
}

/**
 * Score: per appraisal and period each indicator's breakdown, veto state, period score, running
 * annual score, grade and bonus coefficient; per unit the distribution (queried from these rows).
 * Two round trips per batch, whatever its tenants: one script loads what the batch touches, one
 * call of `score_projection_write` (migrations 0310, 0311) writes it; the fold between them is pure
 * (score.project.ts).
 */
export const scoreProjection: Projection = {
  name: 'score',
  // Rows derived from the log alone, nothing written elsewhere: batches commit without the WAL wait (ADR 0138).
  derivedOnly: true,
  eventTypes: ['WorkflowVersionPublished', ...SCORE_APPRAISAL_EVENTS],
  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const batches = [...groupByTenant(events)].map(([tenant, group]) => tenantBatch(tenant, group));
    const loaded = await runScript(tx, batches.flatMap(loadStatements));
    const writes = batches.flatMap((batch, i) => {
      const [, appraisals, periods, rules] = loaded.slice(i * 4, i * 4 + 4);
      const scoring = new Map<string, Scoring>(
        rules.rows.map((r) => [
          scoringKey(r.workflow_id, r.version),
          { rounding: r.rounding, grades: r.grades },
        ]),
      );
      for (const e of batch.workflows) {
        const data = e.data as { workflowId: string; version: number; definition: WorkflowDefinition };
        scoring.set(scoringKey(data.workflowId, data.version), data.definition);
      }
      const current = rowsByAppraisalId<AppraisalScoreRow>(appraisals.rows, APPRAISAL_COLUMNS);
      const changes = projectScoreEvents(current, batch.appraisalEvents);
      withRunning(changes, periods.rows, scoring);
      const stored = new Set(periods.rows.map((r) => periodKey(r.appraisal_id, r.period_id)));
      return writeGroup(batch, changes, stored);
    });
    // One call for every tenant's writes, set-based, each group under its own tenant setting.
    await tx.query('SELECT score_projection_write($1::jsonb)', [JSON.stringify(writes)]);
  },
  reset: (tx) => truncateTables(tx, SCORE_TABLES),
};
