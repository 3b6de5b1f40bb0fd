import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@verity/platform/database';
import type { RecordedEvent } from '../event-store.port';

/**
 * The one place that knows the SQL of parked streams (infra/migrations/0601, docs/adr/0071): a
 * consumer that cannot apply an event parks its stream, holds that stream's later events, retries
 * with back-off, and goes on with every other stream.
 */

/** Back-off between attempts of a parked stream: doubling from `firstMs`, at most `maxMs`. */
export interface ParkingPolicy {
  firstRetryMs: number;
  maxRetryMs: number;
}

export const DEFAULT_PARKING: ParkingPolicy = { firstRetryMs: 5_000, maxRetryMs: 30 * 60_000 };

export function retryDelayMs(policy: ParkingPolicy, attempts: number): number {
  return Math.min(policy.maxRetryMs, policy.firstRetryMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

/** What the runner tells when it parks a stream, or when a parked stream fails again. */
export interface ParkedNotice {
  consumer: string;
  streamId: string;
  tenantId: string;
  /** The event that failed (the first one held). */
  eventId: string;
  eventType: string;
  error: string;
  attempts: number;
}

/** One parked stream of one consumer, as operators and /health see it. */
export interface ParkedStream extends ParkedNotice {
  parkedAt: Date;
  nextAttemptAt: Date;
  /** Events of the stream held back, the failed one included. */
  held: number;
}

// Errors are kept short: a message, never an event's data (it may carry personal data).
const MAX_ERROR = 500;
export const errorText = (error: unknown) =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_ERROR);

/** The streams this consumer has parked (read when it takes its lock). */
export async function parkedStreamIds(client: PoolClient, consumer: string): Promise<Set<string>> {
  const { rows } = await client.query<{ stream_id: string }>(
    'SELECT stream_id FROM consumer_parked_streams WHERE consumer = $1',
    [consumer],
  );
  return new Set(rows.map((row) => row.stream_id));
}

/** Parks the stream of `event` (which failed) and holds the event. Inside the batch transaction. */
export async function parkStream(
  tx: PoolClient,
  consumer: string,
  event: RecordedEvent,
  error: unknown,
  retryInMs: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO consumer_parked_streams
       (consumer, stream_id, tenant_id, event_id, event_type, error, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7::double precision / 1000))`,
    [
      consumer,
      event.streamId,
      String(event.metadata.tenantId),
      event.eventId,
      event.type,
      errorText(error),
      retryInMs,
    ],
  );
  await holdEvents(tx, consumer, [event]);
}

/** Holds events behind their parked stream, in the transaction that moves the checkpoint past them. */
export async function holdEvents(tx: PoolClient, consumer: string, events: RecordedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO consumer_parked_events (consumer, stream_id, stream_revision, event_id)
     SELECT $1, s, r, e FROM unnest($2::text[], $3::bigint[], $4::uuid[]) AS t(s, r, e)
     ON CONFLICT DO NOTHING`,
    [
      consumer,
      events.map((event) => event.streamId),
      events.map((event) => event.streamRevision.toString()),
      events.map((event) => event.eventId),
    ],
  );
}

/** Parked streams whose next attempt is due, oldest first. */
export async function dueParkedStreams(
  client: PoolClient,
  consumer: string,
  limit: number,
): Promise<string[]> {
  const { rows } = await client.query<{ stream_id: string }>(
    `SELECT stream_id FROM consumer_parked_streams WHERE consumer = $1 AND next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT $2`,
    [consumer, limit],
  );
  return rows.map((row) => row.stream_id);
}

/**
 * Locks a parked stream for an attempt and returns its held events' ids in stream order, or null
 * when it is no longer parked or not due (an operator may have acted in between).
 */
export async function lockDueParkedStream(
  tx: PoolClient,
  consumer: string,
  streamId: string,
): Promise<{ attempts: number; held: { eventId: string; revision: bigint }[] } | null> {
  const stream = await tx.query<{ attempts: number }>(
    `SELECT attempts FROM consumer_parked_streams
      WHERE consumer = $1 AND stream_id = $2 AND next_attempt_at <= now() FOR UPDATE`,
    [consumer, streamId],
  );
  if (stream.rowCount === 0) return null;
  const { rows } = await tx.query<{ event_id: string; stream_revision: string }>(
    `SELECT event_id, stream_revision FROM consumer_parked_events
      WHERE consumer = $1 AND stream_id = $2 ORDER BY stream_revision`,
    [consumer, streamId],
  );
  return {
    attempts: stream.rows[0].attempts,
    held: rows.map((row) => ({ eventId: row.event_id, revision: BigInt(row.stream_revision) })),
  };
}

