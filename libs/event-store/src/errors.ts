import type { ExpectedRevision } from './event-store.port';

/**
 * Typed event-store errors. Each has a stable `code`; the API maps them to HTTP in one place and
 * the worker decides retry-or-fail from the code, never from the message.
 */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class WrongExpectedRevision extends EventStoreError {
  readonly code = 'wrong-expected-revision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision; `null` when it has no events. */
    readonly actual: bigint | null,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expected)}, actual ${actual === null ? 'no stream' : String(actual)}`,
    );
  }
}

export class StreamNotFound extends EventStoreError {
  readonly code = 'stream-not-found';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} not found`);
  }
}

/** An append's input broke a rule; nothing was written. `field` is a path such as `events[0].data`. */
export class InvalidEvent extends EventStoreError {
  readonly code = 'invalid-event';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

/** An event id is already stored in another stream, or only some ids of a retried append are. */
export class DuplicateEventId extends EventStoreError {
  readonly code = 'duplicate-event-id';
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`event ${eventId} is already stored, not as part of this append to ${streamId}`);
  }
}

/** A stream belongs to one tenant; an event of another tenant is refused. */
export class TenantMismatch extends EventStoreError {
  readonly code = 'tenant-mismatch';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} belongs to another tenant`);
  }
}

/** A position that this store did not hand out. */
export class InvalidPosition extends EventStoreError {
  readonly code = 'invalid-position';
  constructor(readonly position: string) {
    super(`not a position of this store: ${JSON.stringify(position).slice(0, 80)}`);
  }
}
