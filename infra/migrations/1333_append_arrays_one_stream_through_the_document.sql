-- Up Migration

-- append_to_streams over arrays, its one-stream path handed to the one-document function of 1332
-- (docs/adr/0173): the store sends one stream's append as a document, and the rules of a one-stream
-- append (stream lock, retry, expected revision, tenant, hash chain, head) now live in that
-- function alone. The general path for several streams is 1200's, unchanged.
CREATE OR REPLACE FUNCTION append_to_streams(
  p_stream_ids     text[],
  p_tenant_ids     text[],
  p_expected       text[],
  p_counts         int[],
  p_event_ids      uuid[],
  p_types          text[],
  p_data           jsonb[],
  p_metadata       jsonb[],
  p_content_hashes text[]
) RETURNS TABLE (o_outcome text, o_revision bigint, o_transaction_id xid8, o_global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_streams   int := cardinality(p_stream_ids);
  v_outcomes  text[] := '{}';
  v_revisions bigint[] := '{}';
  v_tx        xid8[] := '{}';
  v_positions bigint[] := '{}';
  v_first     int := 1;
  v_count     int;
  v_ids       uuid[];
  v_stored    int;
  v_revision  bigint;
  v_tenant    text;
  v_hash      text;
  v_base      bigint;
  v_done      record;
  -- The rows to write: one entry per event (w_*) and per stream head (h_*).
  w_event     int[] := '{}';
  w_stream    int[] := '{}';
  w_revision  bigint[] := '{}';
  w_previous  text[] := '{}';
  w_hash      text[] := '{}';
  h_stream    int[] := '{}';
  h_revision  bigint[] := '{}';
  h_hash      text[] := '{}';
  h_last      int[] := '{}';   -- each written stream's last entry in w_*
  v_written   bigint[];
  v_xid       xid8;
  -- Milliseconds, as JavaScript's Date reads them back: the hash covers the text a reader can rebuild.
  v_at        timestamptz := date_trunc('milliseconds', now());
  v_at_text   text := to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
BEGIN
  -- Stream order equals log order only if the stream locks come before this transaction's id is
  -- assigned (its first write); an append after other writes could sort before an earlier one.
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_to_streams must be the first write of its transaction'
      USING ERRCODE = '55000';
  END IF;
  IF v_streams = 1 THEN
    -- One stream: the one-document function (1332) holds the one-stream rules, in one place.
    RETURN QUERY SELECT * FROM append_to_streams(p_stream_ids[1], p_tenant_ids[1], p_expected[1], (
      SELECT jsonb_agg(jsonb_build_object('i', x.id, 't', x.t, 'h', x.h, 'd', x.d, 'm', x.m) ORDER BY x.n)
        FROM unnest(p_event_ids, p_types, p_content_hashes, p_data, p_metadata)
             WITH ORDINALITY AS x (id, t, h, d, m, n)));
    RETURN;
  END IF;

  -- Serialises the writers of each stream until commit. All locks are taken before any write, so a
  -- later writer of a stream always gets a larger transaction id: stream order is commit order.
  -- Taken in key order, so two writers of overlapping streams cannot deadlock. (The store checks
  -- that the streams are distinct; a stream named twice would fail on the primary key.)
  PERFORM pg_advisory_xact_lock(k.key)
     FROM (SELECT DISTINCT hashtextextended(s, 0) AS key FROM unnest(p_stream_ids) AS s ORDER BY 1) AS k;

  FOR i IN 1 .. v_streams LOOP
    v_count := p_counts[i];
    v_ids := p_event_ids[v_first : v_first + v_count - 1];
    v_tx[i] := NULL;
    v_positions[i] := NULL;
    -- A retried append: its first event is stored already (each statement sees fresh commits).
    IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = v_ids[1]) THEN
      SELECT count(*) INTO v_stored FROM events e
       WHERE e.event_id = ANY (v_ids) AND e.stream_id = p_stream_ids[i];
      IF v_stored = v_count THEN
        SELECT e.stream_revision, e.transaction_id, e.global_position INTO v_done
          FROM events e WHERE e.event_id = ANY (v_ids)
         ORDER BY e.stream_revision DESC LIMIT 1;
        v_outcomes[i] := 'duplicate';
        v_revisions[i] := v_done.stream_revision;
        v_tx[i] := v_done.transaction_id;
        v_positions[i] := v_done.global_position;
      ELSE
        v_outcomes[i] := 'duplicate-event-id';
        v_revisions[i] := NULL;
      END IF;
    ELSE
      v_revision := NULL; v_tenant := NULL; v_hash := NULL;
      SELECT s.revision, s.tenant_id, s.last_hash INTO v_revision, v_tenant, v_hash
        FROM streams s WHERE s.stream_id = p_stream_ids[i];
      v_revisions[i] := v_revision;
      IF (p_expected[i] = 'no_stream' AND v_revision IS NOT NULL)
         OR (p_expected[i] = 'stream_exists' AND v_revision IS NULL)
         OR (p_expected[i] NOT IN ('any', 'no_stream', 'stream_exists')
             AND v_revision IS DISTINCT FROM p_expected[i]::bigint) THEN
        v_outcomes[i] := 'wrong-expected-revision';
      ELSIF v_tenant IS NOT NULL AND v_tenant <> p_tenant_ids[i] THEN
        v_outcomes[i] := 'tenant-mismatch';
      ELSE
        -- The hash chain (version 2): each hash covers the previous hash, the revision, the content
        -- hash and the recorded time.
        v_base := coalesce(v_revision, -1);
        FOR j IN 1 .. v_count LOOP
          w_event := w_event || (v_first + j - 1);
          w_stream := w_stream || i;
          w_revision := w_revision || (v_base + j);
          w_previous := w_previous || v_hash;
          v_hash := encode(sha256(convert_to(
            coalesce(v_hash, '') || '|' || (v_base + j)::text || '|' || p_content_hashes[v_first + j - 1]
              || '|' || v_at_text,
            'UTF8')), 'hex');
          w_hash := w_hash || v_hash;
        END LOOP;
        h_stream := h_stream || i;
        h_last := h_last || cardinality(w_event);
        h_revision := h_revision || (v_base + v_count);
        h_hash := h_hash || v_hash;
        v_outcomes[i] := 'appended';
        v_revisions[i] := v_base + v_count;
      END IF;
    END IF;
    v_first := v_first + v_count;
  END LOOP;

  IF cardinality(w_event) > 0 THEN
    WITH inserted AS (
      INSERT INTO events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata, recorded_at)
      SELECT p_stream_ids[x.s], x.r, p_event_ids[x.e], p_types[x.e], p_tenant_ids[x.s], p_data[x.e],
             p_metadata[x.e] || jsonb_build_object('previousHash', x.p, 'hash', x.h, 'hashVersion', 2), v_at
        FROM unnest(w_event, w_stream, w_revision, w_previous, w_hash) WITH ORDINALITY AS x (e, s, r, p, h, n)
       ORDER BY x.n
      RETURNING events.global_position
    ), heads AS (
      INSERT INTO streams AS s (stream_id, tenant_id, revision, last_hash)
      SELECT p_stream_ids[y.s], p_tenant_ids[y.s], y.r, y.h
        FROM unnest(h_stream, h_revision, h_hash) AS y (s, r, h)
      ON CONFLICT (stream_id) DO UPDATE
        SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash, updated_at = now()
    )
    -- Rows are numbered in w_* order, so their positions ascend in that order too.
    SELECT array_agg(i.global_position ORDER BY i.global_position) INTO v_written FROM inserted i;
    v_xid := pg_current_xact_id();
    FOR k IN 1 .. cardinality(h_stream) LOOP
      v_tx[h_stream[k]] := v_xid;
      v_positions[h_stream[k]] := v_written[h_last[k]];
    END LOOP;
  END IF;

  RETURN QUERY SELECT o.outcome, o.revision, o.tx, o.position
    FROM unnest(v_outcomes, v_revisions, v_tx, v_positions) WITH ORDINALITY AS o (outcome, revision, tx, position, n)
   ORDER BY o.n;
END
$$;

-- Down Migration
-- The previous definition is infra/migrations/1200_append_one_stream_fast_path.sql; reapply it to go back.
