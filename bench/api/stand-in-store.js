// A STAND-IN for libs/event-store's PostgresEventStore, used by the API benchmark only while that
// adapter is not exported yet. It follows DESIGN.md's append (one round trip: a plpgsql function
// that takes the stream's advisory lock, checks the expected revision, inserts with unnest and
// bumps the stream row) so the figures are indicative. Its tables live in the throwaway bench
// database only. Once libs/event-store exports PostgresEventStore, the benchmark uses that.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS bench_streams (stream_id text PRIMARY KEY, revision bigint NOT NULL);
CREATE TABLE IF NOT EXISTS bench_events (
  global_position bigserial,
  stream_id text NOT NULL,
  stream_revision bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, stream_revision)
);
CREATE OR REPLACE FUNCTION bench_append(p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_meta jsonb[])
RETURNS TABLE (next_revision bigint, last_position bigint) LANGUAGE plpgsql AS $$
DECLARE current bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));
  SELECT revision INTO current FROM bench_streams WHERE stream_id = p_stream;
  IF p_expected IS DISTINCT FROM current THEN
    RAISE EXCEPTION 'wrong expected revision' USING ERRCODE = 'P0409';
  END IF;
  RETURN QUERY
  WITH inserted AS (
    INSERT INTO bench_events (stream_id, stream_revision, event_id, type, data, metadata)
    SELECT p_stream, coalesce(current, -1) + n, id, t, d, m
      FROM unnest(p_ids, p_types, p_data, p_meta) WITH ORDINALITY AS u(id, t, d, m, n)
    RETURNING stream_revision, global_position
  ), bumped AS (
    INSERT INTO bench_streams (stream_id, revision) SELECT p_stream, max(stream_revision) FROM inserted
    ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision
  )
  SELECT max(stream_revision), max(global_position) FROM inserted;
END $$;`;

class WrongExpectedRevision extends Error {
  code = 'wrong-expected-revision';
}
class StreamNotFound extends Error {
  code = 'stream-not-found';
}

class StandInPostgresEventStore {
  constructor(pool) {
    this.pool = pool;
    this.ready = pool.query(SCHEMA);
  }

  async append(streamId, events, { expectedRevision }) {
    await this.ready;
    if (typeof expectedRevision !== 'bigint' && expectedRevision !== 'no_stream') {
      throw new Error(`stand-in store: expectedRevision ${expectedRevision} not supported`);
    }
    try {
      const { rows } = await this.pool.query('SELECT * FROM bench_append($1, $2, $3, $4, $5, $6)', [
        streamId,
        expectedRevision === 'no_stream' ? null : String(expectedRevision),
        events.map((event) => event.eventId),
        events.map((event) => event.type),
        events.map((event) => JSON.stringify(event.data)),
        events.map((event) => JSON.stringify(event.metadata)),
      ]);
      return { nextRevision: BigInt(rows[0].next_revision), position: String(rows[0].last_position) };
    } catch (error) {
      if (error.code === 'P0409' || error.code === '23505') throw new WrongExpectedRevision(error.message);
      throw error;
    }
  }

  async readStream(streamId, options = {}) {
    await this.ready;
    const { rows } = await this.pool.query(
      `SELECT stream_id, stream_revision, event_id, type, data, metadata, global_position, recorded_at
         FROM bench_events WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY stream_revision`,
      [streamId, String(options.fromRevision ?? 0n)],
    );
    if (rows.length === 0 && (options.fromRevision ?? 0n) === 0n) throw new StreamNotFound(streamId);
    return rows.map((row) => ({
      streamId: row.stream_id,
      streamRevision: BigInt(row.stream_revision),
      eventId: row.event_id,
      type: row.type,
      data: row.data,
      metadata: row.metadata,
      position: String(row.global_position),
      recordedAt: row.recorded_at,
    }));
  }

  async readAll() {
    throw new Error('stand-in store: readAll is not needed by the API benchmark');
  }

  async headPosition() {
    return '0';
  }

  async close() {}
}

module.exports = { StandInPostgresEventStore };
