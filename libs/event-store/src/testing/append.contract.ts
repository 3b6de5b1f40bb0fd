import { randomUUID } from 'node:crypto';
import {
  DuplicateEventId,
  InvalidEvent,
  MAX_EVENT_BYTES,
  START,
  StreamNotFound,
  TenantMismatch,
  WrongExpectedRevision,
  comparePositions,
  eventHash,
  type NewEvent,
} from '../index';
import { expectError, freshStream, metadataFor, newEvent, type ContractContext } from './contract-fixtures';

/** The event-store contract: appending to one stream: revisions, positions, what an event keeps, and the bad input refused with nothing written. */
export function describeAppendContract({ store, adapter, globallyUnique }: ContractContext): void {
  describe('append', () => {
    it('creates a stream at revision 0 and returns the next revision and a position', async () => {
      const stream = freshStream();
      const result = await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      expect(result.nextRevision).toBe(0n);
      expect(comparePositions(result.position, START)).toBe(1);
      const again = await store.append(stream, [newEvent(), newEvent()], { expectedRevision: 0n });
      expect(again.nextRevision).toBe(2n);
      expect(comparePositions(again.position, result.position)).toBe(1);
    });

    it('keeps every field an event carries', async () => {
      const stream = freshStream();
      const event: NewEvent = {
        eventId: randomUUID(),
        type: 'PeriodReviewed',
        data: {
          appraisalId: 'a-1',
          score: 87.3,
          notes: ['é', '"quoted"', '\\'],
          nested: { empty: [] },
          none: null,
        },
        metadata: metadataFor('tenant-a', {
          causationId: randomUUID(),
          schemaVersion: 2,
          ruleVersion: 'wf-3',
        }),
      };
      const { position } = await store.append(stream, [event], { expectedRevision: 'any' });
      const [stored] = await store.readStream(stream);
      expect(stored).toMatchObject({
        eventId: event.eventId,
        type: 'PeriodReviewed',
        data: event.data,
        streamId: stream,
        streamRevision: 0n,
        position,
      });
      expect(stored.metadata).toMatchObject(event.metadata);
      expect(stored.recordedAt).toBeInstanceOf(Date);
    });

    it('checks the exact expected revision and reports expected and actual', async () => {
      const stream = freshStream();
      await store.append(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      const error = await expectError(
        store.append(stream, [newEvent()], { expectedRevision: 0n }),
        WrongExpectedRevision,
      );
      expect(error).toMatchObject({
        code: 'wrong-expected-revision',
        streamId: stream,
        expected: 0n,
        actual: 1n,
      });
      await expect(store.append(stream, [newEvent()], { expectedRevision: 1n })).resolves.toMatchObject({
        nextRevision: 2n,
      });
    });

    it("honours 'no_stream', 'stream_exists' and 'any'", async () => {
      const stream = freshStream();
      const missing = await expectError(
        store.append(stream, [newEvent()], { expectedRevision: 'stream_exists' }),
        WrongExpectedRevision,
      );
      expect(missing.actual).toBeNull();
      await expectError(store.append(stream, [newEvent()], { expectedRevision: 3n }), WrongExpectedRevision);
      await store.append(stream, [newEvent()], { expectedRevision: 'any' });
      const exists = await expectError(
        store.append(stream, [newEvent()], { expectedRevision: 'no_stream' }),
        WrongExpectedRevision,
      );
      expect(exists.actual).toBe(0n);
      await expect(
        store.append(stream, [newEvent()], { expectedRevision: 'stream_exists' }),
      ).resolves.toMatchObject({
        nextRevision: 1n,
      });
      await expect(store.append(stream, [newEvent()], { expectedRevision: 'any' })).resolves.toMatchObject({
        nextRevision: 2n,
      });
    });

    it('treats a re-append of the same event ids as a no-op returning the first result', async () => {
      const stream = freshStream();
      const events = [newEvent(), newEvent()];
      const first = await store.append(stream, events, { expectedRevision: 'no_stream' });
      await store.append(stream, [newEvent()], { expectedRevision: 1n });
      const retried = await store.append(stream, events, { expectedRevision: 'no_stream' });
      expect(retried).toEqual(first);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    if (!globallyUnique)
      console.warn(
        `${adapter}: "refuses an event id already stored in another stream" skipped: ids are unique per stream there`,
      );
    (globallyUnique ? it : it.skip)('refuses an event id already stored in another stream', async () => {
      const event = newEvent();
      await store.append(freshStream(), [event], { expectedRevision: 'no_stream' });
      const other = freshStream();
      const error = await expectError(
        store.append(other, [event], { expectedRevision: 'no_stream' }),
        DuplicateEventId,
      );
      expect(error.code).toBe('duplicate-event-id');
      await expectError(store.readStream(other), StreamNotFound);
    });

    it("refuses another tenant's events in a stream", async () => {
      const stream = freshStream();
      await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const error = await expectError(
        store.append(stream, [newEvent('PlanSubmitted', {}, 'tenant-b')], { expectedRevision: 0n }),
        TenantMismatch,
      );
      expect(error.code).toBe('tenant-mismatch');
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('lets exactly one of N concurrent appends at the same revision win', async () => {
      const stream = freshStream();
      await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, () => store.append(stream, [newEvent()], { expectedRevision: 0n })),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter(
        (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(11);
      for (const outcome of lost) expect(outcome.reason).toBeInstanceOf(WrongExpectedRevision);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('chains each event to the previous one by hash', async () => {
      const stream = freshStream();
      await store.append(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      await store.append(stream, [newEvent('PlanApproved', { by: 'm' })], { expectedRevision: 1n });
      const events = await store.readStream(stream);
      expect(events[0].metadata.previousHash).toBeNull();
      events.forEach((event, index) => {
        expect(event.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(eventHash(event)).toBe(event.metadata.hash);
        if (index > 0) expect(event.metadata.previousHash).toBe(events[index - 1].metadata.hash);
      });
      const tampered = { ...events[1], data: { n: 2 } };
      expect(eventHash(tampered)).not.toBe(events[1].metadata.hash);
    });
  });

  describe('bad input: a typed error and nothing written', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const cases: [string, () => NewEvent[], string, string?][] = [
      ['data with a BigInt', () => [{ ...newEvent(), data: { amount: 10n } }], 'events[0].data.amount'],
      ['data with a function', () => [{ ...newEvent(), data: { f: () => 1 } }], 'events[0].data.f'],
      ['circular data', () => [{ ...newEvent(), data: circular }], 'events[0].data.self'],
      ['a Date in data', () => [{ ...newEvent(), data: { at: new Date(0) } }], 'events[0].data.at'],
      ['NaN in data', () => [{ ...newEvent(), data: { x: Number.NaN } }], 'events[0].data.x'],
      ['a NUL character', () => [{ ...newEvent(), data: { s: 'a\u0000b' } }], 'events[0].data.s'],
      ['a lone surrogate', () => [{ ...newEvent(), data: { s: 'a\ud800' } }], 'events[0].data.s'],
      [
        'an event over the size limit',
        () => [newEvent('PlanSubmitted', { blob: 'x'.repeat(MAX_EVENT_BYTES) })],
        'events[0]',
      ],
      ['an invalid type', () => [newEvent('Plan Submitted!')], 'events[0].type'],
      ['an empty type', () => [newEvent('')], 'events[0].type'],
      ['an event id that is no uuid', () => [{ ...newEvent(), eventId: 'not-a-uuid' }], 'events[0].eventId'],
      [
        'the same id twice',
        () => {
          const event = newEvent();
          return [event, { ...event }];
        },
        'events[1].eventId',
      ],
      ['no events', () => [], 'events'],
      [
        'metadata without a tenant',
        () => [{ ...newEvent(), metadata: { ...metadataFor(), tenantId: '' } }],
        'events[0].metadata.tenantId',
      ],
      [
        'metadata that sets the hash',
        () => [{ ...newEvent(), metadata: { ...metadataFor(), hash: 'f00' } }],
        'events[0].metadata.hash',
      ],
      [
        'two tenants in one append',
        () => [newEvent('A', {}, 'tenant-a'), newEvent('B', {}, 'tenant-b')],
        'events',
      ],
    ];
    it.each(cases)('%s', async (_name, events, field) => {
      const stream = freshStream();
      const error = await expectError(
        store.append(stream, events(), { expectedRevision: 'any' }),
        InvalidEvent,
      );
      expect(error).toMatchObject({ code: 'invalid-event', field });
      expect(error.rule.length).toBeGreaterThan(5);
      await expectError(store.readStream(stream), StreamNotFound);
    });

    it.each([
      ['an empty stream name', ''],
      ['a system stream name', '$all'],
      ['a stream name with control characters', 'appraisal-a.\n1'],
    ])('%s', async (_name, stream) => {
      const error = await expectError(
        store.append(stream, [newEvent()], { expectedRevision: 'any' }),
        InvalidEvent,
      );
      expect(error.field).toBe('streamId');
    });

    it('an invalid expected revision', async () => {
      const error = await expectError(
        store.append(freshStream(), [newEvent()], { expectedRevision: -1n }),
        InvalidEvent,
      );
      expect(error.field).toBe('expectedRevision');
    });
  });
}
