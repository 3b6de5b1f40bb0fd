import type { Pool, PoolClient } from 'pg';
import type {
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store.port';
import {
  DuplicateEventId,
  InvalidEvent,
  StreamNotFound,
  TenantMismatch,
  WrongExpectedRevision,
} from '../errors';
import { contentHash } from '../hash-chain';
import { checkStreamId, prepareAppend } from '../validation';
import { decodePosition, encodePosition } from './position';

const MAX_REVISION = 9223372036854775807n;
// The transaction id is read as text under another name: ORDER BY transaction_id must mean the
// xid8 column, not a text alias (text order would put xid 10 before xid 9).
const COLUMNS =
  'transaction_id::text AS transaction_text, global_position, stream_id, stream_revision, event_id, type, data, metadata, recorded_at';

interface EventRow {
  transaction_text: string;
  global_position: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

interface AppendRow {
  o_outcome: 'appended' | 'duplicate' | 'duplicate-event-id' | 'wrong-expected-revision' | 'tenant-mismatch';
  o_revision: string | null;
  o_transaction_id: string | null;
  o_global_position: string | null;
}

/**
 * The PostgreSQL event store (docs/adr/0005): one round trip per append through the
 * `append_to_stream` function (infra/migrations/0100_event_store.sql), and a global read that
 * never skips an event committed late by a slower transaction.
 */
export class PostgresEventStore implements EventStore {
  /**
   * Over a pool, each call is its own transaction. Over a client inside `BEGIN`, appends join the
   * caller's transaction and must be its first write (the SQL function refuses otherwise).
   */
  constructor(private readonly pool: Pool | PoolClient) {}

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(streamId, events, options);
    const expected = options.expectedRevision;
    let row: AppendRow;
    try {
      const result = await this.pool.query<AppendRow>({
        name: 'verity-append-to-stream',
        text:
          'SELECT o_outcome, o_revision::text, o_transaction_id::text, o_global_position::text ' +
          'FROM append_to_stream($1, $2, $3, $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[])',
        values: [
          streamId,
          prepared[0].metadata.tenantId,
          typeof expected === 'bigint' ? expected.toString() : expected,
          prepared.map((event) => event.eventId),
          prepared.map((event) => event.type),
          prepared.map((event) => event.dataJson),
          prepared.map((event) => event.metadataJson),
          prepared.map((event) =>
            contentHash({
              streamId,
              eventId: event.eventId,
              type: event.type,
              data: event.data,
              metadata: event.metadata,
            }),
          ),
        ],
      });
      row = result.rows[0];
    } catch (error) {
      throw translateError(error, streamId);
    }
    switch (row.o_outcome) {
      case 'appended':
      case 'duplicate':
        return {
          nextRevision: BigInt(row.o_revision!),
          position: encodePosition(row.o_transaction_id!, row.o_global_position!),
        };
      case 'wrong-expected-revision':
        throw new WrongExpectedRevision(
          streamId,
          expected,
          row.o_revision === null ? null : BigInt(row.o_revision),
        );
      case 'tenant-mismatch':
        throw new TenantMismatch(streamId);
      case 'duplicate-event-id':
        throw new DuplicateEventId(prepared[0].eventId, streamId);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    checkStreamId(streamId);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? MAX_REVISION : 0n);
    const { rows } = await this.pool.query<EventRow>({
      name: backwards ? 'verity-read-stream-backwards' : 'verity-read-stream-forwards',
      text: backwards
        ? `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND stream_revision <= $2 ORDER BY stream_revision DESC LIMIT $3`
        : `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY stream_revision LIMIT $3`,
      values: [streamId, from.toString(), options.maxCount ?? null],
    });
    if (rows.length === 0) {
      const exists = await this.pool.query('SELECT 1 FROM streams WHERE stream_id = $1', [streamId]);
      if (exists.rowCount === 0) throw new StreamNotFound(streamId);
    }
    return rows.map(toRecordedEvent);
  }

  async readAll({ after, maxCount, tenantId }: ReadAllOptions): Promise<ReadAllResult> {
    const from = decodePosition(after);
    if (!Number.isInteger(maxCount) || maxCount < 1)
      throw new InvalidEvent('maxCount', 'must be an integer >= 1');
    // Only transactions older than the oldest one still running are read: every event below
    // that line is committed (or rolled back) for good, so nothing can appear behind a reader.
    const { rows } = await this.pool.query<EventRow>({
      name: tenantId === undefined ? 'verity-read-all' : 'verity-read-all-tenant',
      text:
        `SELECT ${COLUMNS} FROM events ` +
        'WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) ' +
        'AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ' +
        (tenantId === undefined ? '' : 'AND tenant_id = $4 ') +
        'ORDER BY transaction_id, global_position LIMIT $3',
      values: [
        from.transactionId.toString(),
        from.globalPosition.toString(),
        maxCount,
        ...(tenantId === undefined ? [] : [tenantId]),
      ],
    });
    const events = rows.map(toRecordedEvent);
    return { events, next: events.length ? events[events.length - 1].position : (after ?? '0') };
  }

  async headPosition(): Promise<string> {
    const { rows } = await this.pool.query<{ transaction_text: string; global_position: string }>(
      // Committed, though perhaps not yet readable: readAll reaches it once older transactions end.
      'SELECT transaction_id::text AS transaction_text, global_position FROM events ' +
        'ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
    );
    return rows.length ? encodePosition(rows[0].transaction_text, rows[0].global_position) : '0';
  }

  /** The pool belongs to the caller (the platform module closes it). */
  async close(): Promise<void> {}
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    position: encodePosition(row.transaction_text, row.global_position),
    recordedAt: row.recorded_at,
  };
}

function translateError(error: unknown, streamId: string): unknown {
  const pgError = error as { code?: string; constraint?: string; detail?: string; message?: string };
  if (pgError.code === '23505' && pgError.constraint === 'events_event_id_unique') {
    const eventId = /\(event_id\)=\(([^)]+)\)/.exec(pgError.detail ?? '')?.[1] ?? 'unknown';
    return new DuplicateEventId(eventId, streamId);
  }
  // Text PostgreSQL cannot store (e.g. an escape it refuses in jsonb): nothing was written.
  if (pgError.code === '22P02' || pgError.code === '22P05' || pgError.code === '22021')
    return new InvalidEvent('events', `refused by the database: ${pgError.message}`);
  return error;
}
