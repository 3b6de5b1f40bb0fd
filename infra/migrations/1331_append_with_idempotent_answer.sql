-- Up Migration

-- The answer to an `Idempotency-Key` request, stored by the append's own transaction (docs/adr/0155).
-- The API claimed the key before the command ran; the answer it will give (status, body, ETag) is
-- known before the append, for the revision the append will end at. Recording it here, in the same
-- transaction as the events, costs no statement of its own, and a crash can no longer leave the
-- events without their answer (a retry deciding again) or an answer without its events.
--
-- The answer is recorded only when the events were appended at exactly `p_answer_revision` (the
-- revision the answer names); for a repeat of stored ids, a refused append or a claim no longer
-- there, nothing is written here and `o_answered` is false: the caller then records the answer it
-- gives, as before. Only an unfinished claim is completed, never a finished record overwritten.
-- Runs with the caller's rights: row-level security applies to idempotency_keys as to the events.
CREATE FUNCTION append_to_stream_answering(
  p_stream_ids      text[],
  p_tenant_ids      text[],
  p_expected        text[],
  p_counts          int[],
  p_event_ids       uuid[],
  p_types           text[],
  p_data            jsonb[],
  p_metadata        jsonb[],
  p_content_hashes  text[],
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
  IF cardinality(p_stream_ids) <> 1 THEN
    RAISE EXCEPTION 'append_to_stream_answering appends to one stream' USING ERRCODE = '22023';
  END IF;
  -- The append first: it must be the transaction's first write (append_to_streams checks).
  SELECT a.o_outcome, a.o_revision, a.o_transaction_id, a.o_global_position INTO v_appended
    FROM append_to_streams(p_stream_ids, p_tenant_ids, p_expected, p_counts, p_event_ids, p_types,
                           p_data, p_metadata, p_content_hashes) AS a;
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

-- Down Migration
DROP FUNCTION append_to_stream_answering(text[], text[], text[], int[], uuid[], text[], jsonb[], jsonb[],
                                         text[], text, text, text, bigint, int, jsonb, text);
