import type { PoolClient } from 'pg';
import type { WorkflowDefinition } from '@verity/domain';
import type { ConsumerHandler, RecordedEvent } from '@verity/event-store';
import { groupByTenant, setTenant, unnestParams } from '../rls/tenant-batch';
import {
  SCORE_APPRAISAL_EVENTS,
  isAppraisalEvent,
  projectScoreEvents,
  runningAnnual,
  type AppraisalScoreRow,
  type Calibration,
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

const APPRAISAL_COLUMNS: [keyof AppraisalScoreRow, string, string][] = [
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
];

interface AppraisalRecord {
  tenant_id: string;
  appraisal_id: string;
  revision: string;
  cycle_id: string;
  subject_kind: string;
  employee_id: string | null;
  org_unit_id: string;
  workflow_id: string;
  workflow_version: number;
  status: string;
  periods_scored: number;
  running_score: string | null;
  running_grade: string | null;
  annual_score: string | null;
  annual_grade: string | null;
  bonus_coefficient: string | null;
  calibration: Calibration;
  adjustments: number;
  updated_at: Date;
}

function fromRecord(r: AppraisalRecord): AppraisalScoreRow {
  return {
    tenantId: r.tenant_id,
    appraisalId: r.appraisal_id,
    revision: r.revision,
    cycleId: r.cycle_id,
    subjectKind: r.subject_kind,
    employeeId: r.employee_id,
    orgUnitId: r.org_unit_id,
    workflowId: r.workflow_id,
    workflowVersion: r.workflow_version,
    status: r.status,
    periodsScored: r.periods_scored,
    runningScore: r.running_score,
    runningGrade: r.running_grade,
    annualScore: r.annual_score,
    annualGrade: r.annual_grade,
    bonusCoefficient: r.bonus_coefficient,
    calibration: r.calibration,
    adjustments: r.adjustments,
    updatedAt: r.updated_at,
  };
}

async function loadAppraisals(tx: PoolClient, ids: string[]): Promise<Map<string, AppraisalScoreRow>> {
  const { rows } = await tx.query<AppraisalRecord>(
    // pg returns bigint and numeric as strings: scores stay exact decimal strings.
    `SELECT ${APPRAISAL_COLUMNS.map(([, c]) => c).join(', ')} FROM score_appraisals WHERE appraisal_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.appraisal_id, fromRecord(r)]));
}

async function savePeriods(tx: PoolClient, changes: ScoreChanges): Promise<void> {
  const periods = [...changes.periods.values()];
  if (periods.length === 0) return;
  await tx.query(
    `INSERT INTO score_periods (tenant_id, appraisal_id, period_id, workflow_version, aggregation, raw, score, grade,
                                bonus_coefficient, vetoed, scored_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::numeric[], $7::numeric[],
                          $8::text[], $9::numeric[], $10::boolean[], $11::timestamptz[])
     ON CONFLICT (tenant_id, appraisal_id, period_id) DO UPDATE SET
       workflow_version = EXCLUDED.workflow_version, aggregation = EXCLUDED.aggregation, raw = EXCLUDED.raw,
       score = EXCLUDED.score, grade = EXCLUDED.grade, bonus_coefficient = EXCLUDED.bonus_coefficient,
       vetoed = EXCLUDED.vetoed, scored_at = EXCLUDED.scored_at`,
    unnestParams(periods, [
      (p) => p.tenantId,
      (p) => p.appraisalId,
      (p) => p.periodId,
      (p) => p.workflowVersion,
      (p) => p.aggregation,
      (p) => p.raw,
      (p) => p.score,
      (p) => p.grade,
      (p) => p.bonusCoefficient,
      (p) => p.vetoed,
      (p) => p.scoredAt,
    ]),
  );
  // A re-score replaces the period's breakdown (a migrated workflow may have other indicators).
  await tx.query(
    `DELETE FROM score_indicators i USING unnest($1::text[], $2::text[]) AS p(appraisal_id, period_id)
      WHERE i.appraisal_id = p.appraisal_id AND i.period_id = p.period_id`,
    unnestParams(periods, [(p) => p.appraisalId, (p) => p.periodId]),
  );
  const indicators = periods.flatMap((p) => p.indicators.map((i) => ({ ...i, period: p })));
  if (indicators.length === 0) return;
  await tx.query(
    `INSERT INTO score_indicators (tenant_id, appraisal_id, period_id, indicator_id, position, actual, rule, score,
                                   weight, contribution)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::numeric[], $7::text[],
                          $8::numeric[], $9::numeric[], $10::numeric[])`,
    unnestParams(indicators, [
      (i) => i.period.tenantId,
      (i) => i.period.appraisalId,
      (i) => i.period.periodId,
      (i) => i.indicatorId,
      (i) => i.position,
      (i) => i.actual,
      (i) => i.rule,
      (i) => i.score,
      (i) => i.weight,
      (i) => i.contribution,
    ]),
  );
}

async function saveVetoes(tx: PoolClient, changes: ScoreChanges): Promise<void> {
  const vetoes = [...changes.vetoes.values()];
  if (vetoes.length === 0) return;
  // A waiver keeps the numbers of the breach it waives.
  await tx.query(
    `INSERT INTO score_vetoes (tenant_id, appraisal_id, period_id, indicator_id, state, actual, target, veto_value,
                               percent_of_target, effect)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[],
                          $8::numeric[], $9::numeric[], $10::jsonb[])
     ON CONFLICT (tenant_id, appraisal_id, period_id, indicator_id) DO UPDATE SET
       state = EXCLUDED.state,
       actual = coalesce(EXCLUDED.actual, score_vetoes.actual),
       target = coalesce(EXCLUDED.target, score_vetoes.target),
       veto_value = coalesce(EXCLUDED.veto_value, score_vetoes.veto_value),
       percent_of_target = coalesce(EXCLUDED.percent_of_target, score_vetoes.percent_of_target),
       effect = coalesce(EXCLUDED.effect, score_vetoes.effect)`,
    unnestParams(vetoes, [
      (v) => v.tenantId,
      (v) => v.appraisalId,
      (v) => v.periodId,
      (v) => v.indicatorId,
      (v) => v.state,
      (v) => v.actual,
      (v) => v.target,
      (v) => v.vetoValue,
      (v) => v.percentOfTarget,
      (v) => (v.effect === null ? null : JSON.stringify(v.effect)),
    ]),
  );
}

/** Recomputes the running annual score of every appraisal whose periods changed, from all its periods. */
async function refreshRunning(tx: PoolClient, changes: ScoreChanges): Promise<void> {
  if (changes.rescored.size === 0) return;
  const ids = [...changes.rescored];
  const { rows } = await tx.query<{
    appraisal_id: string;
    scores: string[];
    definition: WorkflowDefinition | null;
  }>(
    `SELECT a.appraisal_id, array_agg(p.score::text ORDER BY p.period_id) AS scores, w.definition
       FROM unnest($1::text[], $2::text[], $3::integer[]) AS a(appraisal_id, workflow_id, workflow_version)
       JOIN score_periods p ON p.appraisal_id = a.appraisal_id
       LEFT JOIN score_workflow_versions w ON w.workflow_id = a.workflow_id AND w.version = a.workflow_version
      GROUP BY a.appraisal_id, w.definition`,
    [
      ids,
      ids.map((id) => changes.appraisals.get(id)!.workflowId),
      ids.map((id) => changes.appraisals.get(id)!.workflowVersion),
    ],
  );
  for (const row of rows) {
    const appraisal = changes.appraisals.get(row.appraisal_id)!;
    const running = runningAnnual(row.scores, row.definition);
    changes.appraisals.set(row.appraisal_id, {
      ...appraisal,
      periodsScored: row.scores.length,
      runningScore: running.score,
      runningGrade: running.grade,
    });
  }
}

async function saveAppraisals(tx: PoolClient, changes: ScoreChanges): Promise<void> {
  const rows = [...changes.appraisals.values()];
  if (rows.length === 0) return;
  const columns = APPRAISAL_COLUMNS.map(([, c]) => c);
  const params = APPRAISAL_COLUMNS.map(([, , t], i) => `$${i + 1}::${t}[]`).join(', ');
  const updates = columns
    .filter((c) => c !== 'tenant_id' && c !== 'appraisal_id')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  await tx.query(
    `INSERT INTO score_appraisals (${columns.join(', ')}) SELECT * FROM unnest(${params})
     ON CONFLICT (tenant_id, appraisal_id) DO UPDATE SET ${updates}`,
    unnestParams(
      rows,
      APPRAISAL_COLUMNS.map(
        ([key]) =>
          (row: AppraisalScoreRow) =>
            row[key],
      ),
    ),
  );
}

async function saveWorkflowVersions(tx: PoolClient, events: RecordedEvent[]): Promise<void> {
  const published = events.filter((e) => e.type === 'WorkflowVersionPublished');
  if (published.length === 0) return;
  const data = (e: RecordedEvent) => e.data as { workflowId: string; version: number; definition: unknown };
  // Published versions are immutable: a redelivery is a no-op.
  await tx.query(
    `INSERT INTO score_workflow_versions (tenant_id, workflow_id, version, definition)
     SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::jsonb[]) ON CONFLICT DO NOTHING`,
    unnestParams(published, [
      (e) => e.metadata.tenantId,
      (e) => data(e).workflowId,
      (e) => data(e).version,
      (e) => JSON.stringify(data(e).definition),
    ]),
  );
}

async function projectTenant(tx: PoolClient, events: RecordedEvent[]): Promise<void> {
  await saveWorkflowVersions(tx, events);
  const appraisalEvents = events.filter(isAppraisalEvent);
  if (appraisalEvents.length === 0) return;
  const ids = [...new Set(appraisalEvents.map((e) => (e.data as { appraisalId: string }).appraisalId))];
  const changes = projectScoreEvents(await loadAppraisals(tx, ids), appraisalEvents);
  await savePeriods(tx, changes);
  await saveVetoes(tx, changes);
  await refreshRunning(tx, changes);
  await saveAppraisals(tx, changes);
}

/**
 * Score: per appraisal and period each indicator's breakdown, veto state, period score, running
 * annual score, grade and bonus coefficient; per unit the distribution (queried from these rows).
 */
export const scoreProjection: ConsumerHandler & { reset(tx: PoolClient): Promise<void> } = {
  name: 'score',
  eventTypes: ['WorkflowVersionPublished', ...SCORE_APPRAISAL_EVENTS],
  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const [tenant, group] of groupByTenant(events)) {
      await setTenant(tx, tenant);
      await projectTenant(tx, group);
    }
  },
  /** Empties every tenant's rows (TRUNCATE is not filtered by row-level security). */
  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${SCORE_TABLES.join(', ')}`);
  },
};
