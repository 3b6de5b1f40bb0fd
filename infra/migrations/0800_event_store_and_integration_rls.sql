-- Up Migration

-- Row-level security on the event store, idempotency and webhook tables (docs/adr/0080). The API
-- and the worker connect as a role that owns none of them, so ENABLE is enough: the policies bind
-- that role, while the owner (migrations, operators' repairs) is left alone, as owners are without
-- FORCE.
--
-- The policy has two paths. A transaction that names its tenant (`verity.tenant_id`, set by
-- inTenantTransaction) sees and writes that tenant's rows only. A transaction that names none is a
-- reader of the whole log (the projections, timers and webhook consumers, stream reads by id, key
-- look-ups before the tenant is known) and sees every tenant's rows, as it must.
CREATE FUNCTION verity_tenant_allows(row_tenant text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(current_setting('verity.tenant_id', true), ''), row_tenant) = row_tenant
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['events', 'streams', 'idempotency_keys', 'api_keys',
                           'webhook_subscriptions', 'webhook_deliveries', 'webhook_notifications'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (verity_tenant_allows(tenant_id)) WITH CHECK (verity_tenant_allows(tenant_id))',
      t || '_tenant', t);
  END LOOP;
END
$$;

-- Down Migration
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['events', 'streams', 'idempotency_keys', 'api_keys',
                           'webhook_subscriptions', 'webhook_deliveries', 'webhook_notifications'] LOOP
    EXECUTE format('DROP POLICY %I ON %I', t || '_tenant', t);
    EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
  END LOOP;
END
$$;
DROP FUNCTION verity_tenant_allows;
