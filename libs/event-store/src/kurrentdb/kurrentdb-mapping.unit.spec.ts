import {
  AccessDeniedError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { InvalidEvent, StreamNotFound, TenantMismatch, WrongExpectedRevision } from '../errors';
import { decodePosition } from './kurrentdb-position';
import {
  isSystemEvent,
  toActualRevision,
  toRecordedEvent,
  toStoreError,
  userEventsFilter,
  type KurrentRecord,
} from './kurrentdb-mapping';

const STREAM = 'appraisal-tenant-a.1';

const wrongVersion = (
  expected: bigint | 'no_stream' | 'stream_exists' | 'any',
  current: bigint | 'no_stream',
) => new WrongExpectedVersionError(undefined, { streamName: STREAM, expected, current });

describe("the client's errors → the port's typed errors", () => {
  it("reports the caller's expectation, not the exact revision the adapter sent, and the actual one", () => {
    const error = toStoreError(wrongVersion(6n, 7n), STREAM, 'any');
    expect(error).toBeInstanceOf(WrongExpectedRevision);
    expect(error).toMatchObject({
      code: 'wrong-expected-revision',
      streamId: STREAM,
      expected: 'any',
      actual: 7n,
    });
  });

  it("falls back to the server's expectation when the caller's is not known", () => {
    expect(toStoreError(wrongVersion(3n, 'no_stream'), STREAM)).toMatchObject({ expected: 3n, actual: null });
  });

  it('reports a missing stream, and a deleted one (-5 / -6 on the wire), as actual null', () => {
    expect(toStoreError(wrongVersion(0n, 'no_stream'), STREAM, 0n)).toMatchObject({ actual: null });
    expect(toActualRevision(-5n)).toBeNull();
    expect(toActualRevision(-6n)).toBeNull();
    expect(toActualRevision(0n)).toBe(0n);
  });

  it('maps a missing, deleted or tombstoned stream to StreamNotFound', () => {
    for (const error of [
      new StreamNotFoundError(undefined, STREAM),
      StreamDeletedError.fromStreamName(STREAM),
    ]) {
      const mapped = toStoreError(error, STREAM);
      expect(mapped).toBeInstanceOf(StreamNotFound);
      expect(mapped).toMatchObject({ code: 'stream-not-found', streamId: STREAM });
    }
  });

  it("maps the server's append size limit to InvalidEvent naming the rule", () => {
    const mapped = toStoreError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), STREAM);
    expect(mapped).toBeInstanceOf(InvalidEvent);
    expect(mapped).toMatchObject({ code: 'invalid-event', field: 'events' });
    expect((mapped as InvalidEvent).rule).toContain('1048576 bytes');
  });

  it('passes other failures through unchanged, so the caller sees what went wrong', () => {
    const unavailable = new UnavailableError();
    const denied = new AccessDeniedError();
    const ours = new TenantMismatch(STREAM);
    const plain = new Error('boom');
    for (const error of [unavailable, denied, ours, plain]) expect(toStoreError(error, STREAM)).toBe(error);
  });
});

describe('system events are kept out of the global log', () => {
  it.each([
    ['a link', { streamId: '$ce-appraisal', type: '$>' }],
    ['stream metadata', { streamId: '$$appraisal-tenant-a.1', type: '$metadata' }],
    ['statistics', { streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' }],
    ['a user-typed event in a system stream', { streamId: '$settings', type: 'Update' }],
    ['a $-typed event in a user stream', { streamId: STREAM, type: '$scavengeStarted' }],
  ])('drops %s', (_name, record) => {
    expect(isSystemEvent(record)).toBe(true);
  });

  it.each([STREAM, 'cycle-tenant-b.2$x'])('keeps events of stream %s', (streamId) => {
    expect(isSystemEvent({ streamId, type: 'PlanSubmitted' })).toBe(false);
  });

  it('asks the server to leave out $-typed events', () => {
    const filter = userEventsFilter();
    expect(filter.filterOn).toBe('eventType');
    const matches = (type: string) => 'regex' in filter && new RegExp(filter.regex).test(type);
    expect(matches('PlanSubmitted')).toBe(true);
    expect(matches('$>')).toBe(false);
    expect(matches('$metadata')).toBe(false);
  });
});

describe('a KurrentDB record → a recorded event', () => {
  const record: KurrentRecord = {
    streamId: STREAM,
    id: '5b1f6a2e-0000-4000-8000-000000000001',
    revision: 3n,
    type: 'PlanSubmitted',
    data: { appraisalId: 'a-1' },
    metadata: { tenantId: 'tenant-a', schemaVersion: 1, hash: 'h' },
    isJson: true,
    created: new Date('2026-03-01T10:00:00Z'),
    position: { commit: 4096n, prepare: 4000n },
  };

  it('keeps id, type, data, metadata, revision, and takes recordedAt from created', () => {
    const event = toRecordedEvent(record);
    expect(event).toEqual({
      eventId: record.id,
      type: 'PlanSubmitted',
      data: { appraisalId: 'a-1' },
      metadata: record.metadata,
      streamId: STREAM,
      streamRevision: 3n,
      position: event.position,
      recordedAt: record.created,
    });
    expect(decodePosition(event.position)).toEqual(record.position);
  });

  it('refuses a record without a position rather than inventing one', () => {
    expect(() => toRecordedEvent({ ...record, position: undefined })).toThrow(/without a position/);
  });

  it('refuses binary events and events without a metadata object: this store did not write them', () => {
    expect(() => toRecordedEvent({ ...record, isJson: false, data: new Uint8Array([1]) })).toThrow(
      /not written by/,
    );
    expect(() => toRecordedEvent({ ...record, metadata: undefined })).toThrow(/not written by/);
    expect(() => toRecordedEvent({ ...record, metadata: new Uint8Array([1]) })).toThrow(/not written by/);
  });
});
