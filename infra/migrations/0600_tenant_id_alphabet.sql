-- Up Migration

-- Tenant ids without a dot (docs/adr/0070-tenant-ids-and-tenant-checked-reads.md). Stream names
-- are `<category>-<tenant>.<id>` and ids may contain dots, so a tenant `x.dot` could name tenant
-- `x`'s stream `dot.<id>`. The rule is the one of libs/event-store/src/tenant-id.ts.
--
-- Existing data: a database holding a tenant id outside the alphabet stops here, naming how many
-- and the first few, rather than keeping data no credential can reach any more (tokens with such a
-- tenant are refused) and whose stream names may be ambiguous. See the ADR for what to do then.
DO $$
DECLARE
  v_count integer;
  v_some  text;
BEGIN
  SELECT count(*), string_agg(tenant_id, ', ') FILTER (WHERE n <= 5)
    INTO v_count, v_some
    FROM (
      SELECT tenant_id, row_number() OVER (ORDER BY tenant_id) AS n
        FROM (SELECT tenant_id FROM streams UNION SELECT tenant_id FROM api_keys) AS t
       WHERE tenant_id !~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'
    ) AS bad;
  IF v_count > 0 THEN
    RAISE EXCEPTION 'tenant ids outside [A-Za-z0-9][A-Za-z0-9_-]{0,62}: % (e.g. %); see docs/adr/0070', v_count, v_some;
  END IF;
END $$;

-- Checked by the database as well as by the store's validation: a writer that bypasses the store
-- (a script, a restore) cannot bring an ambiguous tenant back. NOT VALID then VALIDATE scans the
-- table without blocking writers for the scan.
ALTER TABLE streams ADD CONSTRAINT streams_tenant_id_alphabet
  CHECK (tenant_id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$') NOT VALID;
ALTER TABLE streams VALIDATE CONSTRAINT streams_tenant_id_alphabet;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_tenant_id_alphabet
  CHECK (tenant_id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$') NOT VALID;
ALTER TABLE api_keys VALIDATE CONSTRAINT api_keys_tenant_id_alphabet;

-- Down Migration

ALTER TABLE api_keys DROP CONSTRAINT api_keys_tenant_id_alphabet;
ALTER TABLE streams DROP CONSTRAINT streams_tenant_id_alphabet;
