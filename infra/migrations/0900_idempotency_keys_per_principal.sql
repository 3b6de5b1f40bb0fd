-- Up Migration

-- An Idempotency-Key belongs to the caller who sent it, not to the whole tenant: another user (or
-- API key) of the tenant sending the same key must not be answered with the first caller's response.
-- Existing records get an empty principal that no caller has; they expire with the retention.
ALTER TABLE idempotency_keys ADD COLUMN principal text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (tenant_id, principal, idempotency_key);
ALTER TABLE idempotency_keys ALTER COLUMN principal DROP DEFAULT;

-- Down Migration
DELETE FROM idempotency_keys WHERE principal <> '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (tenant_id, idempotency_key);
ALTER TABLE idempotency_keys DROP COLUMN principal;
