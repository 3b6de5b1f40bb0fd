-- NOT A MIGRATION. A definition weighed by `BENCH_COMPARE_SQL=bench/store/head-from-last-event.sql
-- npm run bench:store` (docs/adr/0186): migration 1332's one-stream append with the head read from the
-- stream's last event and `streams` written only when a stream is created. It drops the audit's
-- anchor for a deleted last event (the head in `streams`, read by stream-heads.ts), so it is for
-- measuring what that anchor costs each append, not for use.
CREATE OR REPLACE FUNCTION append_to_streams(
  p_stream_id text,
  p_tenant_id text,
  p_expected  text,
  p_events    jsonb
) RETURNS TABLE (o_outcome text, o_revision bigint, o_transaction_id xid8, o_global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_count     int := jsonb_array_length(p_events);
  v_ids       uuid[];
  v_revision  bigint;
  v_tenant    text;
  v_hash      text;
  v_base      bigint;
  w_previous  text[] := '{}';
  w_hash      text[] := '{}';
  -- Milliseconds, as JavaScript's Date reads them back: the hash covers the text a reader can rebuild.
  v_at        timestamptz := date_trunc('milliseconds', now());
  v_at_text   text := to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
BEGIN
  -- Stream order equals log order only if the stream lock comes before this transaction's id is
  -- assigned (its first write); an append after other writes could sort before an earlier one.
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_to_streams must be the first write of its transaction'
      USING ERRCODE = '55000';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
  -- A retried append: its first event is stored already (each statement sees fresh commits).
  IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = (p_events -> 0 ->> 'i')::uuid) THEN
    v_ids := ARRAY(SELECT (x ->> 'i')::uuid FROM jsonb_array_elements(p_events) AS x);
    IF (SELECT count(*) FROM events e WHERE e.event_id = ANY (v_ids) AND e.stream_id = p_stream_id)
       = v_count THEN
      RETURN QUERY SELECT 'duplicate'::text, e.stream_revision, e.transaction_id, e.global_position
        FROM events e WHERE e.event_id = ANY (v_ids)
       ORDER BY e.stream_revision DESC LIMIT 1;
    ELSE
      RETURN QUERY SELECT 'duplicate-event-id'::text, NULL::bigint, NULL::xid8, NULL::bigint;
    END IF;
    RETURN;
  END IF;
  -- The head from the stream's last event (primary key, backwards), not from `streams`.
  SELECT e.stream_revision, e.tenant_id, e.metadata ->> 'hash' INTO v_revision, v_tenant, v_hash
    FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.stream_revision DESC LIMIT 1;
  IF (p_expected = 'no_stream' AND v_revision IS NOT NULL)
     OR (p_expected = 'stream_exists' AND v_revision IS NULL)
     OR (p_expected NOT IN ('any', 'no_stream', 'stream_exists')
         AND v_revision IS DISTINCT FROM p_expected::bigint) THEN
    RETURN QUERY SELECT 'wrong-expected-revision'::text, v_revision, NULL::xid8, NULL::bigint;
    RETURN;
  END IF;
  IF v_tenant IS NOT NULL AND v_tenant <> p_tenant_id THEN
    RETURN QUERY SELECT 'tenant-mismatch'::text, v_revision, NULL::xid8, NULL::bigint;
    RETURN;
  END IF;
  -- The hash chain (version 2): each hash covers the previous hash, the revision, the content hash
  -- and the recorded time. Element assignment extends the arrays in place: linear in events.
  v_base := coalesce(v_revision, -1);
  FOR j IN 1 .. v_count LOOP
    w_previous[j] := v_hash;
    v_hash := encode(sha256(convert_to(
      coalesce(v_hash, '') || '|' || (v_base + j)::text || '|' || (p_events -> (j - 1) ->> 'h') || '|'
        || v_at_text,
      'UTF8')), 'hex');
    w_hash[j] := v_hash;
  END LOOP;
  INSERT INTO events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata, recorded_at)
  SELECT p_stream_id, v_base + x.n, (x.e ->> 'i')::uuid, x.e ->> 't', p_tenant_id, x.e -> 'd',
         (x.e -> 'm') || jsonb_build_object('previousHash', w_previous[x.n::int], 'hash', w_hash[x.n::int],
                                            'hashVersion', 2),
         v_at
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x (e, n)
   ORDER BY x.n;
  -- The rows took their positions from the sequence in this order, each nextval in this session:
  -- the last one's is currval (the sequence is not shared with any other column).
  v_base := v_base + v_count;
  -- `streams` written when a stream is created only: its head no longer moves with each append.
  IF v_revision IS NULL THEN
    INSERT INTO streams (stream_id, tenant_id, revision, last_hash)
    VALUES (p_stream_id, p_tenant_id, v_base, v_hash)
    ON CONFLICT (stream_id) DO NOTHING;
  END IF;
  RETURN QUERY SELECT 'appended'::text, v_base, pg_current_xact_id(),
                      currval('events_global_position_seq'::regclass);
END
$$;
