-- Up Migration

-- One data key per person whose personal data the log holds (docs/adr/0115-crypto-shredding.md).
-- Every `pii` field of an event is stored encrypted with its subject's data key; the key itself is
-- stored here wrapped (encrypted) by the master key of the configuration, which never reaches the
-- database. Erasing a person deletes their rows: the events stay, hashed as stored (ciphertext), so
-- the audit chain still verifies, and their `pii` can never be read again.
CREATE TABLE pii_keys (
  tenant_id   text NOT NULL,
  -- A new key id after an erasure: data written later is not readable with a key that was destroyed.
  key_id      uuid NOT NULL,
  -- The person the data is about (an employee id, or the actor's id for words of no one else).
  subject_id  text NOT NULL,
  -- nonce (12 bytes) | AES-256-GCM ciphertext of the 32-byte data key | tag (16 bytes).
  wrapped_key bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key_id)
);
-- One live key per person: two writers creating it at once agree on the first.
CREATE UNIQUE INDEX pii_keys_subject ON pii_keys (tenant_id, subject_id);

-- Erasures done, kept without any personal data, so an operator can see that a key was destroyed.
CREATE TABLE pii_erasures (
  tenant_id   text NOT NULL,
  subject_id  text NOT NULL,
  keys_erased integer NOT NULL,
  erased_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pii_erasures_subject ON pii_erasures (tenant_id, subject_id);

ALTER TABLE pii_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY pii_keys_tenant ON pii_keys
  USING (verity_tenant_allows(tenant_id)) WITH CHECK (verity_tenant_allows(tenant_id));
ALTER TABLE pii_erasures ENABLE ROW LEVEL SECURITY;
CREATE POLICY pii_erasures_tenant ON pii_erasures
  USING (verity_tenant_allows(tenant_id)) WITH CHECK (verity_tenant_allows(tenant_id));

-- Down Migration
DROP TABLE pii_erasures;
DROP TABLE pii_keys;
