-- Up Migration

-- Timers read model: what must fire when. Fed by the `timers` consumer from StepOpened /
-- StepCompleted / timer outcomes; the source of truth the BullMQ alarm clock is reconciled with.
CREATE TABLE timers (
  tenant_id        text NOT NULL,
  timer_key        text NOT NULL, -- <kind>-<appraisalId>-<stepKey>-<occurrence>-<level> (ADR 0011)
  appraisal_id     text NOT NULL,
  step_key         text NOT NULL,
  occurrence       integer NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('reminder', 'deadline', 'escalation')),
  level            integer NOT NULL,
  fire_at          timestamptz NOT NULL,
  escalate_to      text,
  workflow_id      text NOT NULL,
  workflow_version integer NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled')),
  opened_position  numeric NOT NULL, -- the StepOpened that scheduled it
  settled_position numeric,          -- the event that fired or cancelled it
  fired_at         timestamptz,
  PRIMARY KEY (tenant_id, timer_key)
);
CREATE INDEX timers_pending ON timers (tenant_id, fire_at) WHERE status = 'pending';
CREATE INDEX timers_pending_step ON timers (tenant_id, appraisal_id, step_key) WHERE status = 'pending';

-- The workflow each appraisal follows (StepOpened carries only the version).
CREATE TABLE timer_appraisals (
  tenant_id   text NOT NULL,
  appraisal_id text NOT NULL,
  workflow_id text NOT NULL,
  PRIMARY KEY (tenant_id, appraisal_id)
);

ALTER TABLE timers ENABLE ROW LEVEL SECURITY;
ALTER TABLE timers FORCE ROW LEVEL SECURITY;
CREATE POLICY timers_tenant ON timers
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));
ALTER TABLE timer_appraisals ENABLE ROW LEVEL SECURITY;
ALTER TABLE timer_appraisals FORCE ROW LEVEL SECURITY;
CREATE POLICY timer_appraisals_tenant ON timer_appraisals
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

-- Tenants that have timers: the reconciler walks them one by one under RLS (ids only, no rows).
CREATE TABLE timer_tenants (
  tenant_id text PRIMARY KEY
);

-- The in-app inbox: one row per (timer outcome, recipient). Recipients are employee ids or a role
-- inbox (`hr`), never names or addresses; e-mail addresses are looked up when sending.
CREATE TABLE notifications (
  tenant_id        text NOT NULL,
  notification_id  uuid NOT NULL, -- name-based on (event id, recipient): a replay writes the same row
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  position         numeric NOT NULL,
  appraisal_id     text NOT NULL,
  step_key         text NOT NULL,
  timer_key        text NOT NULL,
  recipient_employee_id text,
  recipient_role   text,
  reason           text NOT NULL, -- assignee, escalation-manager, escalation-skip-level, escalation-hr, ...
  template         text NOT NULL,
  params           jsonb NOT NULL,
  title_en         text NOT NULL,
  title_zh         text NOT NULL,
  created_at       timestamptz NOT NULL,
  read_at          timestamptz,
  email_status     text NOT NULL DEFAULT 'none' CHECK (email_status IN ('none', 'pending', 'sent', 'failed')),
  email_attempts   integer NOT NULL DEFAULT 0,
  emailed_at       timestamptz,
  email_error      text,
  PRIMARY KEY (tenant_id, notification_id),
  CHECK (recipient_employee_id IS NOT NULL OR recipient_role IS NOT NULL)
);
CREATE INDEX notifications_employee ON notifications (tenant_id, recipient_employee_id, created_at DESC);
CREATE INDEX notifications_role ON notifications (tenant_id, recipient_role, created_at DESC);
CREATE INDEX notifications_email_pending ON notifications (tenant_id) WHERE email_status = 'pending';

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY notifications_tenant ON notifications
  USING (tenant_id = current_setting('verity.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('verity.tenant_id', true));

-- Down Migration
DROP TABLE notifications;
DROP TABLE timer_tenants;
DROP TABLE timer_appraisals;
DROP TABLE timers;
