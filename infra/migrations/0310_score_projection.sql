-- Up Migration

-- Score read model (libs/projections/src/score). Every table: tenant_id first, ENABLE + FORCE row-level
-- security on `verity.tenant_id` (FORCE because the app role owns the tables).

-- Published workflow versions the projection has seen: their rounding and grade bands give the running
-- annual score, their forced distribution the calibration check. Immutable once published.
CREATE TABLE score_workflow_versions (
  tenant_id   text NOT NULL,
  workflow_id text NOT NULL,
  version     integer NOT NULL,
  definition  jsonb NOT NULL,
  PRIMARY KEY (tenant_id, workflow_id, version)
);

-- One row per appraisal. `revision` is the last stream revision applied: the idempotency guard.
CREATE TABLE score_appraisals (
  tenant_id         text NOT NULL,
  appraisal_id      text NOT NULL,
  revision          bigint NOT NULL,
  cycle_id          text NOT NULL,
  subject_kind      text NOT NULL,
  employee_id       text,
  org_unit_id       text NOT NULL,
  workflow_id       text NOT NULL,
  workflow_version  integer NOT NULL,
  status            text NOT NULL,
  periods_scored    integer NOT NULL DEFAULT 0,
  -- The average of the periods scored so far, rounded per the workflow version, and its grade.
  running_score     numeric,
  running_grade     text,
  -- The annual result once scored (then calibrated, appealed, closed).
  annual_score      numeric,
  annual_grade      text,
  bonus_coefficient numeric,
  calibration       text NOT NULL CHECK (calibration IN ('not-scored', 'to-calibrate', 'adjusted', 'final')),
  adjustments       integer NOT NULL DEFAULT 0,
  updated_at        timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, appraisal_id)
);
CREATE INDEX score_appraisals_unit ON score_appraisals (tenant_id, org_unit_id, cycle_id);
CREATE INDEX score_appraisals_employee ON score_appraisals (tenant_id, employee_id);

-- One row per scored period: the latest PeriodScored of that period (a re-score replaces it).
CREATE TABLE score_periods (
  tenant_id         text NOT NULL,
  appraisal_id      text NOT NULL,
  period_id         text NOT NULL,
  workflow_version  integer NOT NULL,
  aggregation       text NOT NULL,
  raw               numeric NOT NULL,
  score             numeric NOT NULL,
  grade             text NOT NULL,
  bonus_coefficient numeric NOT NULL,
  vetoed            boolean NOT NULL,
  scored_at         timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, appraisal_id, period_id)
);

-- Each indicator's breakdown in a scored period, as the PeriodScored event carried it.
CREATE TABLE score_indicators (
  tenant_id    text NOT NULL,
  appraisal_id text NOT NULL,
  period_id    text NOT NULL,
  indicator_id text NOT NULL,
  position     integer NOT NULL,
  actual       numeric,
  rule         text NOT NULL,
  score        numeric NOT NULL,
  weight       numeric NOT NULL,
  contribution numeric,
  PRIMARY KEY (tenant_id, appraisal_id, period_id, indicator_id)
);

-- Veto state per period and key strategic indicator: breached (with the numbers) or waived.
CREATE TABLE score_vetoes (
  tenant_id         text NOT NULL,
  appraisal_id      text NOT NULL,
  period_id         text NOT NULL,
  indicator_id      text NOT NULL,
  state             text NOT NULL CHECK (state IN ('breached', 'waived')),
  actual            numeric,
  target            numeric,
  veto_value        numeric,
  percent_of_target numeric,
  effect            jsonb,
  PRIMARY KEY (tenant_id, appraisal_id, period_id, indicator_id)
);

ALTER TABLE score_workflow_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_workflow_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY score_workflow_versions_tenant ON score_workflow_versions
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

ALTER TABLE score_appraisals ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_appraisals FORCE ROW LEVEL SECURITY;
CREATE POLICY score_appraisals_tenant ON score_appraisals
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

ALTER TABLE score_periods ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_periods FORCE ROW LEVEL SECURITY;
CREATE POLICY score_periods_tenant ON score_periods
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

ALTER TABLE score_indicators ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_indicators FORCE ROW LEVEL SECURITY;
CREATE POLICY score_indicators_tenant ON score_indicators
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

ALTER TABLE score_vetoes ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_vetoes FORCE ROW LEVEL SECURITY;
CREATE POLICY score_vetoes_tenant ON score_vetoes
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

