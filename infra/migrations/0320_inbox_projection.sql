-- Up Migration

-- Inbox read model (libs/projections/src/inbox): open steps per person, and per unit, step kind and
-- process owner the SLA compliance and activity counts. Every table: ENABLE + FORCE row-level security
-- on `verity.tenant_id`.

-- One row per appraisal: who it is about and under which workflow. `revision` is the last stream
-- revision applied: the idempotency guard for every inbox row of the appraisal.
CREATE TABLE inbox_appraisals (
  tenant_id    text NOT NULL,
  appraisal_id text NOT NULL,
  revision     bigint NOT NULL,
  cycle_id     text NOT NULL,
  employee_id  text,
  org_unit_id  text NOT NULL,
  workflow_id  text NOT NULL,
  PRIMARY KEY (tenant_id, appraisal_id)
);

-- One row per opening of a step. The assignee is resolved at read time from the directory when the
-- event names only a role (`manager`, `hr` …), so a change of manager moves the item.
CREATE TABLE inbox_steps (
  tenant_id            text NOT NULL,
  appraisal_id         text NOT NULL,
  step_key             text NOT NULL,
  occurrence           integer NOT NULL,
  kind                 text NOT NULL,
  instance             text,
  workflow_id          text NOT NULL,
  workflow_version     integer NOT NULL,
  cycle_id             text NOT NULL,
  subject_employee_id  text,
  org_unit_id          text NOT NULL,
  actor                text NOT NULL,
  assignee_employee_id text,
  opened_at            timestamptz NOT NULL,
  due_at               timestamptz,
  completed_at         timestamptz,
  completed_by         text,
  late                 boolean,
  deadline_missed      boolean NOT NULL DEFAULT false,
  escalation_level     integer NOT NULL DEFAULT 0,
  escalated_to         text,
  reminders            integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, appraisal_id, step_key, occurrence)
);
CREATE INDEX inbox_steps_open_assignee ON inbox_steps (tenant_id, assignee_employee_id, due_at)
  WHERE completed_at IS NULL;
CREATE INDEX inbox_steps_open_subject ON inbox_steps (tenant_id, subject_employee_id, due_at)
  WHERE completed_at IS NULL;
CREATE INDEX inbox_steps_open_actor ON inbox_steps (tenant_id, actor, due_at) WHERE completed_at IS NULL;
CREATE INDEX inbox_steps_unit ON inbox_steps (tenant_id, org_unit_id, kind);

ALTER TABLE inbox_appraisals ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbox_appraisals FORCE ROW LEVEL SECURITY;
CREATE POLICY inbox_appraisals_tenant ON inbox_appraisals
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

ALTER TABLE inbox_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbox_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY inbox_steps_tenant ON inbox_steps
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

-- The projection's writes for one batch, all tenants at once: `groups` is a JSON array of
-- { tenant, opened, patches, appraisals }. One call, one parameter (see score_projection_write).
-- Progress merges as the in-memory fold merges it: completion set once, highest escalation,
-- reminders summed, a missed deadline stays missed.
CREATE FUNCTION inbox_projection_write(groups jsonb) RETURNS void LANGUAGE plpgsql AS $$
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

-- Down Migration
DROP FUNCTION inbox_projection_write(jsonb);
DROP TABLE inbox_steps;
DROP TABLE inbox_appraisals;
