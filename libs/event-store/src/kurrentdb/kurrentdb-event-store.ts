import { setTimeout as sleep } from 'node:timers/promises';
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START as LOG_START,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { DuplicateEventId, EventStoreError, StreamNotFound, WrongExpectedRevision } from '../errors';
import {
  START,
  type AppendOptions,
  type AppendOutcome,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamsOptions,
  type RecordedEvent,
} from '../event-store.port';
import { checkTenantOfRead, reportForeignReadOnStderr, type ForeignReadReporter } from '../tenant-id';
import {
  checkMaxCount,
  checkStreamId,
  checkReadStreams,
  prepareAppend,
  prepareAppends,
  type PreparedEvent,
} from '../validation';
import { chainEvents, firstRevision, planAppend, tailToRead, type AppendPlan } from './kurrentdb-append-plan';
import { isSystemEvent, toRecordedEvent, toStoreError, userEventsFilter } from './kurrentdb-mapping';
import { compareLogPositions, decodePosition, encodePosition } from './kurrentdb-position';

/** Re-plans of an `any` / `stream_exists` append that lost a race; each round one writer wins. */
const MAX_ATTEMPTS = 50;
const HEAD_PAGE = 100;

/**
 * The event store over KurrentDB (docs/adr/0005). Every append is sent with an exact
 * expected revision, resolved first for `any` / `stream_exists`, so the server's concurrency check
 * and id idempotency always apply and the hash chain is computed from the true previous event.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentDBClient;

  /** e.g. `kurrentdb://127.0.0.1:2113?tls=false`. */
  constructor(
    connectionString: string,
    private readonly reportForeignRead: ForeignReadReporter = reportForeignReadOnStderr,
  ) {
    this.client = KurrentDBClient.connectionString(connectionString);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(streamId, events, options);
    const expected = options.expectedRevision;
    for (let attempt = 1; ; attempt++) {
      const plan = planAppend(streamId, expected, await this.tail(streamId, expected), prepared);
      try {
        const result = await this.client.appendToStream(streamId, chainEvents(streamId, prepared, plan), {
          streamState: plan.streamState,
        });
        // Only with `throwOnAppendFailure=false` in the connection string; its revision is unreliable.
        if (!result.success)
          throw new WrongExpectedRevision(streamId, expected, await this.lastRevision(streamId));
        return await this.resultAt(streamId, result.nextExpectedRevision, prepared);
      } catch (error) {
        const failure = toStoreError(error, streamId, expected);
        if (!(failure instanceof WrongExpectedRevision)) throw failure;
        if (plan.retryOnConflict && attempt < MAX_ATTEMPTS) {
          await sleep(Math.random() * 2 ** Math.min(attempt, 6));
          continue;
        }
        throw await this.explainConflict(streamId, plan, prepared, failure);
      }
    }
  }

  /** KurrentDB's atomic multi-stream append takes flat string metadata only: one append per stream. */
  async appendToStreams(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    const appends = prepareAppends(requests);
    return Promise.all(
      appends.map(({ streamId, events, expectedRevision }) =>
        this.append(streamId, events, { expectedRevision }).then(
          (result): AppendOutcome => ({ ok: true, result }),
          (error: unknown): AppendOutcome => {
            if (error instanceof EventStoreError) return { ok: false, error };
            throw error;
          },
        ),
      ),
    );
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const { ids, maxCount } = checkReadStreams(streamIds, options);
    const streams = new Map<string, RecordedEvent[]>();
    await Promise.all(
      ids.map(async (streamId) => {
        try {
          streams.set(streamId, await this.readStream(streamId, { maxCount, tenantId: options.tenantId }));
        } catch (error) {
          if (!(error instanceof StreamNotFound)) throw error;
        }
      }),
    );
    return streams;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    checkStreamId(streamId);
    const backwards = options.direction === 'backwards';
    const events = await this.read(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : LOG_START),
      maxCount: options.maxCount,
    });
    checkTenantOfRead(streamId, events, options.tenantId, this.reportForeignRead);
    return events;
  }

  async readAll({ after = START, maxCount, tenantId }: ReadAllOptions): Promise<ReadAllResult> {
    const from = decodePosition(after);
    checkMaxCount(maxCount);
    const events: RecordedEvent[] = [];
    // A read from a position includes the event there; one more than asked makes up for skipping it.
    const read = this.client.readAll({
      direction: FORWARDS,
      fromPosition: after === START ? LOG_START : from,
      // With a tenant, read on until enough of its events came (the loop stops the read).
      ...(tenantId === undefined ? { maxCount: maxCount + 1 } : {}),
      filter: userEventsFilter(),
    });
    for await (const { event } of read) {
      if (!event || isSystemEvent(event) || compareLogPositions(event.position, from) <= 0) continue;
      const recorded = toRecordedEvent(event);
      if (tenantId !== undefined && recorded.metadata.tenantId !== tenantId) continue;
      events.push(recorded);
      if (events.length === maxCount) break;
    }
    return { events, next: events.length ? events[events.length - 1].position : after };
  }

  async headPosition(): Promise<string> {
    let from: ReadPosition = END;
    for (;;) {
      let seen = 0;
      for await (const { event } of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: from,
        maxCount: HEAD_PAGE,
        filter: userEventsFilter(),
      })) {
        seen += 1;
        if (!event) continue;
        if (!isSystemEvent(event)) return encodePosition(event.position);
        from = event.position;
      }
      // The filter leaves only user-typed events in `$` streams to skip here, so this rarely loops.
      if (seen < HEAD_PAGE) return START;
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** What `planAppend` needs to see of the stream; nothing when it does not exist yet. */
  private async tail(
    streamId: string,
    expected: AppendOptions['expectedRevision'],
  ): Promise<RecordedEvent[]> {
    const wanted = tailToRead(expected);
    if (!wanted) return [];
    try {
      return await this.read(streamId, { direction: BACKWARDS, ...wanted });
    } catch (error) {
      if (error instanceof StreamNotFound) return [];
      throw error;
    }
  }

  private async lastRevision(streamId: string): Promise<bigint | null> {
    const [last] = await this.read(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }).catch(
      () => [],
    );
    return last ? last.streamRevision : null;
  }

  /** The appended (or, for a retry, first appended) last event: its revision and its position. */
  private async resultAt(
    streamId: string,
    nextRevision: bigint,
    prepared: PreparedEvent[],
  ): Promise<AppendResult> {
    const [last] = await this.read(streamId, {
      direction: FORWARDS,
      fromRevision: nextRevision,
      maxCount: 1,
    });
    const lastId = prepared[prepared.length - 1].eventId;
    if (last?.eventId !== lastId) {
      throw new Error(
        `KurrentDB acknowledged ${lastId} in ${streamId} at revision ${nextRevision}, but it is not there`,
      );
    }
    return { nextRevision, position: last.position };
  }

  /** A conflict where the stream already holds some of these ids is a retry that does not match. */
  private async explainConflict(
    streamId: string,
    plan: AppendPlan,
    prepared: PreparedEvent[],
    conflict: WrongExpectedRevision,
  ): Promise<Error> {
    if (plan.retry) return new DuplicateEventId(prepared[0].eventId, streamId);
    // The server checked the ids after the revision it was sent; a first id found there is ours.
    const [stored] = await this.read(streamId, {
      direction: FORWARDS,
      fromRevision: firstRevision(plan),
      maxCount: 1,
    }).catch(() => []);
    return stored?.eventId === prepared[0].eventId
      ? new DuplicateEventId(prepared[0].eventId, streamId)
      : conflict;
  }

  private async read(
    streamId: string,
    options: {
      direction: 'forwards' | 'backwards';
      fromRevision: bigint | 'start' | 'end';
      maxCount?: number;
    },
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const { event } of this.client.readStream(streamId, options)) {
        if (event) events.push(toRecordedEvent(event));
      }
    } catch (error) {
      throw toStoreError(error, streamId);
    }
    return events;
  }
}
