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

-- Down Migration
DROP TABLE score_vetoes;
DROP TABLE score_indicators;
DROP TABLE score_periods;
DROP TABLE score_appraisals;
DROP TABLE score_workflow_versions;
