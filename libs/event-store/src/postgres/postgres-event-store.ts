import type { Pool, PoolClient } from 'pg';
import type {
  AppendOptions,
  AppendOutcome,
  AppendRequest,
  AppendResult,
  IdempotentAnswer,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
} from '../event-store.port';
import { checkTenantOfRead, reportForeignReadOnStderr, type ForeignReadReporter } from '../tenant-id';
import {
  DuplicateEventId,
  InvalidEvent,
  StreamNotFound,
  TenantMismatch,
  WrongExpectedRevision,
} from '../errors';
import { contentHashOfCanonical } from '../hash-chain';
import {
  checkMaxCount,
  checkStreamId,
  checkReadStreams,
  prepareAppend,
  prepareAppends,
  type PreparedAppend,
  type PreparedEvent,
} from '../validation';
import { EVENT_COLUMNS, EVENT_ROWS, inStreamOrder, toRecordedEvent, type EventRow } from './event-rows';
import { decodePosition, encodePosition } from './position';

const MAX_REVISION = 9223372036854775807n;

interface AppendRow {
  o_outcome: 'appended' | 'duplicate' | 'duplicate-event-id' | 'wrong-expected-revision' | 'tenant-mismatch';
  o_revision: string | null;
  o_transaction_id: string | null;
  o_global_position: string | null;
  /** Only from `append_to_stream_answering`. */
  o_answered?: boolean;
}

/**
 * The PostgreSQL event store (docs/adr/0005): one round trip per append, of one stream or many,
 * through the `append_to_streams` function (infra/migrations/0110), and a global read that
 * never skips an event committed late by a slower transaction.
 */
export class PostgresEventStore implements EventStore {
  /**
   * Over a pool, each call is its own transaction. Over a client inside `BEGIN`, appends join the
   * caller's transaction and must be its first write (the SQL function refuses otherwise).
   */
  constructor(
    private readonly pool: Pool | PoolClient,
    private readonly reportForeignRead: ForeignReadReporter = reportForeignReadOnStderr,
  ) {}

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(streamId, events, options);
    const [outcome] = await this.write(
      [{ streamId, events, expectedRevision: options.expectedRevision, prepared }],
      options.idempotentAnswer,
    );
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  async appendToStreams(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    return this.write(prepareAppends(requests));
  }

  /**
   * One round trip. One stream (every command's append): `append_to_streams` over one jsonb
   * document of its events (infra/migrations/1332), or with an idempotent answer
   * `append_to_stream_answering`, which records the answer in the same transaction (ADR 0155).
   * Several streams: `append_to_streams` over arrays (0110, latest definition 1200).
   */
  private async write(appends: PreparedAppend[], answer?: IdempotentAnswer): Promise<AppendOutcome[]> {
    let rows: AppendRow[];
    try {
      rows = appends.length === 1 ? await this.writeOne(appends[0], answer) : await this.writeMany(appends);
    } catch (error) {
      const streamOf = (eventId: string) =>
        appends.find(({ prepared }) => prepared.some((event) => event.eventId === eventId))?.streamId ??
        appends[0].streamId;
      throw translateError(error, streamOf);
    }
    return rows.map((row, index) => outcomeOf(row, appends[index]));
  }