/** A held event applied on a retry. */
export async function releaseHeldEvent(
  tx: PoolClient,
  consumer: string,
  event: RecordedEvent,
): Promise<void> {
  await tx.query(
    'DELETE FROM consumer_parked_events WHERE consumer = $1 AND stream_id = $2 AND stream_revision = $3',
    [consumer, event.streamId, event.streamRevision.toString()],
  );
}

/** Every held event applied: the stream flows again. */
export async function unparkStream(tx: PoolClient, consumer: string, streamId: string): Promise<void> {
  await tx.query('DELETE FROM consumer_parked_streams WHERE consumer = $1 AND stream_id = $2', [
    consumer,
    streamId,
  ]);
}

/** A retry failed again (at `event`): the next attempt after the back-off. */
export async function retryLater(
  tx: PoolClient,
  consumer: string,
  event: RecordedEvent,
  error: unknown,
  retryInMs: number,
): Promise<void> {
  await tx.query(
    `UPDATE consumer_parked_streams
        SET event_id = $3, event_type = $4, error = $5, attempts = attempts + 1, last_attempt_at = now(),
            next_attempt_at = now() + make_interval(secs => $6::double precision / 1000)
      WHERE consumer = $1 AND stream_id = $2`,
    [consumer, event.streamId, event.eventId, event.type, errorText(error), retryInMs],
  );
}

/** Everything parked by a consumer goes with its read model (rebuild). */
export async function clearParkedStreams(tx: PoolClient, consumer: string): Promise<void> {
  await tx.query('DELETE FROM consumer_parked_streams WHERE consumer = $1', [consumer]);
}

interface ParkedRow {
  consumer: string;
  stream_id: string;
  tenant_id: string;
  event_id: string;
  event_type: string;
  error: string;
  attempts: number;
  parked_at: Date;
  next_attempt_at: Date;
  held: string;
}

/** The count of a parked stream `p`'s held events, as the `held` column of `ParkedRow`. */
const HELD = `(SELECT count(*) FROM consumer_parked_events h
                WHERE h.consumer = p.consumer AND h.stream_id = p.stream_id) AS held`;

const toParked = (row: ParkedRow): ParkedStream => ({
  consumer: row.consumer,
  streamId: row.stream_id,
  tenantId: row.tenant_id,
  eventId: row.event_id,
  eventType: row.event_type,
  error: row.error,
  attempts: row.attempts,
  parkedAt: row.parked_at,
  nextAttemptAt: row.next_attempt_at,
  held: Number(row.held),
});

/** Parked streams, oldest first: of one consumer, one tenant, or all. */
export async function listParkedStreams(
  pool: Pool,
  filter: { consumer?: string; tenantId?: string; limit?: number } = {},
): Promise<ParkedStream[]> {
  const { rows } = await pool.query<ParkedRow>(
    `SELECT p.*, ${HELD} FROM consumer_parked_streams p
      WHERE ($1::text IS NULL OR p.consumer = $1) AND ($2::text IS NULL OR p.tenant_id = $2)
      ORDER BY p.parked_at, p.consumer, p.stream_id LIMIT $3`,
    [filter.consumer ?? null, filter.tenantId ?? null, filter.limit ?? 100],
  );
  return rows.map(toParked);
}

/** Parked streams per consumer, for /health and the metrics. */
export async function countParkedStreams(
  pool: Pool,
): Promise<Map<string, { streams: number; oldest: Date }>> {
  const { rows } = await pool.query<{ consumer: string; streams: string; oldest: Date }>(
    'SELECT consumer, count(*) AS streams, min(parked_at) AS oldest FROM consumer_parked_streams GROUP BY consumer',
  );
  return new Map(rows.map((row) => [row.consumer, { streams: Number(row.streams), oldest: row.oldest }]));
}

/**
 * Operator: try the parked stream whose failed event is `eventId` at the consumer's next round.
 * Returns the stream as it was, or null when no stream of that consumer is parked at that event.
 */
export async function retryParkedEvent(
  client: Pool | PoolClient,
  consumer: string,
  eventId: string,
): Promise<ParkedStream | null> {
  const { rows } = await client.query<ParkedRow>(
    `UPDATE consumer_parked_streams p SET next_attempt_at = now()
      WHERE consumer = $1 AND event_id = $2 RETURNING p.*, ${HELD}`,
    [consumer, eventId],
  );
  return rows[0] ? toParked(rows[0]) : null;
}

/**
 * Operator: give up on the failed event `eventId` (the consumer will never apply it) and apply the
 * stream's other held events, in order, at the consumer's next round.
 */
export async function skipParkedEvent(
  pool: Pool,
  consumer: string,
  eventId: string,
): Promise<ParkedStream | null> {
  return inTransaction(pool, async (tx) => {
    const parked = await retryParkedEvent(tx, consumer, eventId);
    if (parked)
      await tx.query('DELETE FROM consumer_parked_events WHERE consumer = $1 AND event_id = $2', [
        consumer,
        eventId,
      ]);
    return parked;
  });
}
