import { randomUUID } from 'node:crypto';
import { TenantMismatch, WrongExpectedRevision } from '../errors';
import type { ExpectedRevision, RecordedEvent } from '../event-store.port';
import { eventHash } from '../hash-chain';
import { prepareAppend, type PreparedEvent } from '../validation';
import { RETRY_LOOKBACK, chainEvents, firstRevision, planAppend, tailToRead } from './kurrentdb-append-plan';

const STREAM = 'appraisal-tenant-a.1';

function prepared(count: number, tenantId = 'tenant-a'): PreparedEvent[] {
  const events = Array.from({ length: count }, (_, n) => ({
    eventId: randomUUID(),
    type: 'PeriodReviewed',
    data: { n },
    metadata: {
      tenantId,
      actor: { id: 'u-1', role: 'hr' },
      correlationId: 'c-1',
      causationId: null,
      schemaVersion: 1,
    },
  }));
  return prepareAppend(STREAM, events, { expectedRevision: 'any' });
}

function stored(revision: bigint, tenantId = 'tenant-a', eventId: string = randomUUID()): RecordedEvent {
  return {
    eventId,
    type: 'PeriodReviewed',
    data: {},
    metadata: {
      tenantId,
      actor: { id: 'u-1', role: 'hr' },
      correlationId: 'c-0',
      causationId: null,
      schemaVersion: 1,
      previousHash: null,
      hash: `hash-${revision}`,
    },
    streamId: STREAM,
    streamRevision: revision,
    position: String(revision + 1n),
    recordedAt: new Date(0),
  };
}

/** Newest first, as a backwards read returns them. */
const tailOf = (...revisions: bigint[]) => revisions.map((revision) => stored(revision));

describe('what an append reads before it is planned', () => {
  it.each<[ExpectedRevision, ReturnType<typeof tailToRead>]>([
    ['no_stream', null],
    [4n, { fromRevision: 4n, maxCount: RETRY_LOOKBACK }],
    ['any', { fromRevision: 'end', maxCount: RETRY_LOOKBACK }],
    ['stream_exists', { fromRevision: 'end', maxCount: RETRY_LOOKBACK }],
  ])('%p reads %p', (expected, wanted) => {
    expect(tailToRead(expected)).toEqual(wanted);
  });
});