  private async writeOne(append: PreparedAppend, answer?: IdempotentAnswer): Promise<AppendRow[]> {
    // The events' canonical texts joined as they are (ADR 0173): nothing escaped again, one jsonb
    // parse on the server. Ids are uuids and types match EVENT_TYPE (validation.ts).
    const events = `[${append.prepared
      .map(
        (event) =>
          `{"i":"${event.eventId}","t":"${event.type}","h":"${contentHashOf(append.streamId, event)}",` +
          `"d":${event.dataJson},"m":${event.metadataJson}}`,
      )
      .join(',')}]`;
    const values = [append.streamId, append.prepared[0].metadata.tenantId, expectedText(append), events];
    const { rows } = answer
      ? await this.pool.query<AppendRow>({
          name: 'verity-append-answering',
          text:
            'SELECT o_outcome, o_revision::text, o_transaction_id::text, o_global_position::text, o_answered ' +
            'FROM append_to_stream_answering($1::text, $2::text, $3::text, $4::jsonb, $5::text, $6::text, ' +
            '$7::text, $8::bigint, $9::int, $10::jsonb, $11::text)',
          values: [
            ...values,
            answer.tenantId,
            answer.principal,
            answer.key,
            answer.revision.toString(),
            answer.status,
            JSON.stringify(answer.body ?? null),
            answer.etag,
          ],
        })
      : await this.pool.query<AppendRow>({
          name: 'verity-append-to-stream',
          text:
            'SELECT o_outcome, o_revision::text, o_transaction_id::text, o_global_position::text ' +
            'FROM append_to_streams($1::text, $2::text, $3::text, $4::jsonb)',
          values,
        });
    return rows;
  }

