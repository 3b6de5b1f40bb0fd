import { InvalidEvent, StreamNotFound, eventHash } from '../index';
import {
  expectError,
  freshStream,
  newEvent,
  readAllThrough,
  type ContractContext,
} from './contract-fixtures';

/** The event-store contract: appending to several streams in one transaction: all or nothing, in the order given. */
export function describeAppendToStreamsContract({ store }: ContractContext): void {
  describe('appendToStreams', () => {
    it('appends to every stream, each at its own revision, chained as one append would', async () => {
      const [a, b, c] = [freshStream(), freshStream(), freshStream('cycle')];
      await store.append(b, [newEvent('A', { n: 0 })], { expectedRevision: 'no_stream' });
      const outcomes = await store.appendToStreams([
        {
          streamId: a,
          events: [newEvent('A', { n: 1 }), newEvent('A', { n: 2 })],
          expectedRevision: 'no_stream',
        },
        { streamId: b, events: [newEvent('A', { n: 3 })], expectedRevision: 0n },
        { streamId: c, events: [newEvent('A', { n: 4 })], expectedRevision: 'any' },
      ]);
      expect(outcomes.map((outcome) => outcome.ok && outcome.result.nextRevision)).toEqual([1n, 1n, 0n]);
      const [readA, readB] = [await store.readStream(a), await store.readStream(b)];
      expect(readA.map((event) => event.streamRevision)).toEqual([0n, 1n]);
      expect(readB[1].metadata.previousHash).toBe(readB[0].metadata.hash);
      for (const event of [...readA, ...readB]) expect(eventHash(event)).toBe(event.metadata.hash);
      for (const [index, outcome] of outcomes.entries()) {
        const stream = [a, b, c][index];
        const events = await store.readStream(stream);
        expect(outcome.ok && outcome.result.position).toBe(events[events.length - 1].position);
      }
    });

    it('reports a failing stream and still writes the others', async () => {
      const [ok, stale, foreign] = [freshStream(), freshStream(), freshStream()];
      await store.append(stale, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      await store.append(foreign, [newEvent()], { expectedRevision: 'no_stream' });
      const outcomes = await store.appendToStreams([
        { streamId: stale, events: [newEvent()], expectedRevision: 0n },
        { streamId: ok, events: [newEvent()], expectedRevision: 'no_stream' },
        { streamId: foreign, events: [newEvent('A', {}, 'tenant-b')], expectedRevision: 0n },
      ]);
      expect(outcomes[0]).toMatchObject({
        ok: false,
        error: { code: 'wrong-expected-revision', actual: 1n },
      });
      expect(outcomes[1]).toMatchObject({ ok: true, result: { nextRevision: 0n } });
      expect(outcomes[2]).toMatchObject({ ok: false, error: { code: 'tenant-mismatch' } });
      expect(await store.readStream(stale)).toHaveLength(2);
      expect(await store.readStream(ok)).toHaveLength(1);
      expect(await store.readStream(foreign)).toHaveLength(1);
    });

    it('treats a repeated call as a no-op returning the first results', async () => {
      const requests = [freshStream(), freshStream()].map((streamId) => ({
        streamId,
        events: [newEvent(), newEvent()],
        expectedRevision: 'no_stream' as const,
      }));
      const first = await store.appendToStreams(requests);
      expect(await store.appendToStreams(requests)).toEqual(first);
      expect(await store.readStream(requests[0].streamId)).toHaveLength(2);
    });

    it('refuses bad input before writing anything, naming the request', async () => {
      const stream = freshStream();
      const twice = await expectError(
        store.appendToStreams([
          { streamId: stream, events: [newEvent()], expectedRevision: 'any' },
          { streamId: stream, events: [newEvent()], expectedRevision: 'any' },
        ]),
        InvalidEvent,
      );
      expect(twice.field).toBe('requests[1].streamId');
      const bad = await expectError(
        store.appendToStreams([
          { streamId: stream, events: [newEvent()], expectedRevision: 'any' },
          {
            streamId: freshStream(),
            events: [{ ...newEvent(), data: { n: NaN } }],
            expectedRevision: 'any',
          },
        ]),
        InvalidEvent,
      );
      expect(bad.field).toBe('requests[1].events[0].data.n');
      await expectError(store.appendToStreams([]), InvalidEvent);
      await expectError(store.readStream(stream), StreamNotFound);
    });

    it('keeps each stream in revision order in the global log while writers overlap', async () => {
      const from = await store.headPosition();
      const streams = Array.from({ length: 6 }, () => freshStream());
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          for (let round = 0; round < 5; round++) {
            // Each writer takes a different, overlapping set of streams, in a different order.
            const mine = streams.filter((_, index) => (index + writer + round) % 3 !== 0);
            if (writer % 2) mine.reverse();
            await store.appendToStreams(
              mine.map((streamId) => ({
                streamId,
                events: [newEvent('A', { writer, round })],
                expectedRevision: 'any',
              })),
            );
          }
        }),
      );
      const head = await store.headPosition();
      const logged = (await readAllThrough(store, from, head)).filter((event) =>
        streams.includes(event.streamId),
      );
      for (const stream of streams) {
        const revisions = logged.filter((event) => event.streamId === stream).map((e) => e.streamRevision);
        expect(revisions).toEqual(revisions.map((_, index) => BigInt(index)));
        expect(revisions.length).toBe((await store.readStream(stream)).length);
      }
    });
  });
}
