-- Up Migration

-- The audit projection's write for a large batch (a rebuild, a catch-up; docs/adr/0169): the client
-- COPYs the batch's rows into the session's temporary table `audit_staging` and this moves them into
-- `audit_entries`, one INSERT … SELECT per tenant under that tenant's setting. COPY cannot write
-- `audit_entries` itself: the table has row-level security (FORCE), and COPY FROM refuses such a table.
-- The staging table is emptied once its rows are moved (and at each commit: ON COMMIT DELETE ROWS) and
-- dropped with the session; a rolled-back batch takes its staged rows with it.
--
-- Idempotent as `audit_projection_write` (0332): a plain insert, and only when it meets a row already
-- stored (a redelivered batch) is it rolled back and inserted again with ON CONFLICT DO NOTHING.
CREATE FUNCTION audit_projection_write_staged(tenants text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tenant text;
  -- One statement for both attempts (the second with ON CONFLICT DO NOTHING); planned on each call,
  -- which costs little beside moving thousands of rows.
  move constant text :=
    'INSERT INTO audit_entries (tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, actor_role,
                                anonymous_actor_id, recorded_at, correlation_id, causation_id, rule_version,
                                appraisal_id, employee_id)
       SELECT tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, actor_role,
              anonymous_actor_id, recorded_at, correlation_id, causation_id, rule_version, appraisal_id, employee_id
         FROM pg_temp.audit_staging WHERE tenant_id = $1';
BEGIN
  BEGIN
    FOREACH tenant IN ARRAY tenants LOOP
      PERFORM set_config('verity.tenant_id', tenant, true);
      EXECUTE move USING tenant;
    END LOOP;
  EXCEPTION WHEN unique_violation THEN
    FOREACH tenant IN ARRAY tenants LOOP
      PERFORM set_config('verity.tenant_id', tenant, true);
      EXECUTE move || ' ON CONFLICT DO NOTHING' USING tenant;
    END LOOP;
  END;
  -- Emptied now, not only at the commit: a second batch in the same transaction would move these rows
  -- again (each a conflict, so the whole batch would take the slower path above).
  TRUNCATE pg_temp.audit_staging;
END
$$;

-- Down Migration
DROP FUNCTION audit_projection_write_staged(text[]);
