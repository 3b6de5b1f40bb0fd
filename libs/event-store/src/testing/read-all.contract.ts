import { randomUUID } from 'node:crypto';
import { START, comparePositions, type RecordedEvent } from '../index';
import { freshStream, newEvent, readAllThrough, type ContractContext } from './contract-fixtures';

/** The event-store contract: reading the global log in commit order, from a position. */
export function describeReadAllContract({ store }: ContractContext): void {
  describe('readAll', () => {
    it('reads every stream in commit order, in batches, after an opaque position', async () => {
      const from = await store.headPosition();
      const a = freshStream();
      const b = freshStream('cycle');
      await store.append(a, [newEvent('A', { i: 0 }), newEvent('A', { i: 1 })], {
        expectedRevision: 'no_stream',
      });
      await store.append(b, [newEvent('B', { i: 2 })], { expectedRevision: 'no_stream' });
      await store.append(a, [newEvent('A', { i: 3 })], { expectedRevision: 1n });
      const written = await store.headPosition();
      const mine = (await readAllThrough(store, from, written, 2)).filter((event) =>
        [a, b].includes(event.streamId),
      );
      expect(mine.map((event) => (event.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
      for (let i = 1; i < mine.length; i++)
        expect(comparePositions(mine[i].position, mine[i - 1].position)).toBe(1);
      const head = await store.headPosition();
      expect(head).toBe(mine[mine.length - 1].position);
      await expect(store.readAll({ after: head, maxCount: 10 })).resolves.toEqual({
        events: [],
        next: head,
      });
    });

    it("reads one tenant's events only, when asked", async () => {
      const from = await store.headPosition();
      const tenant = `tenant-${randomUUID().slice(0, 8)}`;
      const mine = freshStream('appraisal', tenant);
      await store.append(mine, [newEvent('A', { i: 0 }, tenant)], { expectedRevision: 'no_stream' });
      await store.append(freshStream(), [newEvent('B', {})], { expectedRevision: 'no_stream' });
      await store.append(mine, [newEvent('A', { i: 1 }, tenant)], { expectedRevision: 0n });
      const head = await store.headPosition();
      const seen: RecordedEvent[] = [];
      let position = from;
      for (let tries = 0; tries < 500 && seen.length < 2; tries++) {
        const page = await store.readAll({ after: position, maxCount: 1, tenantId: tenant });
        seen.push(...page.events);
        position = page.next;
        if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(seen.map((event) => [event.streamId, (event.data as { i: number }).i])).toEqual([
        [mine, 0],
        [mine, 1],
      ]);
      expect(position).toBe(head);
      const after = await store.readAll({ after: position, maxCount: 10, tenantId: tenant });
      expect(after.events).toEqual([]);
    });

    it('starts at the beginning without a position', async () => {
      const { events } = await store.readAll({ maxCount: 1 });
      const { events: fromStart } = await store.readAll({ after: START, maxCount: 1 });
      expect(events).toHaveLength(1);
      expect(fromStart[0].eventId).toBe(events[0].eventId);
    });
  });
}
