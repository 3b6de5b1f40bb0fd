-- Up Migration

-- One stream's append with its events sent as ONE jsonb document (docs/adr/0173): what every command
-- appends. `append_to_streams` (0110, 1200) takes nine arrays; node-postgres writes each as an array
-- literal, escaping every quote and backslash of each event's JSON, and PostgreSQL parses that
-- literal before reading each element as jsonb. Here the client joins the events' canonical JSON
-- texts into one array, `[{"i": event id, "t": type, "h": content hash, "d": data, "m": metadata}]`,
-- PostgreSQL parses it once, and the stream, tenant and expected revision are scalars.
--
-- The same rules as 1200's one-stream path, statement for statement: the stream lock before the
-- transaction's first write (no skipped events for readers), a retried append answered from the
-- events it stored (idempotent ids), the expected revision and the tenant checked under the lock,
-- the hash chain version 2 including the recorded time, the head moved under the lock. Same name as
-- the array function (another signature): the appends of several streams still go there.
CREATE FUNCTION append_to_streams(
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
  SELECT s.revision, s.tenant_id, s.last_hash INTO v_revision, v_tenant, v_hash
    FROM streams s WHERE s.stream_id = p_stream_id;
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
  IF v_revision IS NULL THEN
    -- A new stream: no other writer can insert it meanwhile, they wait on the stream lock.
    INSERT INTO streams (stream_id, tenant_id, revision, last_hash)
    VALUES (p_stream_id, p_tenant_id, v_base, v_hash);
  ELSE
    UPDATE streams SET revision = v_base, last_hash = v_hash, updated_at = now()
     WHERE stream_id = p_stream_id;
  END IF;
  RETURN QUERY SELECT 'appended'::text, v_base, pg_current_xact_id(),
                      currval('events_global_position_seq'::regclass);
END
$$;

-- The idempotent answer recorded by the append's own transaction (1331, docs/adr/0155), over the
-- one-document append. The array version goes: the store sends only this one.
CREATE FUNCTION append_to_stream_answering(
  p_stream_id       text,
  p_tenant_id       text,
  p_expected        text,
  p_events          jsonb,
  p_key_tenant      text,
  p_key_principal   text,
  p_key             text,
  p_answer_revision bigint,
  p_answer_status   int,
  p_answer_body     jsonb,
  p_answer_etag     text
) RETURNS TABLE (o_outcome text, o_revision bigint, o_transaction_id xid8, o_global_position bigint,
                 o_answered boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_appended record;
  v_answered boolean := false;
BEGIN
  -- The append first: it must be the transaction's first write (append_to_streams checks).
  SELECT a.o_outcome, a.o_revision, a.o_transaction_id, a.o_global_position INTO v_appended
    FROM append_to_streams(p_stream_id, p_tenant_id, p_expected, p_events) AS a;
  IF v_appended.o_outcome = 'appended' AND v_appended.o_revision = p_answer_revision THEN
    UPDATE idempotency_keys
       SET status = p_answer_status, response_body = p_answer_body, etag = p_answer_etag,
           completed_at = now()
     WHERE tenant_id = p_key_tenant AND principal = p_key_principal AND idempotency_key = p_key
       AND completed_at IS NULL;
    v_answered := FOUND;
  END IF;
  RETURN QUERY SELECT v_appended.o_outcome, v_appended.o_revision, v_appended.o_transaction_id,
                      v_appended.o_global_position, v_answered;
END
$$;

DROP FUNCTION append_to_stream_answering(text[], text[], text[], int[], uuid[], text[], jsonb[], jsonb[],
                                         text[], text, text, text, bigint, int, jsonb, text);

-- Down Migration
DROP FUNCTION append_to_stream_answering(text, text, text, jsonb, text, text, text, bigint, int, jsonb, text);
DROP FUNCTION append_to_streams(text, text, text, jsonb);
-- Then reapply infra/migrations/1331_append_with_idempotent_answer.sql (the array version of the answer).