-- The projection's writes for one batch, all tenants at once: `groups` is a JSON array of
-- { tenant, workflows, periods, indicators, vetoes, appraisals }. One call is one round trip with
-- one parameter (a large SQL literal parses several times slower). SECURITY INVOKER (the default):
-- RLS applies, and each group's rows must match the tenant set for it.
CREATE FUNCTION score_projection_write(groups jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g jsonb;
BEGIN
  FOR g IN SELECT value FROM jsonb_array_elements(groups) LOOP
    PERFORM set_config('verity.tenant_id', g->>'tenant', true);
    -- Published versions are immutable: a redelivery is a no-op.
    INSERT INTO score_workflow_versions (tenant_id, workflow_id, version, definition)
      SELECT tenant_id, workflow_id, version, definition
        FROM jsonb_to_recordset(g->'workflows') AS r(tenant_id text, workflow_id text, version integer, definition jsonb)
      ON CONFLICT DO NOTHING;
    INSERT INTO score_periods (tenant_id, appraisal_id, period_id, workflow_version, aggregation, raw, score, grade,
                               bonus_coefficient, vetoed, scored_at)
      SELECT tenant_id, appraisal_id, period_id, workflow_version, aggregation, raw, score, grade, bonus_coefficient,
             vetoed, scored_at
        FROM jsonb_to_recordset(g->'periods') AS r(tenant_id text, appraisal_id text, period_id text,
             workflow_version integer, aggregation text, raw numeric, score numeric, grade text,
             bonus_coefficient numeric, vetoed boolean, scored_at timestamptz)
      ON CONFLICT (tenant_id, appraisal_id, period_id) DO UPDATE SET
        workflow_version = EXCLUDED.workflow_version, aggregation = EXCLUDED.aggregation, raw = EXCLUDED.raw,
        score = EXCLUDED.score, grade = EXCLUDED.grade, bonus_coefficient = EXCLUDED.bonus_coefficient,
        vetoed = EXCLUDED.vetoed, scored_at = EXCLUDED.scored_at;
    -- A re-score replaces the period's breakdown (a migrated workflow may have other indicators).
    DELETE FROM score_indicators i
      USING jsonb_to_recordset(g->'periods') AS p(appraisal_id text, period_id text)
      WHERE i.appraisal_id = p.appraisal_id AND i.period_id = p.period_id;
    INSERT INTO score_indicators (tenant_id, appraisal_id, period_id, indicator_id, position, actual, rule, score,
                                  weight, contribution)
      SELECT tenant_id, appraisal_id, period_id, indicator_id, position, actual, rule, score, weight, contribution
        FROM jsonb_to_recordset(g->'indicators') AS r(tenant_id text, appraisal_id text, period_id text,
             indicator_id text, position integer, actual numeric, rule text, score numeric, weight numeric,
             contribution numeric);
    -- A waiver keeps the numbers of the breach it waives.
    INSERT INTO score_vetoes (tenant_id, appraisal_id, period_id, indicator_id, state, actual, target, veto_value,
                              percent_of_target, effect)
      SELECT tenant_id, appraisal_id, period_id, indicator_id, state, actual, target, veto_value, percent_of_target,
             effect
        FROM jsonb_to_recordset(g->'vetoes') AS r(tenant_id text, appraisal_id text, period_id text,
             indicator_id text, state text, actual numeric, target numeric, veto_value numeric,
             percent_of_target numeric, effect jsonb)
      ON CONFLICT (tenant_id, appraisal_id, period_id, indicator_id) DO UPDATE SET
        state = EXCLUDED.state,
        actual = coalesce(EXCLUDED.actual, score_vetoes.actual),
        target = coalesce(EXCLUDED.target, score_vetoes.target),
        veto_value = coalesce(EXCLUDED.veto_value, score_vetoes.veto_value),
        percent_of_target = coalesce(EXCLUDED.percent_of_target, score_vetoes.percent_of_target),
        effect = coalesce(EXCLUDED.effect, score_vetoes.effect);
    INSERT INTO score_appraisals (tenant_id, appraisal_id, revision, cycle_id, subject_kind, employee_id, org_unit_id,
                                  workflow_id, workflow_version, status, periods_scored, running_score, running_grade,
                                  annual_score, annual_grade, bonus_coefficient, calibration, adjustments, updated_at)
      SELECT tenant_id, appraisal_id, revision, cycle_id, subject_kind, employee_id, org_unit_id, workflow_id,
             workflow_version, status, periods_scored, running_score, running_grade, annual_score, annual_grade,
             bonus_coefficient, calibration, adjustments, updated_at
        FROM jsonb_to_recordset(g->'appraisals') AS r(tenant_id text, appraisal_id text, revision bigint,
             cycle_id text, subject_kind text, employee_id text, org_unit_id text, workflow_id text,
             workflow_version integer, status text, periods_scored integer, running_score numeric,
             running_grade text, annual_score numeric, annual_grade text, bonus_coefficient numeric,
             calibration text, adjustments integer, updated_at timestamptz)
      ON CONFLICT (tenant_id, appraisal_id) DO UPDATE SET
        revision = EXCLUDED.revision, cycle_id = EXCLUDED.cycle_id, subject_kind = EXCLUDED.subject_kind,
        employee_id = EXCLUDED.employee_id, org_unit_id = EXCLUDED.org_unit_id, workflow_id = EXCLUDED.workflow_id,
        workflow_version = EXCLUDED.workflow_version, status = EXCLUDED.status,
        periods_scored = EXCLUDED.periods_scored, running_score = EXCLUDED.running_score,
        running_grade = EXCLUDED.running_grade, annual_score = EXCLUDED.annual_score,
        annual_grade = EXCLUDED.annual_grade, bonus_coefficient = EXCLUDED.bonus_coefficient,
        calibration = EXCLUDED.calibration, adjustments = EXCLUDED.adjustments, updated_at = EXCLUDED.updated_at;
  END LOOP;
END
$$;

-- Down Migration
DROP FUNCTION score_projection_write(jsonb);
DROP TABLE score_vetoes;
DROP TABLE score_indicators;
DROP TABLE score_periods;
DROP TABLE score_appraisals;
DROP TABLE score_workflow_versions;
