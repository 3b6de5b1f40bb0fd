-- Up Migration

-- The open steps that wait on a position (the appraisee, the manager, the skip-level; for a unit's
-- appraisal the heads of units), kept by the notifications projection so that a change of the
-- reporting line tells whoever the step now lands on (docs/adr/0158-a-moved-step-tells-its-new-assignee.md).
-- Derived from the appraisal events only: a rebuild empties and refills it.
CREATE TABLE notification_open_steps (
  tenant_id           text NOT NULL,
  appraisal_id        text NOT NULL,
  step_key            text NOT NULL,
  occurrence          integer NOT NULL,
  kind                text NOT NULL,
  actor               text NOT NULL CHECK (actor IN ('self', 'manager', 'skip-level')),
  due_at              timestamptz,
  workflow_version    integer NOT NULL,
  subject_employee_id text,
  subject_org_unit_id text,
  workflow_id         text,
  -- Where it opened in the log: a change is only ever judged against steps opened before it, so a
  -- replay over rows left from later (a checkpoint moved back by hand) tells nobody anew.
  opened_position     numeric NOT NULL,
  PRIMARY KEY (tenant_id, appraisal_id, step_key)
);

ALTER TABLE notification_open_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_open_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_open_steps_tenant ON notification_open_steps
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

-- Down Migration
DROP TABLE notification_open_steps;
