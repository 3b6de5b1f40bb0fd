-- Up Migration

-- Audit writes (libs/projections/src/audit): one call per batch for every tenant in it, as the score
-- and inbox writes are, and less index upkeep per row.

-- Only directory events carry an employee: the index of the `employee_id = ?` filter (which implies
-- NOT NULL) no longer takes an entry for every other row.
DROP INDEX audit_entries_employee;
CREATE INDEX audit_entries_employee ON audit_entries (tenant_id, employee_id, position) WHERE employee_id IS NOT NULL;

-- The batch as one array per column, the rows grouped by tenant: tenant i owns the rows up to ends[i].
-- Arrays, not one jsonb value: the audit batch is every event (~0.5 MB per 1,000), and parsing it as
-- jsonb cost more than the inserts. Each group runs under its own tenant setting (SECURITY INVOKER: RLS
-- WITH CHECK applies). Idempotency is the position guard: rows come in log order, so an event at or
-- below the tenant's last stored position was written already (a redelivered batch) and is skipped;
-- the primary key still refuses a duplicate. Cheaper than ON CONFLICT, which probes the key once more
-- and writes a speculative insertion per row.
CREATE FUNCTION audit_projection_write(
  tenants text[], ends integer[], positions numeric[], event_ids text[], stream_ids text[], stream_revisions bigint[],
  types text[], actor_ids text[], actor_roles text[], anonymous_actor_ids text[], recorded_ats timestamptz[],
  correlation_ids text[], causation_ids text[], rule_versions text[], appraisal_ids text[], employee_ids text[],
  summaries_en text[], summaries_zh text[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  first integer := 1;
  last_position numeric;
BEGIN
  FOR i IN 1 .. coalesce(array_length(tenants, 1), 0) LOOP
    PERFORM set_config('verity.tenant_id', tenants[i], true);
    -- Planned on each call: a plan cached while the table was empty could scan the tenant's rows.
    EXECUTE 'SELECT max(position) FROM audit_entries' INTO last_position;
    INSERT INTO audit_entries (tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, actor_role,
                               anonymous_actor_id, recorded_at, correlation_id, causation_id, rule_version, appraisal_id,
                               employee_id, summary_en, summary_zh)
      SELECT tenants[i], r.*
        FROM unnest(positions[first:ends[i]], event_ids[first:ends[i]], stream_ids[first:ends[i]],
                    stream_revisions[first:ends[i]], types[first:ends[i]], actor_ids[first:ends[i]],
                    actor_roles[first:ends[i]], anonymous_actor_ids[first:ends[i]], recorded_ats[first:ends[i]],
                    correlation_ids[first:ends[i]], causation_ids[first:ends[i]], rule_versions[first:ends[i]],
                    appraisal_ids[first:ends[i]], employee_ids[first:ends[i]], summaries_en[first:ends[i]],
                    summaries_zh[first:ends[i]]) AS r(position)
       WHERE last_position IS NULL OR r.position > last_position;
    first := ends[i] + 1;
  END LOOP;
END
$$;

-- Down Migration
DROP FUNCTION audit_projection_write(text[], integer[], numeric[], text[], text[], bigint[], text[], text[], text[],
  text[], timestamptz[], text[], text[], text[], text[], text[], text[], text[]);
DROP INDEX audit_entries_employee;
CREATE INDEX audit_entries_employee ON audit_entries (tenant_id, employee_id, position);
