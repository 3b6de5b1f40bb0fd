import { setTimeout as sleep } from 'node:timers/promises';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { loadConfig } from '@verity/platform';
import { DuplicateEventId, InvalidEvent } from '../errors';
import { eventHash } from '../hash-chain';
import { comparePositions, type EventStore, type RecordedEvent } from '../event-store.port';
import {
  describeEventStoreContract,
  freshStream,
  newEvent,
  readAllAfter,
} from '../testing/event-store.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { encodePosition } from './kurrentdb-position';

const url = loadConfig().KURRENTDB_URL;

if (!url) {
  console.warn(
    'KurrentDB event-store tests skipped: KURRENTDB_URL is not set. Set it (e.g. kurrentdb://127.0.0.1:2113?tls=false; ' +
      '`docker compose -f infra/docker-compose.yml up -d kurrentdb` starts a server) to run the contract against KurrentDB.',
  );
  // What can be checked without a server: input is refused before anything is sent.
  describe('KurrentDbEventStore without a server', () => {
    it('refuses bad input with InvalidEvent before any network call', async () => {
      const store = new KurrentDbEventStore('kurrentdb://127.0.0.1:1?tls=false');
      try {
        await expect(store.append('', [newEvent()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
          InvalidEvent,
        );
        await expect(
          store.append(freshStream(), [newEvent('not a type!')], { expectedRevision: 'any' }),
        ).rejects.toMatchObject({ code: 'invalid-event', field: 'events[0].type' });
        const stream = freshStream();
        await expect(
          store.appendToStreams([
            { streamId: stream, events: [newEvent()], expectedRevision: 'any' },
            { streamId: stream, events: [newEvent()], expectedRevision: 'any' },
          ]),
        ).rejects.toMatchObject({ code: 'invalid-event', field: 'requests[1].streamId' });
        await expect(store.readStreams([''])).rejects.toMatchObject({ field: 'streamId' });
        await expect(store.readStreams([stream], { maxCount: 0 })).rejects.toMatchObject({
          field: 'maxCount',
        });
      } finally {
        await store.close();
      }
    });
  });
} else {
  describeEventStoreContract(
    'KurrentDB',
    async (reportForeignRead) => {
      const store = new KurrentDbEventStore(url, reportForeignRead);
      return { store, cleanup: () => store.close() };
    },
    { globallyUniqueEventIds: false },
  );

  describe('KurrentDbEventStore beyond the contract', () => {
    let store: EventStore;
    let client: KurrentDBClient;
    beforeAll(() => {
      store = new KurrentDbEventStore(url);
      client = KurrentDBClient.connectionString(url);
    });
    afterAll(async () => {
      await store.close();
      await client.dispose();
    });

    it("treats a re-append with 'any' of ids at the stream's end as a no-op returning the first result", async () => {
      const stream = freshStream();
      const events = [newEvent(), newEvent()];
      const first = await store.append(stream, events, { expectedRevision: 'any' });
      await store.append(stream, [newEvent()], { expectedRevision: 'any' });
      await expect(store.append(stream, events, { expectedRevision: 'any' })).resolves.toEqual(first);
      await expect(store.append(stream, events, { expectedRevision: 'stream_exists' })).resolves.toEqual(
        first,
      );
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('treats a retry re-sent at the revision reloaded after the first attempt as a no-op too', async () => {
      const stream = freshStream();
      const events = [newEvent(), newEvent()];
      const first = await store.append(stream, events, { expectedRevision: 'no_stream' });
      await expect(store.append(stream, events, { expectedRevision: 1n })).resolves.toEqual(first);
      await store.append(stream, [newEvent()], { expectedRevision: 1n });
      await expect(store.append(stream, events, { expectedRevision: 2n })).resolves.toEqual(first);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('refuses a retry whose ids only partly match what was stored, writing nothing', async () => {
      const stream = freshStream();
      const [a, b] = [newEvent(), newEvent()];
      await store.append(stream, [a, b], { expectedRevision: 'no_stream' });
      await expect(
        store.append(stream, [a, newEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(DuplicateEventId);
      await expect(
        store.append(stream, [a, b, newEvent()], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(DuplicateEventId);
      expect((await store.readStream(stream)).map((event) => event.eventId)).toEqual([a.eventId, b.eventId]);
    });

    it("lands every one of many concurrent 'any' appends to one stream, in one unbroken chain", async () => {
      const stream = freshStream();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.append(stream, [newEvent()], { expectedRevision: 'any' })),
      );
      expect(results.map((result) => result.nextRevision).sort()).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
      const events = await store.readStream(stream);
      expect(events).toHaveLength(8);
      events.forEach((event, index) => {
        expect(eventHash(event)).toBe(event.metadata.hash);
        expect(event.metadata.previousHash).toBe(index === 0 ? null : events[index - 1].metadata.hash);
      });
    });

    it('never skips nor repeats an event while 16 writers append and a reader tails readAll', async () => {
      const from = await store.headPosition();
      const shared = [freshStream(), freshStream()];
      const own = Array.from({ length: 16 }, () => freshStream());
      const written = new Set<string>();
      const seen: RecordedEvent[] = [];
      let writersDone = false;
      const reader = (async () => {
        let position = from;
        for (;;) {
          const finished = writersDone;
          const { events, next } = await store.readAll({ after: position, maxCount: 50 });
          seen.push(...events);
          position = next;
          if (events.length === 0) {
            if (finished) return;
            await sleep(2);
          }
        }
      })();
      await Promise.all(
        own.map(async (ownStream, writer) => {
          for (let i = 0; i < 20; i++) {
            const event = newEvent('PeriodReviewed', { writer, i });
            await store.append(i % 2 ? shared[writer % 2] : ownStream, [event], { expectedRevision: 'any' });
            written.add(event.eventId);
            await sleep(Math.random() * 3);
          }
        }),
      );
      writersDone = true;
      await reader;

      const mine = seen.filter((event) => written.has(event.eventId));
      expect(mine).toHaveLength(written.size);
      expect(new Set(mine.map((event) => event.eventId)).size).toBe(written.size);
      for (let i = 1; i < seen.length; i++)
        expect(comparePositions(seen[i].position, seen[i - 1].position)).toBe(1);
      for (const stream of [...shared, ...own]) {
        const inLog = mine.filter((event) => event.streamId === stream).map((event) => event.eventId);
        expect(inLog).toEqual((await store.readStream(stream)).map((event) => event.eventId));
      }
    });

    it("leaves the server's own events out of readAll and headPosition", async () => {
      const from = await store.headPosition();
      const stream = freshStream();
      const written = await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      // A `$metadata` event in `$$<stream>`, after ours in $all.
      await client.setStreamMetadata(stream, { maxCount: 1000 });
      const after = await readAllAfter(store, from, 3);
      expect(after.map((event) => event.streamId)).toEqual([stream]);
      expect(await store.headPosition()).toBe(written.position);
    });

    it("encodes the server's own $all positions, in its order", async () => {
      const stream = freshStream();
      await store.append(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      const ours = (await store.readStream(stream)).map((event) => event.position);
      const theirs: string[] = [];
      for await (const { event } of client.readStream(stream))
        if (event?.position) theirs.push(encodePosition(event.position));
      expect(ours).toEqual(theirs);
      expect([...ours].sort(comparePositions)).toEqual(ours);
    });
  });
}
