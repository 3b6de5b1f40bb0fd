-- Up Migration

-- A period's score keeps the month's behaviour score as it counted (docs/adr/0131): the scored weeks,
-- their roll-up, its weight and the scorecard's own score, as the PeriodScored event (v2) carries them.
-- Null for a workflow without weekly plans and for periods scored before. score_projection_write (0311)
-- writes it; nothing else in the function changes.

ALTER TABLE score_periods ADD COLUMN behaviour jsonb;

CREATE OR REPLACE FUNCTION score_projection_write(groups jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g jsonb;
BEGIN
  FOR g IN SELECT value FROM jsonb_array_elements(groups) LOOP
    PERFORM set_config('verity.tenant_id', g->>'tenant', true);
    -- Published versions are immutable: a redelivery is a no-op.
    IF jsonb_array_length(g->'workflows') > 0 THEN
      INSERT INTO score_workflow_versions (tenant_id, workflow_id, version, definition)
        SELECT tenant_id, workflow_id, version, definition
          FROM jsonb_to_recordset(g->'workflows') AS r(tenant_id text, workflow_id text, version integer, definition jsonb)
        ON CONFLICT DO NOTHING;
    END IF;
    -- A re-score replaces the period's breakdown (a migrated workflow may have other indicators). Only
    -- periods stored by an earlier batch have one; the statement is planned on each call (EXECUTE) with the
    -- table's current size and the number of periods: a plan cached while the table was nearly empty (early
    -- in a rebuild) hash-joined every indicator row of the tenant, for every batch.
    IF jsonb_array_length(g->'replaced') > 0 THEN
      EXECUTE 'DELETE FROM score_indicators i USING unnest($1::text[], $2::text[]) AS p(appraisal_id, period_id)
                WHERE i.appraisal_id = p.appraisal_id AND i.period_id = p.period_id'
        USING ARRAY(SELECT r->>'appraisal_id' FROM jsonb_array_elements(g->'replaced') AS r),
              ARRAY(SELECT r->>'period_id' FROM jsonb_array_elements(g->'replaced') AS r);
    END IF;
    IF jsonb_array_length(g->'periods') > 0 THEN
      INSERT INTO score_periods (tenant_id, appraisal_id, period_id, workflow_version, aggregation, raw, score, grade,
                                 bonus_coefficient, vetoed, scored_at, behaviour)
        SELECT tenant_id, appraisal_id, period_id, workflow_version, aggregation, raw, score, grade, bonus_coefficient,
               vetoed, scored_at, behaviour
          FROM jsonb_to_recordset(g->'periods') AS r(tenant_id text, appraisal_id text, period_id text,
               workflow_version integer, aggregation text, raw numeric, score numeric, grade text,
               bonus_coefficient numeric, vetoed boolean, scored_at timestamptz, behaviour jsonb)
        ON CONFLICT (tenant_id, appraisal_id, period_id) DO UPDATE SET
          workflow_version = EXCLUDED.workflow_version, aggregation = EXCLUDED.aggregation, raw = EXCLUDED.raw,
          score = EXCLUDED.score, grade = EXCLUDED.grade, bonus_coefficient = EXCLUDED.bonus_coefficient,
          vetoed = EXCLUDED.vetoed, scored_at = EXCLUDED.scored_at, behaviour = EXCLUDED.behaviour;
      INSERT INTO score_indicators (tenant_id, appraisal_id, period_id, indicator_id, position, actual, rule, score,
                                    weight, contribution)
        SELECT tenant_id, appraisal_id, period_id, indicator_id, position, actual, rule, score, weight, contribution
          FROM jsonb_to_recordset(g->'indicators') AS r(tenant_id text, appraisal_id text, period_id text,
               indicator_id text, position integer, actual numeric, rule text, score numeric, weight numeric,
               contribution numeric);
    END IF;
    -- A waiver keeps the numbers of the breach it waives.
    IF jsonb_array_length(g->'vetoes') > 0 THEN
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
    END IF;
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

CREATE OR REPLACE FUNCTION score_projection_write(groups jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g jsonb;
BEGIN
  FOR g IN SELECT value FROM jsonb_array_elements(groups) LOOP
    PERFORM set_config('verity.tenant_id', g->>'tenant', true);
    -- Published versions are immutable: a redelivery is a no-op.
    IF jsonb_array_length(g->'workflows') > 0 THEN
      INSERT INTO score_workflow_versions (tenant_id, workflow_id, version, definition)
        SELECT tenant_id, workflow_id, version, definition
          FROM jsonb_to_recordset(g->'workflows') AS r(tenant_id text, workflow_id text, version integer, definition jsonb)
        ON CONFLICT DO NOTHING;
    END IF;
    -- A re-score replaces the period's breakdown (a migrated workflow may have other indicators). Only
    -- periods stored by an earlier batch have one; the statement is planned on each call (EXECUTE) with the
    -- table's current size and the number of periods: a plan cached while the table was nearly empty (early
    -- in a rebuild) hash-joined every indicator row of the tenant, for every batch.
    IF jsonb_array_length(g->'replaced') > 0 THEN
      EXECUTE 'DELETE FROM score_indicators i USING unnest($1::text[], $2::text[]) AS p(appraisal_id, period_id)
                WHERE i.appraisal_id = p.appraisal_id AND i.period_id = p.period_id'
        USING ARRAY(SELECT r->>'appraisal_id' FROM jsonb_array_elements(g->'replaced') AS r),
              ARRAY(SELECT r->>'period_id' FROM jsonb_array_elements(g->'replaced') AS r);
    END IF;
    IF jsonb_array_length(g->'periods') > 0 THEN
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
      INSERT INTO score_indicators (tenant_id, appraisal_id, period_id, indicator_id, position, actual, rule, score,
                                    weight, contribution)
        SELECT tenant_id, appraisal_id, period_id, indicator_id, position, actual, rule, score, weight, contribution
          FROM jsonb_to_recordset(g->'indicators') AS r(tenant_id text, appraisal_id text, period_id text,
               indicator_id text, position integer, actual numeric, rule text, score numeric, weight numeric,
               contribution numeric);
    END IF;
    -- A waiver keeps the numbers of the breach it waives.
    IF jsonb_array_length(g->'vetoes') > 0 THEN
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
    END IF;
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

ALTER TABLE score_periods DROP COLUMN behaviour;
