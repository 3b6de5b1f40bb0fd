import type { Pool } from 'pg';
import { inTenantTransaction } from '@verity/platform';
import { camelCaseRow, camelCaseRows } from '../camel-case';
import { whereClause } from '../where-clause';
import {
  checkForcedDistribution,
  type DistributionViolation,
  type IndicatorBreakdown,
  type WorkflowDefinition,
} from '@verity/domain';
import type { AppraisalScoreRow, PeriodRow, VetoRow } from './score.project';

const APPRAISAL_SELECT = `SELECT appraisal_id, cycle_id, subject_kind, employee_id, org_unit_id, workflow_id,
  workflow_version, status, periods_scored, running_score, running_grade, annual_score, annual_grade,
  bonus_coefficient, calibration, adjustments, revision, updated_at FROM score_appraisals`;

export interface ScoreFilter {
  cycleId?: string;
  orgUnitIds?: string[];
  /** Limits the rows to these appraisees (a manager's reports); undefined: everyone in the tenant. */
  employeeIds?: string[];
  limit?: number;
}

/** The WHERE clause; the tenant is enforced by row-level security, not here. */
function where(filter: ScoreFilter): { sql: string; params: unknown[] } {
  const clause = whereClause();
  if (filter.cycleId) clause.add('cycle_id = ?', filter.cycleId);
  if (filter.orgUnitIds) clause.add('org_unit_id = ANY(?::text[])', filter.orgUnitIds);
  if (filter.employeeIds) clause.add('employee_id = ANY(?::text[])', filter.employeeIds);
  return clause.build();
}

/** An appraisal's `score_appraisals` row, as the queries return it (camelCase; the tenant is the caller's). */
export type AppraisalScore = Omit<AppraisalScoreRow, 'tenantId'>;

/** An indicator of a scored period, with its veto state. */
export interface ScoredIndicator extends IndicatorBreakdown {
  veto: 'none' | 'breached' | 'waived';
}

/** A scored period as the queries return it: its `score_periods` row, each indicator with its veto state. */
export interface ScoredPeriod extends Omit<PeriodRow, 'tenantId' | 'appraisalId' | 'indicators'> {
  indicators: ScoredIndicator[];
}

/** A period's veto on one indicator: its `score_vetoes` row. */
export type PeriodVeto = Omit<VetoRow, 'tenantId' | 'appraisalId'>;

/** One appraisal's score: the appraisal row, each scored period with its indicators and veto states. */
export async function readAppraisalScore(
  pool: Pool,
  tenantId: string,
  appraisalId: string,
): Promise<(AppraisalScore & { periods: ScoredPeriod[]; vetoes: PeriodVeto[] }) | null> {
  return inTenantTransaction(pool, tenantId, async (tx) => {
    const [appraisal] = (await tx.query(`${APPRAISAL_SELECT} WHERE appraisal_id = $1`, [appraisalId])).rows;
    if (!appraisal) return null;
    const periods = await tx.query(
      `SELECT p.period_id, p.workflow_version, p.aggregation, p.raw, p.score, p.grade, p.bonus_coefficient,
              p.vetoed, p.scored_at, p.behaviour,
              coalesce((SELECT json_agg(json_build_object(
                          'indicatorId', i.indicator_id, 'actual', i.actual::text, 'rule', i.rule,
                          'score', i.score::text, 'weight', i.weight::text, 'contribution', i.contribution::text,
                          'veto', coalesce(v.state, 'none')) ORDER BY i.position)
                          FROM score_indicators i
                          LEFT JOIN score_vetoes v ON v.appraisal_id = i.appraisal_id AND v.period_id = i.period_id
                                                  AND v.indicator_id = i.indicator_id
                         WHERE i.appraisal_id = p.appraisal_id AND i.period_id = p.period_id), '[]') AS indicators
         FROM score_periods p WHERE p.appraisal_id = $1 ORDER BY p.period_id`,
      [appraisalId],
    );
    const vetoes = await tx.query(
      `SELECT period_id, indicator_id, state, actual, target, veto_value, percent_of_target, effect
         FROM score_vetoes WHERE appraisal_id = $1 ORDER BY period_id, indicator_id`,
      [appraisalId],
    );
    return {
      ...camelCaseRow<AppraisalScore>(appraisal),
      periods: camelCaseRows<ScoredPeriod>(periods.rows),
      vetoes: camelCaseRows<PeriodVeto>(vetoes.rows),
    };
  });
}

/** Appraisal scores in the tenant, by cycle, unit and appraisees. */
export async function listScores(
  pool: Pool,
  tenantId: string,
  filter: ScoreFilter,
): Promise<AppraisalScore[]> {
  const { sql, params } = where(filter);
  params.push(Math.min(filter.limit ?? 100, 1000));
  return inTenantTransaction(pool, tenantId, async (tx) =>
    camelCaseRows<AppraisalScore>(
      (await tx.query(`${APPRAISAL_SELECT} ${sql} ORDER BY appraisal_id LIMIT $${params.length}`, params))
        .rows,
    ),
  );
}

