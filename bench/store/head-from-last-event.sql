-- NOT A MIGRATION. A definition weighed by `BENCH_COMPARE_SQL=bench/store/head-from-last-event.sql
-- npm run bench:store` (docs/adr/0186): migration 1332's one-stream append with the head read from the
-- stream's last event (primary key, backwards) and `streams` written only when a stream is created.
-- It drops the audit's anchor for a deleted last event (the head in `streams`, read by
-- stream-heads.ts), so it is for measuring what that anchor costs each append, not for use.
-- Built from the migrated definition, two statements replaced, so it follows 1332 as it is.
DO $$
DECLARE
  v_definition text := pg_get_functiondef('append_to_streams(text, text, text, jsonb)'::regprocedure);
  v_edited     text;
BEGIN
  v_edited := replace(replace(v_definition,
    E'SELECT s.revision, s.tenant_id, s.last_hash INTO v_revision, v_tenant, v_hash\n    FROM streams s WHERE s.stream_id = p_stream_id;',
    E'SELECT e.stream_revision, e.tenant_id, e.metadata ->> \'hash\' INTO v_revision, v_tenant, v_hash\n    FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.stream_revision DESC LIMIT 1;'),
    E'UPDATE streams SET revision = v_base, last_hash = v_hash, updated_at = now()\n     WHERE stream_id = p_stream_id;',
    'NULL;');
  IF position('ORDER BY e.stream_revision DESC LIMIT 1' IN v_edited) = 0
     OR position('UPDATE streams' IN v_edited) > 0 THEN
    RAISE EXCEPTION 'append_to_streams no longer has the statements this file replaces';
  END IF;
  EXECUTE v_edited;
END
$$;
