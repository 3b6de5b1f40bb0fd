-- Up Migration

-- audit_projection_write (0331) with the idempotency of ADR 0030 again, whatever the order events come
-- in: the batch is inserted plainly, and only if that meets a row already stored (a redelivered batch)
-- is it rolled back and inserted again with ON CONFLICT DO NOTHING. ON CONFLICT on every row probes
-- the primary key once more and writes a speculative insertion per row; the plain insert is the
-- common case. One subtransaction per batch, whatever its tenants.
CREATE OR REPLACE FUNCTION audit_projection_write(
  tenants text[], ends integer[], positions numeric[], event_ids text[], stream_ids text[], stream_revisions bigint[],
  types text[], actor_ids text[], actor_roles text[], anonymous_actor_ids text[], recorded_ats timestamptz[],
  correlation_ids text[], causation_ids text[], rule_versions text[], appraisal_ids text[], employee_ids text[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  first integer;
BEGIN
  BEGIN
    first := 1;
    FOR i IN 1 .. coalesce(array_length(tenants, 1), 0) LOOP
      PERFORM set_config('verity.tenant_id', tenants[i], true);
      INSERT INTO audit_entries (tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, actor_role,
                                 anonymous_actor_id, recorded_at, correlation_id, causation_id, rule_version,
                                 appraisal_id, employee_id)
        SELECT tenants[i], *
          FROM unnest(positions[first:ends[i]], event_ids[first:ends[i]], stream_ids[first:ends[i]],
                      stream_revisions[first:ends[i]], types[first:ends[i]], actor_ids[first:ends[i]],
                      actor_roles[first:ends[i]], anonymous_actor_ids[first:ends[i]], recorded_ats[first:ends[i]],
                      correlation_ids[first:ends[i]], causation_ids[first:ends[i]], rule_versions[first:ends[i]],
                      appraisal_ids[first:ends[i]], employee_ids[first:ends[i]]);
      first := ends[i] + 1;
    END LOOP;
  EXCEPTION WHEN unique_violation THEN
    first := 1;
    FOR i IN 1 .. coalesce(array_length(tenants, 1), 0) LOOP
      PERFORM set_config('verity.tenant_id', tenants[i], true);
      INSERT INTO audit_entries (tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, actor_role,
                                 anonymous_actor_id, recorded_at, correlation_id, causation_id, rule_version,
                                 appraisal_id, employee_id)
        SELECT tenants[i], *
          FROM unnest(positions[first:ends[i]], event_ids[first:ends[i]], stream_ids[first:ends[i]],
                      stream_revisions[first:ends[i]], types[first:ends[i]], actor_ids[first:ends[i]],
                      actor_roles[first:ends[i]], anonymous_actor_ids[first:ends[i]], recorded_ats[first:ends[i]],
                      correlation_ids[first:ends[i]], causation_ids[first:ends[i]], rule_versions[first:ends[i]],
                      appraisal_ids[first:ends[i]], employee_ids[first:ends[i]])
        ON CONFLICT DO NOTHING;
      first := ends[i] + 1;
    END LOOP;
  END;
END
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION audit_projection_write(
  tenants text[], ends integer[], positions numeric[], event_ids text[], stream_ids text[], stream_revisions bigint[],
  types text[], actor_ids text[], actor_roles text[], anonymous_actor_ids text[], recorded_ats timestamptz[],
  correlation_ids text[], causation_ids text[], rule_versions text[], appraisal_ids text[], employee_ids text[]
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
                               employee_id)
      SELECT tenants[i], r.*
        FROM unnest(positions[first:ends[i]], event_ids[first:ends[i]], stream_ids[first:ends[i]],
                    stream_revisions[first:ends[i]], types[first:ends[i]], actor_ids[first:ends[i]],
                    actor_roles[first:ends[i]], anonymous_actor_ids[first:ends[i]], recorded_ats[first:ends[i]],
                    correlation_ids[first:ends[i]], causation_ids[first:ends[i]], rule_versions[first:ends[i]],
                    appraisal_ids[first:ends[i]], employee_ids[first:ends[i]]) AS r(position)
       WHERE last_position IS NULL OR r.position > last_position;
    first := ends[i] + 1;
  END LOOP;
END
$$;