export type UnitCalibration = 'not-started' | 'in-progress' | 'complete';

export interface UnitScores {
  appraisals: number;
  /** Annual results (scored, calibrated or final): count per grade, and score statistics. */
  annual: {
    count: number;
    grades: { grade: string; count: number; percent: string }[];
    scores: { min: string | null; max: string | null; average: string | null };
    bands: { from: number; to: number; count: number }[];
  };
  /** Appraisals not yet scored: their running annual grade so far. */
  running: { count: number; grades: { grade: string; count: number }[] };
  calibration: {
    status: UnitCalibration;
    notScored: number;
    toCalibrate: number;
    adjusted: number;
    final: number;
    /** Forced-distribution rules of the pinned workflow version(s) that the annual grades break. */
    violations: (DistributionViolation & { workflowId: string; workflowVersion: number })[];
  };
}

/** A unit's (or units') distribution of grades and scores and where its calibration stands. */
export async function unitScores(
  pool: Pool,
  tenantId: string,
  filter: ScoreFilter & { orgUnitIds: string[] },
): Promise<UnitScores> {
  const { sql, params } = where(filter);
  return inTenantTransaction(pool, tenantId, async (tx) => {
    // A withdrawn appraisal (the person left, ADR 0146) leaves its unit's distribution.
    const scoped = `WITH scoped AS (SELECT * FROM (${APPRAISAL_SELECT} ${sql}) listed WHERE status <> 'withdrawn')`;
    const counts = (
      await tx.query(
        `${scoped} SELECT count(*)::int AS appraisals,
                count(*) FILTER (WHERE calibration = 'not-scored')::int AS not_scored,
                count(*) FILTER (WHERE calibration = 'to-calibrate')::int AS to_calibrate,
                count(*) FILTER (WHERE calibration = 'adjusted')::int AS adjusted,
                count(*) FILTER (WHERE calibration = 'final')::int AS final,
                count(annual_score)::int AS annual_count,
                min(annual_score)::text AS min, max(annual_score)::text AS max,
                round(avg(annual_score), 2)::text AS average
           FROM scoped`,
        params,
      )
    ).rows[0];
    const grades = await tx.query(
      `${scoped} SELECT annual_grade AS grade, count(*)::int AS count,
              round(100.0 * count(*) / sum(count(*)) OVER (), 2)::text AS percent
         FROM scoped WHERE annual_grade IS NOT NULL GROUP BY annual_grade ORDER BY annual_grade`,
      params,
    );
    const bands = await tx.query(
      `${scoped} SELECT (floor(annual_score / 10) * 10)::int AS "from", (floor(annual_score / 10) * 10 + 10)::int AS "to",
              count(*)::int AS count
         FROM scoped WHERE annual_score IS NOT NULL GROUP BY 1, 2 ORDER BY 1`,
      params,
    );
    const running = await tx.query(
      `${scoped} SELECT running_grade AS grade, count(*)::int AS count FROM scoped
        WHERE annual_grade IS NULL AND running_grade IS NOT NULL GROUP BY running_grade ORDER BY running_grade`,
      params,
    );
    const pinned = await tx.query<{
      workflow_id: string;
      workflow_version: number;
      grades: string[];
      definition: WorkflowDefinition | null;
    }>(
      `${scoped} SELECT s.workflow_id, s.workflow_version, array_agg(s.annual_grade) AS grades, w.definition
         FROM scoped s LEFT JOIN score_workflow_versions w ON w.workflow_id = s.workflow_id AND w.version = s.workflow_version
        WHERE s.annual_grade IS NOT NULL GROUP BY s.workflow_id, s.workflow_version, w.definition`,
      params,
    );
    const violations = pinned.rows.flatMap((row) =>
      checkForcedDistribution(row.definition?.forcedDistribution ?? [], row.grades).map((violation) => ({
        ...violation,
        workflowId: row.workflow_id,
        workflowVersion: row.workflow_version,
      })),
    );
    const status: UnitCalibration =
      counts.appraisals > 0 && counts.final === counts.appraisals
        ? 'complete'
        : counts.to_calibrate + counts.adjusted + counts.final > 0
          ? 'in-progress'
          : 'not-started';
    return {
      appraisals: counts.appraisals,
      annual: {
        count: counts.annual_count,
        grades: grades.rows,
        scores: { min: counts.min, max: counts.max, average: counts.average },
        bands: bands.rows,
      },
      running: {
        count: running.rows.reduce((n: number, r: { count: number }) => n + r.count, 0),
        grades: running.rows,
      },
      calibration: {
        status,
        notScored: counts.not_scored,
        toCalibrate: counts.to_calibrate,
        adjusted: counts.adjusted,
        final: counts.final,
        violations,
      },
    };
  });
}

