-- Up Migration

-- The raters nominated for an appraisal's 360 (docs/adr/0134-inbox-for-nominated-raters-and-unit-heads.md):
-- the inbox shows a rating step to an approved nominee of its group, as it shows it to the
-- appraisee's directory peers. One row per nomination; its status follows the decisions.
CREATE TABLE inbox_nominations (
  tenant_id     text NOT NULL,
  appraisal_id  text NOT NULL,
  nomination_id text NOT NULL,
  employee_id   text NOT NULL,
  rater_group   text NOT NULL,
  status        text NOT NULL,
  PRIMARY KEY (tenant_id, appraisal_id, nomination_id)
);
CREATE INDEX inbox_nominations_rater ON inbox_nominations (tenant_id, employee_id) WHERE status = 'approved';

ALTER TABLE inbox_nominations ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbox_nominations FORCE ROW LEVEL SECURITY;
CREATE POLICY inbox_nominations_tenant ON inbox_nominations
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

-- Down Migration
DROP TABLE inbox_nominations;
