import { randomUUID } from 'node:crypto';
import { InvalidEvent, StreamNotFound, TenantMismatch, streamName, type RecordedEvent } from '../index';
import { expectError, freshStream, newEvent, type ContractContext } from './contract-fixtures';

/** The event-store contract: reading streams: one, several, and on a tenant's behalf (that tenant's events only). */
export function describeReadStreamsContract({ store, foreignReads }: ContractContext): void {
  describe('readStreams', () => {
    it('reads several streams forwards, up to a max count each, leaving out streams without events', async () => {
      const [a, b, missing] = [freshStream(), freshStream(), freshStream()];
      await store.append(
        a,
        [0, 1, 2].map((n) => newEvent('A', { n })),
        { expectedRevision: 'no_stream' },
      );
      await store.append(b, [newEvent('A', { n: 9 })], { expectedRevision: 'no_stream' });
      const all = await store.readStreams([a, b, missing]);
      expect([...all.keys()].sort()).toEqual([a, b].sort());
      expect(all.get(a)!.map((event) => (event.data as { n: number }).n)).toEqual([0, 1, 2]);
      expect(all.get(a)).toEqual(await store.readStream(a));
      const first = await store.readStreams([a, b], { maxCount: 2 });
      expect(first.get(a)!.map((event) => event.streamRevision)).toEqual([0n, 1n]);
      expect(first.get(b)).toHaveLength(1);
      expect((await store.readStreams([])).size).toBe(0);
      await expectError(store.readStreams([a], { maxCount: 0 }), InvalidEvent);
    });
  });

  describe('readStream', () => {
    let stream: string;
    beforeAll(async () => {
      stream = freshStream();
      await store.append(
        stream,
        Array.from({ length: 5 }, (_, n) => newEvent('PeriodReviewed', { n })),
        { expectedRevision: 'no_stream' },
      );
    });
    const ns = (events: RecordedEvent[]) => events.map((event) => (event.data as { n: number }).n);

    it('reads forwards from the start or a revision, with a max count', async () => {
      expect(ns(await store.readStream(stream))).toEqual([0, 1, 2, 3, 4]);
      expect(ns(await store.readStream(stream, { fromRevision: 2n }))).toEqual([2, 3, 4]);
      expect(ns(await store.readStream(stream, { fromRevision: 1n, maxCount: 2 }))).toEqual([1, 2]);
      expect(await store.readStream(stream, { fromRevision: 5n })).toEqual([]);
    });

    it('reads backwards from the end or a revision', async () => {
      expect(ns(await store.readStream(stream, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
      expect(ns(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([4]);
      expect(ns(await store.readStream(stream, { direction: 'backwards', fromRevision: 2n }))).toEqual([
        2, 1, 0,
      ]);
    });

    it('throws StreamNotFound for a stream without events', async () => {
      const error = await expectError(store.readStream(freshStream()), StreamNotFound);
      expect(error.code).toBe('stream-not-found');
    });
  });

  describe("tenancy: a read on a tenant's behalf returns that tenant's events only", () => {
    const suffix = randomUUID().slice(0, 8);
    const [owner, other] = [`owner-${suffix}`, `other-${suffix}`];

    it('reads a stream for its own tenant, and refuses it to another (TenantMismatch, reported)', async () => {
      const stream = freshStream('appraisal', owner);
      await store.append(
        stream,
        [0, 1].map((n) => newEvent('A', { n }, owner)),
        { expectedRevision: 'no_stream' },
      );
      expect(await store.readStream(stream, { tenantId: owner })).toHaveLength(2);
      foreignReads.length = 0;
      for (const options of [
        { tenantId: other },
        { tenantId: other, direction: 'backwards' as const, maxCount: 1 },
        // Past the end: no events, but the stream is still another tenant's.
        { tenantId: other, fromRevision: 2n },
      ]) {
        const error = await expectError(store.readStream(stream, options), TenantMismatch);
        expect(error.code).toBe('tenant-mismatch');
      }
      const refused = await expectError(
        store.readStreams([freshStream('appraisal', other), stream], { tenantId: other }),
        TenantMismatch,
      );
      expect(refused.streamId).toBe(stream);
      expect(foreignReads.length).toBeGreaterThanOrEqual(3);
      expect(foreignReads[0]).toEqual({
        streamId: stream,
        expectedTenantId: other,
        foundTenantId: owner,
      });
      expect((await store.readStreams([stream], { tenantId: owner })).get(stream)).toHaveLength(2);
    });

    it('refuses a tenant id with a dot (or outside the alphabet) in event metadata and stream names', async () => {
      // Tenant `x` may own `appraisal-x.dot.<id>`; a tenant `x.dot` would name that same stream.
      const dotted = `${owner}.dot`;
      await expectError(
        store.append(`appraisal-${owner}.dot.${randomUUID()}`, [newEvent('A', {}, dotted)], {
          expectedRevision: 'no_stream',
        }),
        InvalidEvent,
      );
      for (const tenantId of [dotted, '', '-lead', 'with space', 'a'.repeat(64), 'ünï']) {
        const error = await expectError(
          store.append(freshStream(), [newEvent('A', {}, tenantId)], { expectedRevision: 'no_stream' }),
          InvalidEvent,
        );
        expect(error.field).toMatch(/^events\[0\]\.metadata\.tenantId$/);
      }
      expect(() => streamName('appraisal', dotted, '1')).toThrow(InvalidEvent);
      expect(streamName('appraisal', owner, 'dot.1')).toBe(`appraisal-${owner}.dot.1`);
    });

    it("keeps colliding-looking names apart: tenant X's `dot.<id>` is not X-dot's", async () => {
      const id = randomUUID();
      const mine = streamName('appraisal', owner, `dot.${id}`);
      await store.append(mine, [newEvent('A', { n: 1 }, owner)], { expectedRevision: 'no_stream' });
      const lookalike = streamName('appraisal', `${owner}-dot`, id);
      expect(lookalike).not.toBe(mine);
      await expectError(store.readStream(lookalike, { tenantId: `${owner}-dot` }), StreamNotFound);
      await expectError(store.readStream(mine, { tenantId: `${owner}-dot` }), TenantMismatch);
    });
  });
}
