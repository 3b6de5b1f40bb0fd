-- Up Migration

-- The event store (docs/adr/0005-event-store-on-postgresql.md). `events` is the only source of
-- truth; `streams` holds each stream's head (revision, last hash, tenant) for the append check.
CREATE TABLE streams (
  stream_id  text PRIMARY KEY,
  tenant_id  text NOT NULL,
  revision   bigint NOT NULL,
  last_hash  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  global_position bigserial NOT NULL,
  -- The writing transaction: readers order by (transaction_id, global_position) and stop below
  -- the oldest running transaction, so an event committed late by a slow writer is never skipped.
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text NOT NULL,
  stream_revision bigint NOT NULL,
  event_id        uuid NOT NULL,
  type            text NOT NULL,
  tenant_id       text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, stream_revision),
  CONSTRAINT events_event_id_unique UNIQUE (event_id)
);
CREATE INDEX events_commit_order ON events (transaction_id, global_position);

-- Named consumers of the global log: the position is written in the same transaction as the
-- consumer's read-model rows. `rebuild_requested` asks the active instance to reset and replay.
CREATE TABLE consumer_checkpoints (
  name              text PRIMARY KEY,
  position          text NOT NULL DEFAULT '0',
  rebuild_requested boolean NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One append in one round trip. Returns one row: outcome 'appended' (revision and position of
-- the last event), 'duplicate' (the same ids were appended before: that append's result),
-- 'duplicate-event-id', 'wrong-expected-revision' (revision = the actual one) or 'tenant-mismatch'.
CREATE FUNCTION append_to_stream(
  p_stream_id      text,
  p_tenant_id      text,
  p_expected       text,
  p_event_ids      uuid[],
  p_types          text[],
  p_data           jsonb[],
  p_metadata       jsonb[],
  p_content_hashes text[]
) RETURNS TABLE (o_outcome text, o_revision bigint, o_transaction_id xid8, o_global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_count    int := cardinality(p_event_ids);
  v_revision bigint;
  v_tenant   text;
  v_hash     text;
  v_base     bigint;
  v_previous text[] := '{}';
  v_hashes   text[] := '{}';
  v_stored   int;
BEGIN
  -- Stream order equals log order only if the stream lock comes before this transaction's id is
  -- assigned (its first write); an append after other writes could sort before an earlier one.
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'append_to_stream must be the first write of its transaction'
      USING ERRCODE = '55000';
  END IF;

  -- Serialises the writers of one stream until commit. Taken before any write, so a later writer
  -- of the stream always gets a larger transaction id: stream order is commit order.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));

  -- A retried append: its first event is stored already (each statement sees fresh commits).
  IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = p_event_ids[1]) THEN
    SELECT count(*) INTO v_stored FROM events e
     WHERE e.event_id = ANY (p_event_ids) AND e.stream_id = p_stream_id;
    IF v_stored = v_count THEN
      RETURN QUERY SELECT 'duplicate'::text, e.stream_revision, e.transaction_id, e.global_position
        FROM events e WHERE e.event_id = ANY (p_event_ids)
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

  -- The hash chain: each hash covers the previous hash, the revision and the content hash.
  v_base := coalesce(v_revision, -1);
  FOR i IN 1 .. v_count LOOP
    v_previous[i] := v_hash;
    v_hash := encode(sha256(convert_to(
      coalesce(v_hash, '') || '|' || (v_base + i)::text || '|' || p_content_hashes[i], 'UTF8')), 'hex');
    v_hashes[i] := v_hash;
  END LOOP;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata)
    SELECT p_stream_id, v_base + x.n, x.id, x.t, p_tenant_id, x.d,
           x.m || jsonb_build_object('previousHash', v_previous[x.n], 'hash', v_hashes[x.n])
      FROM unnest(p_event_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS x (id, t, d, m, n)
     ORDER BY x.n
    RETURNING events.stream_revision, events.transaction_id, events.global_position
  ), head AS (
    INSERT INTO streams AS s (stream_id, tenant_id, revision, last_hash)
    VALUES (p_stream_id, p_tenant_id, v_base + v_count, v_hash)
    ON CONFLICT (stream_id) DO UPDATE
      SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash, updated_at = now()
  )
  SELECT 'appended'::text, i.stream_revision, i.transaction_id, i.global_position
    FROM inserted i ORDER BY i.stream_revision DESC LIMIT 1;
END
$$;

-- Down Migration
DROP FUNCTION append_to_stream;
DROP TABLE consumer_checkpoints;
DROP TABLE events;
DROP TABLE streams;
