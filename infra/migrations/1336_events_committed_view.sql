-- Up Migration

-- The global read of the log as a plain query (docs/adr/0179), in place of `events_after` (0801).
-- That function read the same rows for the runtime role, past row-level security, but cost
-- PostgreSQL twice a plain query's CPU per row: the function's result is stored before it is
-- returned, sorted again outside, and its EXECUTE planned every call anew.
--
-- A view reads its tables with its owner's rights, and the owner is not bound by the policy of 0800
-- (no FORCE): the runtime role's query on this view plans as the owner's own query would, with the
-- commit-order index and the LIMIT. Under the policy the planner estimates the policy's condition to
-- keep one row in two hundred, and so prefers to scan and sort the whole table for a page of 1,000.
--
-- What the view shows is exactly what `events_after` handed the runtime role: every tenant's events
-- (a reader may ask for one tenant in its own condition), only those of transactions older than the
-- oldest one still running, so that nothing can appear behind a reader.
CREATE VIEW events_committed AS
  SELECT * FROM events WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot());

-- The runtime role is granted every privilege on every table, views included (infra/scripts/migrate.ts),
-- and a view like this one is updatable: written through, it would write `events` as the owner,
-- past the policy and past the revoked UPDATE and DELETE. Every write through it is refused here.
CREATE FUNCTION events_committed_refuse_writes() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'events_committed is read-only: events are appended with append_to_streams'
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_committed_read_only
  INSTEAD OF INSERT OR UPDATE OR DELETE ON events_committed
  FOR EACH ROW EXECUTE FUNCTION events_committed_refuse_writes();

DROP FUNCTION events_after(xid8, bigint, integer, text);

-- Down Migration
CREATE FUNCTION events_after(p_transaction xid8, p_position bigint, p_max integer, p_tenant text)
RETURNS SETOF events
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT * FROM events
      WHERE (transaction_id, global_position) > ($1, $2)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())'
    || CASE WHEN p_tenant IS NULL THEN '' ELSE ' AND tenant_id = $4' END
    || ' ORDER BY transaction_id, global_position LIMIT $3'
    USING p_transaction, p_position, p_max, p_tenant;
END
$$;
REVOKE ALL ON FUNCTION events_after(xid8, bigint, integer, text) FROM PUBLIC;
DROP TRIGGER events_committed_read_only ON events_committed;
DROP FUNCTION events_committed_refuse_writes;
DROP VIEW events_committed;
