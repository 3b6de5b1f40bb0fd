-- Up Migration

-- The two reads of the whole log, for the runtime role (docs/adr/0080). Under the row-level
-- security of 0800 the planner may not use the commit-order index for the row comparison
-- `(transaction_id, global_position) > (…)` (a record comparison is not leakproof), so a consumer's
-- every batch became a scan of all events. These functions run as the owner, whom the policy does
-- not bind, and return exactly what the store's queries returned. EXECUTE plans each call with its
-- values, as the store's own queries were planned.
CREATE FUNCTION events_after(p_transaction xid8, p_position bigint, p_max integer, p_tenant text)
RETURNS SETOF events
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- Only transactions older than the oldest one still running: nothing can appear behind a reader.
  RETURN QUERY EXECUTE
    'SELECT * FROM events
      WHERE (transaction_id, global_position) > ($1, $2)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())'
    || CASE WHEN p_tenant IS NULL THEN '' ELSE ' AND tenant_id = $4' END
    || ' ORDER BY transaction_id, global_position LIMIT $3'
    USING p_transaction, p_position, p_max, p_tenant;
END
$$;

-- How far a consumer is behind: events after its position and the oldest one's time.
CREATE FUNCTION events_behind(p_transaction xid8, p_position bigint, OUT events bigint, OUT oldest timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  EXECUTE 'SELECT count(*), min(recorded_at) FROM events WHERE (transaction_id, global_position) > ($1, $2)'
    INTO events, oldest USING p_transaction, p_position;
END
$$;

REVOKE ALL ON FUNCTION events_after(xid8, bigint, integer, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION events_behind(xid8, bigint) FROM PUBLIC;

-- Down Migration
DROP FUNCTION events_behind;
DROP FUNCTION events_after;