/** One line of the score report: a scored period of an appraisal, or its annual (or running) result. */
export interface ScoreReportRow {
  cycleId: string;
  orgUnitId: string;
  employeeId: string | null;
  appraisalId: string;
  /** A period id (`2025-02`), or `annual`. */
  periodId: string;
  /** `period`: a scored period; `annual`: the annual result; `running`: the average so far, not yet annual. */
  basis: 'period' | 'annual' | 'running';
  score: string | null;
  grade: string | null;
  bonusCoefficient: string | null;
  vetoed: boolean | null;
  /** The month's behaviour score as it counted in `score` and its weight (ADR 0131); null without weekly plans or on annual lines. */
  behaviourScore: string | null;
  behaviourWeight: string | null;
  status: string;
}

/**
 * The score report's lines by unit, appraisal and period, a batch at a time (keyset on unit and
 * appraisal), so an export of a large tenant never holds it all in memory. `periodId` keeps one
 * period's lines (`annual`: the annual lines only).
 */
export async function* scoreReportRows(
  pool: Pool,
  tenantId: string,
  filter: ScoreFilter & { periodId?: string },
  batchSize = 500,
): AsyncGenerator<ScoreReportRow[]> {
  // Assigned inside the transaction's callback, which narrowing does not follow: typed by assertion.
  let after = null as { orgUnitId: string; appraisalId: string } | null;
  for (;;) {
    const { sql, params } = where(filter);
    const clauses = sql ? [sql.replace(/^WHERE /, '')] : [];
    if (after) {
      params.push(after.orgUnitId, after.appraisalId);
      clauses.push(`(org_unit_id, appraisal_id) > ($${params.length - 1}, $${params.length})`);
    }
    params.push(batchSize);
    const batch = await inTenantTransaction(pool, tenantId, async (tx) => {
      const appraisals = (
        await tx.query<{
          appraisal_id: string;
          cycle_id: string;
          org_unit_id: string;
          employee_id: string | null;
          status: string;
          running_score: string | null;
          running_grade: string | null;
          annual_score: string | null;
          annual_grade: string | null;
          bonus_coefficient: string | null;
        }>(
          `SELECT appraisal_id, cycle_id, org_unit_id, employee_id, status, running_score::text,
                  running_grade, annual_score::text, annual_grade, bonus_coefficient::text
             FROM score_appraisals ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
            ORDER BY org_unit_id, appraisal_id LIMIT $${params.length}`,
          params,
        )
      ).rows;
      if (appraisals.length === 0) return { appraisals: 0, lines: [] };
      after = {
        orgUnitId: appraisals[appraisals.length - 1].org_unit_id,
        appraisalId: appraisals[appraisals.length - 1].appraisal_id,
      };
      const periods =
        filter.periodId === 'annual'
          ? []
          : (
              await tx.query<{
                appraisal_id: string;
                period_id: string;
                score: string;
                grade: string;
                bonus_coefficient: string;
                vetoed: boolean;
                behaviour_score: string | null;
                behaviour_weight: string | null;
              }>(
                `SELECT appraisal_id, period_id, score::text, grade, bonus_coefficient::text, vetoed,
                        behaviour->>'score' AS behaviour_score, behaviour->>'weight' AS behaviour_weight
                   FROM score_periods
                  WHERE appraisal_id = ANY($1::text[]) AND ($2::text IS NULL OR period_id = $2)
                  ORDER BY appraisal_id, period_id`,
                [appraisals.map((row) => row.appraisal_id), filter.periodId ?? null],
              )
            ).rows;
      const lines = appraisals.flatMap((appraisal): ScoreReportRow[] => {
        const common = {
          cycleId: appraisal.cycle_id,
          orgUnitId: appraisal.org_unit_id,
          employeeId: appraisal.employee_id,
          appraisalId: appraisal.appraisal_id,
          status: appraisal.status,
        };
        const lines: ScoreReportRow[] = periods
          .filter((period) => period.appraisal_id === appraisal.appraisal_id)
          .map((period) => ({
            ...common,
            periodId: period.period_id,
            basis: 'period',
            score: period.score,
            grade: period.grade,
            bonusCoefficient: period.bonus_coefficient,
            vetoed: period.vetoed,
            behaviourScore: period.behaviour_score,
            behaviourWeight: period.behaviour_weight,
          }));
        if (filter.periodId === undefined || filter.periodId === 'annual') {
          const annual = appraisal.annual_score !== null;
          lines.push({
            ...common,
            periodId: 'annual',
            basis: annual ? 'annual' : 'running',
            score: annual ? appraisal.annual_score : appraisal.running_score,
            grade: annual ? appraisal.annual_grade : appraisal.running_grade,
            bonusCoefficient: annual ? appraisal.bonus_coefficient : null,
            vetoed: null,
            behaviourScore: null,
            behaviourWeight: null,
          });
        }
        return lines;
      });
      return { appraisals: appraisals.length, lines };
    });
    if (batch.lines.length > 0) yield batch.lines;
    // A short batch of appraisals was the last one.
    if (batch.appraisals < batchSize) return;
  }
}
