-- Up Migration

-- A process that keeps people's data keys in memory (the API, docs/adr/0171) must forget a key as
-- soon as it is destroyed, whoever destroyed it. Every deleted row of pii_keys tells the listeners
-- of `verity_pii_key_destroyed` at commit, with `<tenant>/<subject>` (an employee id or an actor's
-- id: no personal data). A trigger rather than a call in the erasure's statement: any deletion,
-- an operator's repair included, is told.
CREATE FUNCTION verity_pii_key_destroyed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('verity_pii_key_destroyed', OLD.tenant_id || '/' || OLD.subject_id);
  RETURN OLD;
END
$$;

CREATE TRIGGER pii_key_destroyed AFTER DELETE ON pii_keys
  FOR EACH ROW EXECUTE FUNCTION verity_pii_key_destroyed();

-- A TRUNCATE deletes every key without row triggers: `*` tells listeners to forget them all.
CREATE FUNCTION verity_pii_keys_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('verity_pii_key_destroyed', '*');
  RETURN NULL;
END
$$;

CREATE TRIGGER pii_keys_truncated AFTER TRUNCATE ON pii_keys
  FOR EACH STATEMENT EXECUTE FUNCTION verity_pii_keys_truncated();

-- Down Migration
DROP TRIGGER pii_keys_truncated ON pii_keys;
DROP FUNCTION verity_pii_keys_truncated();
DROP TRIGGER pii_key_destroyed ON pii_keys;
DROP FUNCTION verity_pii_key_destroyed();
