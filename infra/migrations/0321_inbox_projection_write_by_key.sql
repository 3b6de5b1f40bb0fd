-- Up Migration

-- inbox_projection_write (0320) without its cost that grew with the read model: the progress update
-- of steps opened by earlier batches is planned for the table as it is, and sections the batch does
-- not have are skipped. Same parameter, same rows.

CREATE OR REPLACE FUNCTION inbox_projection_write(groups jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g jsonb;
BEGIN
  FOR g IN SELECT value FROM jsonb_array_elements(groups) LOOP
    PERFORM set_config('verity.tenant_id', g->>'tenant', true);
    IF jsonb_array_length(g->'opened') > 0 THEN
      INSERT INTO inbox_steps (tenant_id, appraisal_id, step_key, occurrence, kind, instance, workflow_id,
                               workflow_version, cycle_id, subject_employee_id, org_unit_id, actor, assignee_employee_id,
                               opened_at, due_at, completed_at, completed_by, late, deadline_missed, escalation_level,
                               escalated_to, reminders)
        SELECT tenant_id, appraisal_id, step_key, occurrence, kind, instance, workflow_id, workflow_version, cycle_id,
               subject_employee_id, org_unit_id, actor, assignee_employee_id, opened_at, due_at, completed_at,
               completed_by, late, deadline_missed, escalation_level, escalated_to, reminders
          FROM jsonb_to_recordset(g->'opened') AS r(tenant_id text, appraisal_id text, step_key text,
               occurrence integer, kind text, instance text, workflow_id text, workflow_version integer,
               cycle_id text, subject_employee_id text, org_unit_id text, actor text, assignee_employee_id text,
               opened_at timestamptz, due_at timestamptz, completed_at timestamptz, completed_by text, late boolean,
               deadline_missed boolean, escalation_level integer, escalated_to text, reminders integer)
        ON CONFLICT DO NOTHING;
    END IF;
    -- Planned on each call (EXECUTE) for the table as it is: a plan cached while the table was nearly
    -- empty (early in a rebuild) hash-joined every step of the tenant, for every batch.
    IF jsonb_array_length(g->'patches') > 0 THEN
      EXECUTE 'UPDATE inbox_steps s SET
          completed_at = coalesce(p.completed_at, s.completed_at),
          completed_by = coalesce(p.completed_by, s.completed_by),
          late = coalesce(p.late, s.late),
          deadline_missed = s.deadline_missed OR p.deadline_missed,
          escalated_to = CASE WHEN p.escalation_level > s.escalation_level THEN p.escalated_to ELSE s.escalated_to END,
          escalation_level = greatest(s.escalation_level, p.escalation_level),
          reminders = s.reminders + p.reminders
        FROM jsonb_to_recordset($1) AS p(appraisal_id text, step_key text, occurrence integer,
             completed_at timestamptz, completed_by text, late boolean, deadline_missed boolean,
             escalation_level integer, escalated_to text, reminders integer)
        WHERE s.appraisal_id = p.appraisal_id AND s.step_key = p.step_key AND s.occurrence = p.occurrence'
        USING g->'patches';
    END IF;
    INSERT INTO inbox_appraisals (tenant_id, appraisal_id, revision, cycle_id, employee_id, org_unit_id, workflow_id)
      SELECT tenant_id, appraisal_id, revision, cycle_id, employee_id, org_unit_id, workflow_id
        FROM jsonb_to_recordset(g->'appraisals') AS r(tenant_id text, appraisal_id text, revision bigint,
             cycle_id text, employee_id text, org_unit_id text, workflow_id text)
      ON CONFLICT (tenant_id, appraisal_id) DO UPDATE SET revision = EXCLUDED.revision;
  END LOOP;
END
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION inbox_projection_write(groups jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g jsonb;
BEGIN
  FOR g IN SELECT value FROM jsonb_array_elements(groups) LOOP
    PERFORM set_config('verity.tenant_id', g->>'tenant', true);
    INSERT INTO inbox_steps (tenant_id, appraisal_id, step_key, occurrence, kind, instance, workflow_id,
                             workflow_version, cycle_id, subject_employee_id, org_unit_id, actor, assignee_employee_id,
                             opened_at, due_at, completed_at, completed_by, late, deadline_missed, escalation_level,
                             escalated_to, reminders)
      SELECT tenant_id, appraisal_id, step_key, occurrence, kind, instance, workflow_id, workflow_version, cycle_id,
             subject_employee_id, org_unit_id, actor, assignee_employee_id, opened_at, due_at, completed_at,
             completed_by, late, deadline_missed, escalation_level, escalated_to, reminders
        FROM jsonb_to_recordset(g->'opened') AS r(tenant_id text, appraisal_id text, step_key text,
             occurrence integer, kind text, instance text, workflow_id text, workflow_version integer,
             cycle_id text, subject_employee_id text, org_unit_id text, actor text, assignee_employee_id text,
             opened_at timestamptz, due_at timestamptz, completed_at timestamptz, completed_by text, late boolean,
             deadline_missed boolean, escalation_level integer, escalated_to text, reminders integer)
      ON CONFLICT DO NOTHING;
    UPDATE inbox_steps s SET
        completed_at = coalesce(p.completed_at, s.completed_at),
        completed_by = coalesce(p.completed_by, s.completed_by),
        late = coalesce(p.late, s.late),
        deadline_missed = s.deadline_missed OR p.deadline_missed,
        escalated_to = CASE WHEN p.escalation_level > s.escalation_level THEN p.escalated_to ELSE s.escalated_to END,
        escalation_level = greatest(s.escalation_level, p.escalation_level),
        reminders = s.reminders + p.reminders
      FROM jsonb_to_recordset(g->'patches') AS p(appraisal_id text, step_key text, occurrence integer,
           completed_at timestamptz, completed_by text, late boolean, deadline_missed boolean,
           escalation_level integer, escalated_to text, reminders integer)
      WHERE s.appraisal_id = p.appraisal_id AND s.step_key = p.step_key AND s.occurrence = p.occurrence;
    INSERT INTO inbox_appraisals (tenant_id, appraisal_id, revision, cycle_id, employee_id, org_unit_id, workflow_id)
      SELECT tenant_id, appraisal_id, revision, cycle_id, employee_id, org_unit_id, workflow_id
        FROM jsonb_to_recordset(g->'appraisals') AS r(tenant_id text, appraisal_id text, revision bigint,
             cycle_id text, employee_id text, org_unit_id text, workflow_id text)
      ON CONFLICT (tenant_id, appraisal_id) DO UPDATE SET revision = EXCLUDED.revision;
  END LOOP;
END
$$;
