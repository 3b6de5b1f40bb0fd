-- Up Migration

-- API keys for integrators: only a SHA-256 of the secret is stored; the prefix finds the row.
CREATE TABLE api_keys (
  key_id       text PRIMARY KEY,
  tenant_id    text NOT NULL,
  secret_hash  text NOT NULL,
  name         text NOT NULL,
  scopes       text[] NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

-- Idempotency-Key records: one per (tenant, key); the first response is kept for replays.
CREATE TABLE idempotency_keys (
  tenant_id      text NOT NULL,
  idempotency_key text NOT NULL,
  request_hash   text NOT NULL,
  method         text NOT NULL,
  path           text NOT NULL,
  status         integer,
  response_body  jsonb,
  etag           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  completed_at   timestamptz,
  PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
DROP TABLE api_keys;
