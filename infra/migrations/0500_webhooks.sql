-- Up Migration

-- Webhook subscriptions per tenant. The secret must be readable to sign deliveries, so it is
-- stored as issued (shown to the caller once, never returned again; see ADR 0050).
CREATE TABLE webhook_subscriptions (
  subscription_id uuid PRIMARY KEY,
  tenant_id       text NOT NULL,
  url             text NOT NULL,
  event_types     text[] NOT NULL DEFAULT '{}', -- empty: every event type
  include_pii     boolean NOT NULL DEFAULT false,
  secret          text NOT NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  paused_reason   text,
  failing_since   timestamptz,                  -- first failure since the last success
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_tenant ON webhook_subscriptions (tenant_id, created_at);

-- One row per (subscription, event): the delivery state. The event itself is read from the
-- event store at send time, so personal data is never copied here (crypto-shredding stays possible).
CREATE TABLE webhook_deliveries (
  delivery_id      bigserial PRIMARY KEY,
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions ON DELETE CASCADE,
  tenant_id        text NOT NULL,
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  stream_id        text NOT NULL,
  stream_revision  bigint NOT NULL,
  position         text NOT NULL,
  recorded_at      timestamptz NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'dead')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  first_attempt_at timestamptz,
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  last_latency_ms  integer,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_id)
);
-- The head of each (subscription, stream): the only delivery of that stream in flight.
CREATE INDEX webhook_deliveries_pending_head
  ON webhook_deliveries (subscription_id, stream_id, stream_revision) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, delivery_id DESC);

-- The delivery log: one row per HTTP attempt.
CREATE TABLE webhook_delivery_attempts (
  delivery_id  bigint NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
  attempt      integer NOT NULL,
  started_at   timestamptz NOT NULL,
  status_code  integer,
  error        text,
  latency_ms   integer NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);

-- What a subscription's owner is told (e.g. it was paused after failing for hours).
CREATE TABLE webhook_notifications (
  notification_id bigserial PRIMARY KEY,
  tenant_id       text NOT NULL,
  subscription_id uuid NOT NULL REFERENCES webhook_subscriptions ON DELETE CASCADE,
  recipient       text NOT NULL, -- the subscription's creator (a user or API key id, never an e-mail)
  kind            text NOT NULL,
  detail          text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  read_at         timestamptz
);
CREATE INDEX webhook_notifications_tenant ON webhook_notifications (tenant_id, created_at DESC);

-- Down Migration
DROP TABLE webhook_notifications;
DROP TABLE webhook_delivery_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
