-- Up Migration

-- Audit read model: one row per event of every type. Row-level security by tenant; FORCE so the
-- owning role (the app's) is subject to it too.
CREATE TABLE audit_entries (
  tenant_id          text NOT NULL,
  position           numeric NOT NULL,
  event_id           text NOT NULL,
  stream_id          text NOT NULL,
  stream_revision    bigint NOT NULL,
  type               text NOT NULL,
  actor_id           text,
  actor_role         text NOT NULL,
  anonymous_actor_id text,
  recorded_at        timestamptz NOT NULL,
  correlation_id     text NOT NULL,
  causation_id       text,
  rule_version       text,
  appraisal_id       text,
  employee_id        text,
  summary_en         text NOT NULL,
  summary_zh         text NOT NULL,
  PRIMARY KEY (tenant_id, position)
);
CREATE INDEX audit_entries_appraisal ON audit_entries (tenant_id, appraisal_id, position);
CREATE INDEX audit_entries_employee ON audit_entries (tenant_id, employee_id, position);
CREATE INDEX audit_entries_actor ON audit_entries (tenant_id, actor_id, position);
CREATE INDEX audit_entries_type_time ON audit_entries (tenant_id, type, recorded_at);

ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_entries_tenant ON audit_entries
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

-- Down Migration
DROP TABLE audit_entries;
