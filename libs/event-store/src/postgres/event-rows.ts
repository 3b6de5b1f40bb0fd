import type { CustomTypesConfig } from 'pg';
import type { EventMetadata, RecordedEvent } from '../event-store.port';
import { encodePosition } from './position';

/**
 * How the reads fetch and decode events (docs/adr/0179). Every event read pays for this, and a
 * rebuild reads every event, so the rows come as arrays (no object per row from the driver) and
 * each column is parsed once, by these queries' own parsers (the driver's global ones are left
 * alone): jsonb by one JSON.parse, everything else as the text PostgreSQL sent.
 *
 * The transaction id is read as text under another name: ORDER BY transaction_id must mean the
 * xid8 column, not a text alias (text order would put xid 10 before xid 9). The recorded time is
 * read as milliseconds since the epoch (its time zone and date style then do not matter, and a
 * Date is made from a number rather than by parsing ISO text); the store writes it to the
 * millisecond, and the driver's own parser truncated anything finer to the millisecond as well.
 */
export const EVENT_COLUMNS =
  'transaction_id::text AS transaction_text, global_position, stream_id, stream_revision, event_id, type, data, ' +
  'metadata, extract(epoch FROM recorded_at) * 1000 AS recorded_ms';

/** One row of EVENT_COLUMNS, in that order (with `rowMode: 'array'` and EVENT_TYPES). */
export type EventRow = [
  transactionText: string,
  globalPosition: string,
  streamId: string,
  streamRevision: string,
  eventId: string,
  type: string,
  data: unknown,
  metadata: EventMetadata,
  recordedMs: string,
];

const JSONB = 3802;
const asText = (text: string) => text;

/** The parsers of the event reads: jsonb parsed, every other column kept as its text. */
export const EVENT_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number) =>
    oid === JSONB ? JSON.parse : asText) as CustomTypesConfig['getTypeParser'],
};

/** The query options every event read shares (with its own name, text and values). */
export const EVENT_ROWS = { rowMode: 'array', types: EVENT_TYPES } as const;

/** A row of EVENT_COLUMNS, or one with more columns after them (readStream's head). */
export function toRecordedEvent(row: EventRow | [...EventRow, ...unknown[]]): RecordedEvent {
  return {
    eventId: row[4],
    type: row[5],
    data: row[6],
    metadata: row[7],
    streamId: row[2],
    streamRevision: BigInt(row[3]),
    position: encodePosition(row[0], row[1]),
    // Truncated as the driver's ISO parser truncated fractions of a millisecond (dates after 1970).
    recordedAt: new Date(Math.trunc(Number(row[8]))),
  };
}