describe('expected revision → the exact stream state sent to KurrentDB', () => {
  it("sends 'no_stream' as it is, first revision 0, never retried", () => {
    const plan = planAppend(STREAM, 'no_stream', [], prepared(1));
    expect(plan).toEqual({
      streamState: 'no_stream',
      previousHash: null,
      retry: false,
      retryOnConflict: false,
    });
    expect(firstRevision(plan)).toBe(0n);
  });

  it('sends an exact revision as it is, chained to the event at that revision, never retried', () => {
    const plan = planAppend(STREAM, 4n, tailOf(4n), prepared(2));
    expect(plan).toEqual({ streamState: 4n, previousHash: 'hash-4', retry: false, retryOnConflict: false });
    expect(firstRevision(plan)).toBe(5n);
  });

  it('sends an exact revision the stream has not reached unchanged, for the server to refuse', () => {
    expect(planAppend(STREAM, 9n, tailOf(3n), prepared(1))).toEqual({
      streamState: 9n,
      previousHash: null,
      retry: false,
      retryOnConflict: false,
    });
    expect(planAppend(STREAM, 0n, [], prepared(1)).streamState).toBe(0n);
  });

  it.each<ExpectedRevision>(['any', 'stream_exists'])(
    '%s becomes the current last revision, retried if another writer wins',
    (expected) => {
      expect(planAppend(STREAM, expected, tailOf(7n, 6n, 5n), prepared(1))).toEqual({
        streamState: 7n,
        previousHash: 'hash-7',
        retry: false,
        retryOnConflict: true,
      });
    },
  );

  it("'any' on a missing stream becomes 'no_stream', retried if another writer creates it first", () => {
    expect(planAppend(STREAM, 'any', [], prepared(1))).toEqual({
      streamState: 'no_stream',
      previousHash: null,
      retry: false,
      retryOnConflict: true,
    });
  });

  it("'stream_exists' on a missing stream is refused before anything is sent, actual null", () => {
    let caught: unknown;
    try {
      planAppend(STREAM, 'stream_exists', [], prepared(1));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WrongExpectedRevision);
    expect(caught).toMatchObject({ streamId: STREAM, expected: 'stream_exists', actual: null });
  });

  /** The plan of a retry: sent where its first event was written, not retried again on a conflict. */
  const retryAt = (streamState: bigint | 'no_stream', previousHash: string | null) => ({
    streamState,
    previousHash,
    retry: true,
    retryOnConflict: false,
  });

  it.each<[string, ExpectedRevision, bigint, bigint, string]>([
    ["'any' whose first event id is already in the stream", 'any', 3n, 2n, 'hash-2'],
    ["'stream_exists' whose first event id is already in the stream", 'stream_exists', 3n, 2n, 'hash-2'],
    ['an exact revision re-sent after reloading, with its ids at the tail', 6n, 4n, 3n, 'hash-3'],
  ])(
    '%s is sent at the revision before its first event (a retry)',
    (_case, expected, firstAt, streamState, previousHash) => {
      const events = prepared(2);
      const tail = [
        stored(firstAt + 2n),
        stored(firstAt + 1n, 'tenant-a', events[1].eventId),
        stored(firstAt, 'tenant-a', events[0].eventId),
        stored(firstAt - 1n),
      ];
      expect(planAppend(STREAM, expected, tail, events)).toEqual(retryAt(streamState, previousHash));
    },
  );

  it("a retry of the stream's first events is sent as 'no_stream'", () => {
    const events = prepared(1);
    const tail = [stored(1n), stored(0n, 'tenant-a', events[0].eventId)];
    expect(planAppend(STREAM, 'any', tail, events)).toEqual(retryAt('no_stream', null));
  });

  it('recognises a retry from a later id when the first one is older than the lookback', () => {
    const events = prepared(3);
    // Only events[2] (at revision 9) is in the window; events[0] must then be at 7.
    const tail = [stored(10n), stored(9n, 'tenant-a', events[2].eventId.toUpperCase())];
    expect(planAppend(STREAM, 'any', tail, events)).toMatchObject({ streamState: 6n, retry: true });
  });

  it("refuses another tenant's events in an existing stream, whatever the expected revision", () => {
    for (const expected of [2n, 'any', 'stream_exists'] as const) {
      expect(() => planAppend(STREAM, expected, tailOf(2n), prepared(1, 'tenant-b'))).toThrow(TenantMismatch);
    }
  });
});

describe('the hash chain of the events sent', () => {
  it('links each event to the previous one and to its own revision, as the audit verifies it', () => {
    const events = prepared(3);
    const plan = planAppend(STREAM, 4n, tailOf(4n), events);
    const sent = chainEvents(STREAM, events, plan);

    expect(sent.map((event) => event.id)).toEqual(events.map((event) => event.eventId));
    expect(sent.every((event) => event.contentType === 'application/json')).toBe(true);
    const metadata = sent.map((event) => event.metadata as RecordedEvent['metadata']);
    expect(metadata[0].previousHash).toBe('hash-4');
    expect(metadata[1].previousHash).toBe(metadata[0].hash);
    expect(metadata[2].previousHash).toBe(metadata[1].hash);
    sent.forEach((event, index) => {
      // What a reader gets back: the same JSON at revision 5, 6, 7.
      const recorded: RecordedEvent = {
        eventId: event.id,
        type: event.type,
        data: JSON.parse(JSON.stringify(event.data)),
        metadata: JSON.parse(JSON.stringify(event.metadata)),
        streamId: STREAM,
        streamRevision: 5n + BigInt(index),
        position: '1',
        recordedAt: new Date(0),
      };
      expect(recorded.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(eventHash(recorded)).toBe(recorded.metadata.hash);
      expect(eventHash({ ...recorded, streamRevision: recorded.streamRevision + 1n })).not.toBe(
        recorded.metadata.hash,
      );
    });
  });

  it("starts a new stream's chain with a null previous hash and keeps the caller's metadata", () => {
    const events = prepared(1);
    const [sent] = chainEvents(STREAM, events, planAppend(STREAM, 'no_stream', [], events));
    expect(sent.metadata).toMatchObject({ ...events[0].metadata, previousHash: null });
    expect(sent.data).toEqual({ n: 0 });
  });
});
