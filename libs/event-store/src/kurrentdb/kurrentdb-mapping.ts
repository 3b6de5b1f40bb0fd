import {
  AppendRecordSizeExceededError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  StreamTombstonedError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  type CurrentStreamState,
  type Position as LogPosition,
  type RegexFilter,
} from '@kurrent/kurrentdb-client';
import { EventStoreError, InvalidEvent, StreamNotFound, WrongExpectedRevision } from '../errors';
import type { EventMetadata, ExpectedRevision, RecordedEvent } from '../event-store.port';
import { encodePosition } from './kurrentdb-position';

/** The fields this adapter reads from a KurrentDB record, whether it came from a stream or `$all`. */
export interface KurrentRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  created: Date;
  position?: LogPosition;
}

/**
 * The server's own events: `$`-prefixed types (links `$>`, `$metadata`, `$statsCollected`, …) and
 * anything in a `$`-prefixed stream. Our stream names never start with `$` (validation refuses it).
 */
export function isSystemEvent(record: Pick<KurrentRecord, 'streamId' | 'type'>): boolean {
  return record.type.startsWith('$') || record.streamId.startsWith('$');
}

/** The server-side half of the `$all` filter; `isSystemEvent` is the client-side half (streams). */
export function userEventsFilter(): RegexFilter {
  return excludeSystemEvents();
}

export function toRecordedEvent(record: KurrentRecord): RecordedEvent {
  if (!record.position) {
    // Servers before 22.6 leave stream reads without positions; the port needs one per event.
    throw new Error(
      `KurrentDB returned event ${record.id} of ${record.streamId} without a position (server too old?)`,
    );
  }
  if (!record.isJson || !isObject(record.metadata)) {
    throw new Error(
      `event ${record.id} of ${record.streamId} was not written by this store (no JSON data and metadata)`,
    );
  }
  return {
    eventId: record.id,
    type: record.type,
    data: record.data,
    metadata: record.metadata as EventMetadata,
    streamId: record.streamId,
    streamRevision: record.revision,
    position: encodePosition(record.position),
    recordedAt: record.created,
  };
}

/** A stream state as the client reports it; deleted streams come back as negative revisions. */
export function toActualRevision(state: CurrentStreamState): bigint | null {
  return typeof state === 'bigint' && state >= 0n ? state : null;
}

/**
 * The one translation of the client's errors into the port's. `expected` is what the caller asked
 * for: the adapter always sends an exact revision, but the caller must see its own expectation.
 */
export function toStoreError(error: unknown, streamId: string, expected?: ExpectedRevision): unknown {
  if (error instanceof EventStoreError) return error;
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevision(
      streamId,
      expected ?? error.expectedState,
      toActualRevision(error.actualState),
    );
  }
  if (
    error instanceof StreamNotFoundError ||
    error instanceof StreamDeletedError ||
    error instanceof StreamTombstonedError
  ) {
    return new StreamNotFound(streamId);
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidEvent(
      'events',
      `must serialise to at most ${error.maxAppendSize} bytes per append (the server's MaxAppendSize)`,
    );
  }
  if (error instanceof AppendRecordSizeExceededError) {
    return new InvalidEvent(
      'events',
      `must serialise to at most ${error.maxSize} bytes per event (the server's limit)`,
    );
  }
  return error;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
