import type { CustomTypesConfig } from 'pg';
import type { EventMetadata, RecordedEvent } from '../event-store.port';

/**
 * How the reads fetch and decode events (docs/adr/0179). Every event read pays for this, and a
 * rebuild reads every event, so the rows come as arrays (no object per row from the driver), as few
 * columns as the event needs, each kept as the text PostgreSQL sent but the one JSON column (these
 * queries' own parsers; the driver's global ones are left alone):
 *
 * - the position written out by PostgreSQL as `encodePosition` writes it (position.ts);
 * - data and metadata as one JSON array, `[data, metadata]`, parsed by one JSON.parse while the
 *   rows are still arriving (docs/adr/0190): node-postgres runs a column's parser as each row comes
 *   off the socket, so the parse overlaps PostgreSQL producing the next rows. Parsed after the whole
 *   page had arrived, it came on top of the server's time (a readAll page took ~25 % longer);
 * - the recorded time as milliseconds since the epoch (its time zone and date style then do not
 *   matter, and a Date is made from a number rather than by parsing ISO text). The store writes it
 *   to the millisecond; the driver's own parser truncated anything finer to the millisecond too.
 *
 * ORDER BY transaction_id, global_position still means the columns: no output column has their names.
 */
export const EVENT_COLUMNS =
  "CASE WHEN transaction_id = '0'::xid8 THEN global_position::text " +
  "ELSE transaction_id::text || lpad(global_position::text, 19, '0') END AS event_position, " +
  'stream_id, stream_revision, event_id, type, json_build_array(data, metadata) AS content, ' +
  'extract(epoch FROM recorded_at) * 1000 AS recorded_ms';

/** One row of EVENT_COLUMNS, in that order (with `rowMode: 'array'` and EVENT_TYPES). */
export type EventRow = [
  position: string,
  streamId: string,
  streamRevision: string,
  eventId: string,
  type: string,
  content: [data: unknown, metadata: EventMetadata],
  recordedMs: string,
];

const asText = (text: string) => text;
/** The `json` type's oid: EVENT_COLUMNS' one json column is `content`. */
const JSON_OID = 114;

/** The parsers of the event reads: `content` parsed as it arrives, every other column kept as its text. */
export const EVENT_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number) =>
    oid === JSON_OID ? JSON.parse : asText) as CustomTypesConfig['getTypeParser'],
};

/** The query options every event read shares (with its own name, text and values). */
export const EVENT_ROWS = { rowMode: 'array', types: EVENT_TYPES } as const;

/** A row of EVENT_COLUMNS, or one with more columns after them (readStream's head). */
export function toRecordedEvent(row: EventRow | [...EventRow, ...unknown[]]): RecordedEvent {
  const [data, metadata] = row[5];
  return {
    eventId: row[3],
    type: row[4],
    data,
    metadata,
    streamId: row[1],
    streamRevision: BigInt(row[2]),
    position: row[0],
    // Truncated as the driver's ISO parser truncated fractions of a millisecond (dates after 1970).
    recordedAt: new Date(Math.trunc(Number(row[6]))),
  };
}

/**
 * The events by revision, forwards or backwards: as they come when they are (one comparison each),
 * sorted when not. readStream's query leaves the order to its subquery (see there).
 */
export function inStreamOrder(events: RecordedEvent[], backwards: boolean): RecordedEvent[] {
  const before = (a: RecordedEvent, b: RecordedEvent) =>
    backwards ? a.streamRevision > b.streamRevision : a.streamRevision < b.streamRevision;
  for (let i = 1; i < events.length; i++)
    if (!before(events[i - 1], events[i])) return events.sort((a, b) => (before(a, b) ? -1 : 1));
  return events;
}