  private async writeMany(appends: PreparedAppend[]): Promise<AppendRow[]> {
    const events = appends.flatMap(({ streamId, prepared }) =>
      prepared.map((event) => ({ streamId, event })),
    );
    const { rows } = await this.pool.query<AppendRow>({
      name: 'verity-append-to-streams',
      text:
        'SELECT o_outcome, o_revision::text, o_transaction_id::text, o_global_position::text ' +
        'FROM append_to_streams($1::text[], $2::text[], $3::text[], $4::int[], $5::uuid[], $6::text[], ' +
        '$7::jsonb[], $8::jsonb[], $9::text[])',
      values: [
        appends.map((append) => append.streamId),
        appends.map((append) => append.prepared[0].metadata.tenantId),
        appends.map(expectedText),
        appends.map((append) => append.prepared.length),
        events.map(({ event }) => event.eventId),
        events.map(({ event }) => event.type),
        events.map(({ event }) => event.dataJson),
        events.map(({ event }) => event.metadataJson),
        events.map(({ streamId, event }) => contentHashOf(streamId, event)),
      ],
    });
    return rows;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    checkStreamId(streamId);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? MAX_REVISION : 0n);
    // One round trip: the stream's head joined with its events after `fromRevision`. A stream read
    // up to date (the API's folds catch up on every command, ADR 0148) finds no events, and still
    // needs the head to tell "no such stream" from "nothing new" and whose stream it is; asking for
    // the head in a second statement cost every such read another round trip.
    // The head's tenant comes last, after the event's columns (EventRow).
    const { rows } = await this.pool.query<[...EventRow, headTenant: string]>({
      name: backwards ? 'verity-read-stream-backwards-with-head' : 'verity-read-stream-forwards-with-head',
      text:
        `SELECT e.*, s.tenant_id AS head_tenant FROM streams s LEFT JOIN LATERAL (` +
        (backwards
          ? `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = s.stream_id AND stream_revision <= $2 ORDER BY stream_revision DESC LIMIT $3`
          : `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = s.stream_id AND stream_revision >= $2 ORDER BY stream_revision LIMIT $3`) +
        // No ORDER BY outside: the subquery's order is kept by the one head row's nested loop, and
        // sorting the rows again cost PostgreSQL a third of the read (ADR 0179); checked below.
        `) e ON true WHERE s.stream_id = $1`,
      values: [streamId, from.toString(), options.maxCount ?? null],
      ...EVENT_ROWS,
    });
    if (rows.length === 0) throw new StreamNotFound(streamId);
    // No event after `fromRevision`: the lateral join's columns are null (the event id among them).
    const events = rows[0][3] === null ? [] : inStreamOrder(rows.map(toRecordedEvent), backwards);
    if (events.length === 0) {
      // Nothing after `fromRevision`, but the stream is there: still only its own tenant may know.
      const metadata = { tenantId: rows[0][7] } as RecordedEvent['metadata'];
      checkTenantOfRead(streamId, [{ metadata }], options.tenantId, this.reportForeignRead);
    }
    checkTenantOfRead(streamId, events, options.tenantId, this.reportForeignRead);
    return events;
  }

  async readStreams(
    streamIds: string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const { ids, maxCount } = checkReadStreams(streamIds, options);
    const streams = new Map<string, RecordedEvent[]>();
    if (ids.length === 0) return streams;
    const { rows } = await this.pool.query<EventRow>({
      name: 'verity-read-streams',
      text:
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY ($1::text[]) ` +
        'AND ($2::bigint IS NULL OR stream_revision < $2) ORDER BY stream_id, stream_revision',
      values: [ids, maxCount ?? null],
      ...EVENT_ROWS,
    });
    for (const row of rows) {
      const event = toRecordedEvent(row);
      const stream = streams.get(event.streamId);
      if (stream) stream.push(event);
      else streams.set(event.streamId, [event]);
    }
    for (const [streamId, events] of streams)
      checkTenantOfRead(streamId, events, options.tenantId, this.reportForeignRead);
    return streams;
  }

  async readAll({ after, maxCount, tenantId }: ReadAllOptions): Promise<ReadAllResult> {
    const from = decodePosition(after);
    checkMaxCount(maxCount);
    // Only transactions older than the oldest one still running are read: every event below
    // that line is committed (or rolled back) for good, so nothing can appear behind a reader.
    // Through the view `events_committed` (infra/migrations/1336, ADR 0179), which holds that line:
    // the runtime role reads across tenants there with the commit-order index, which row-level
    // security's estimates keep a direct query on `events` from using.
    const { rows } = await this.pool.query<EventRow>({
      name: 'verity-read-all',
      text:
        `SELECT ${EVENT_COLUMNS} FROM events_committed ` +
        'WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) ' +
        'AND ($4::text IS NULL OR tenant_id = $4) ORDER BY transaction_id, global_position LIMIT $3',
      values: [from.transactionId.toString(), from.globalPosition.toString(), maxCount, tenantId ?? null],
      ...EVENT_ROWS,
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

const expectedText = ({ expectedRevision }: PreparedAppend) =>
  typeof expectedRevision === 'bigint' ? expectedRevision.toString() : expectedRevision;

/** Hashed from the canonical texts validation wrote (the stored ones): the event is not serialised again. */
const contentHashOf = (streamId: string, event: PreparedEvent) =>
  contentHashOfCanonical(streamId, event.eventId, event.type, event.dataJson, event.metadataJson);

function outcomeOf(row: AppendRow, append: PreparedAppend): AppendOutcome {
  const { streamId, expectedRevision, prepared } = append;
  switch (row.o_outcome) {
    case 'appended':
    case 'duplicate':
      return {
        ok: true,
        result: {
          nextRevision: BigInt(row.o_revision!),
          position: encodePosition(row.o_transaction_id!, row.o_global_position!),
          ...(row.o_answered === undefined ? {} : { answerRecorded: row.o_answered }),
        },
      };
    case 'wrong-expected-revision':
      return {
        ok: false,
        error: new WrongExpectedRevision(
          streamId,
          expectedRevision,
          row.o_revision === null ? null : BigInt(row.o_revision),
        ),
      };
    case 'tenant-mismatch':
      return { ok: false, error: new TenantMismatch(streamId) };
    case 'duplicate-event-id':
      return { ok: false, error: new DuplicateEventId(prepared[0].eventId, streamId) };
  }
}

function translateError(error: unknown, streamOf: (eventId: string) => string): unknown {
  const pgError = error as { code?: string; constraint?: string; detail?: string; message?: string };
  if (pgError.code === '23505' && pgError.constraint === 'events_event_id_unique') {
    const eventId = /\(event_id\)=\(([^)]+)\)/.exec(pgError.detail ?? '')?.[1] ?? 'unknown';
    return new DuplicateEventId(eventId, streamOf(eventId));
  }
  // Text PostgreSQL cannot store (e.g. an escape it refuses in jsonb): nothing was written.
  if (pgError.code === '22P02' || pgError.code === '22P05' || pgError.code === '22021')
    return new InvalidEvent('events', `refused by the database: ${pgError.message}`);
  return error;
}
