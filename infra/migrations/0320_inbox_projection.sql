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

-- Down Migration
DROP TABLE inbox_steps;
DROP TABLE inbox_appraisals;
