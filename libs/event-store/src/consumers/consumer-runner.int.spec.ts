import type { PoolClient } from 'pg';
import { eventually } from '../../../../test/support/eventually';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import type { EventStore, RecordedEvent } from '../event-store.port';
import { freshStream, newEvent } from '../testing/event-store.contract';
import type { ConsumerHandler } from './consumer';
import { ConsumerRunner } from './consumer-runner';
import { readConsumerLag, requestRebuild } from './checkpoints';
import { listParkedStreams, skipParkedEvent, retryParkedEvent } from './parked-streams';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const db = storeOfThisFile('consumer-runner-test', 12);
let table = 0;

/**
 * A read model for the tests: one row per handled event (a duplicate would break the primary
 * key) plus a per-stream counter, so double application or a skip both show.
 */
async function countingProjection(
  options: {
    types?: string[];
    beforeCommit?: (tx: PoolClient) => Promise<void>;
    /** A poison event: the handler throws on it (after writing the rows of the events before it). */
    failOn?: (event: RecordedEvent) => boolean;
  } = {},
) {
  const name = `test_model_${process.pid}_${++table}`;
  await db.pool.query(
    `CREATE TABLE ${name} (event_id uuid PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, seq bigserial)`,
  );
  await db.pool.query(`CREATE TABLE ${name}_totals (stream_id text PRIMARY KEY, handled int NOT NULL)`);
  const handler: ConsumerHandler = {
    name,
    eventTypes: options.types,
    async handle(events: RecordedEvent[], tx: PoolClient) {
      for (const event of events) {
        if (options.failOn?.(event))
          throw new Error(`cannot apply ${event.type}: value overflows numeric format`);
        await tx.query(`INSERT INTO ${name} VALUES ($1, $2, $3)`, [
          event.eventId,
          event.streamId,
          event.streamRevision,
        ]);
        await tx.query(
          `INSERT INTO ${name}_totals VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET handled = ${name}_totals.handled + 1`,
          [event.streamId],
        );
      }
      await options.beforeCommit?.(tx);
    },
    async reset(tx: PoolClient) {
      await tx.query(`DELETE FROM ${name}`);
      await tx.query(`DELETE FROM ${name}_totals`);
    },
  };
  const rows = async () =>
    (await db.pool.query(`SELECT stream_id, handled FROM ${name}_totals ORDER BY stream_id`)).rows as {
      stream_id: string;
      handled: number;
    }[];
  const count = async () => Number((await db.pool.query(`SELECT count(*) FROM ${name}`)).rows[0].count);
  /** The revisions of one stream in the order they were applied. */
  const appliedOf = async (stream: string) =>
    (
      await db.pool.query(`SELECT revision FROM ${name} WHERE stream_id = $1 ORDER BY seq`, [stream])
    ).rows.map((row: { revision: string }) => Number(row.revision));
  return { handler, rows, count, appliedOf };
}

async function appendMany(streams: string[], perStream: number, type = 'Counted'): Promise<void> {
  for (const stream of streams)
    await db.store.append(
      stream,
      Array.from({ length: perStream }, () => newEvent(type)),
      { expectedRevision: 'any' },
    );
}

const runner = (
  handler: ConsumerHandler,
  extra: Partial<ConstructorParameters<typeof ConsumerRunner>[0]> = {},
) =>
  new ConsumerRunner({
    pool: db.pool,
    store: db.store,
    handler,
    batchSize: 7,
    takeoverIntervalMs: 50,
    ...extra,
  });

/** A runner started, run up to the head of the log and stopped (its status tells where it got). */
async function runToHead(...args: Parameters<typeof runner>): Promise<ConsumerRunner> {
  const consumer = runner(...args);
  await consumer.start();
  await consumer.caughtUp();
  await consumer.stop();
  return consumer;
}

describe('ConsumerRunner', () => {
  it('hands every event over once, in batches, and commits the checkpoint with the rows', async () => {
    const model = await countingProjection();
    const streams = [freshStream(), freshStream(), freshStream()];
    await appendMany(streams, 10);
    const consumer = runner(model.handler);
    await consumer.start();
    await consumer.caughtUp();
    await appendMany(streams, 5);
    await consumer.caughtUp();
    await consumer.stop();
    const mine = (await model.rows()).filter((row) => streams.includes(row.stream_id));
    expect(mine.map((row) => row.handled)).toEqual([15, 15, 15]);
    const { rows } = await db.pool.query('SELECT position FROM consumer_checkpoints WHERE name = $1', [
      model.handler.name,
    ]);
    expect(rows[0].position).toBe(consumer.status().position);
    expect(rows[0].position).toBe(await db.store.headPosition());
  });

  it('reads the next batch while handling a full one (catching up), and still hands each event once', async () => {
    const streams = [freshStream(), freshStream()];
    await appendMany(streams, 20);
    // Counts the log reads: when batch k commits, one read per batch so far, plus the next one's
    // if it was read ahead (every batch here is full: the database holds more than 40 events).
    let reads = 0;
    const counting: EventStore = Object.create(db.store, {
      readAll: {
        value: (...args: Parameters<EventStore['readAll']>) => (reads++, db.store.readAll(...args)),
      },
    });
    let batches = 0;
    let overlapped = 0;
    const model = await countingProjection({
      beforeCommit: async () => {
        batches++;
        if (reads > batches) overlapped++;
      },
    });
    await runToHead(model.handler, { store: counting });
    expect(overlapped).toBeGreaterThan(0);
    const mine = (await model.rows()).filter((row) => streams.includes(row.stream_id));
    expect(mine.map((row) => row.handled)).toEqual([20, 20]);
  });

  it('catches up in batches of catchUpBatchSize, then follows the log in batches of batchSize', async () => {
    const streams = [freshStream(), freshStream()];
    await appendMany(streams, 30);
    const asked: number[] = [];
    const counting: EventStore = Object.create(db.store, {
      readAll: {
        value: (options: Parameters<EventStore['readAll']>[0]) => (
          asked.push(options.maxCount),
          db.store.readAll(options)
        ),
      },
    });
    const model = await countingProjection();
    const consumer = runner(model.handler, { store: counting, catchUpBatchSize: 25 });
    await consumer.start();
    await consumer.caughtUp();
    await appendMany(streams, 3);
    await consumer.caughtUp();
    await consumer.stop();
    // Every read of the catch-up asked for 25, every one after it (idle polls, the 6 new events) for 7.
    const firstSmall = asked.indexOf(7);
    expect(firstSmall).toBeGreaterThan(1);
    expect(asked.slice(0, firstSmall).every((n) => n === 25)).toBe(true);
    expect(asked.slice(firstSmall).every((n) => n === 7)).toBe(true);
    const mine = (await model.rows()).filter((row) => streams.includes(row.stream_id));
    expect(mine.map((row) => row.handled)).toEqual([33, 33]);
  });

  it('commits without the WAL wait for a read model only (derivedOnly), and with it for any other handler', async () => {
    await appendMany([freshStream()], 3);
    const settings: Record<string, string[]> = { derived: [], other: [] };
    const recording = (kind: 'derived' | 'other'): ConsumerHandler => ({
      name: `sync-${kind}-${++table}`,
      derivedOnly: kind === 'derived',
      async handle(_events, tx) {
        const { rows } = await tx.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
        settings[kind].push(rows[0].synchronous_commit);
      },
    });
    for (const kind of ['derived', 'other'] as const) {
      await runToHead(recording(kind));
    }
    expect(new Set(settings.derived)).toEqual(new Set(['off']));
    expect(new Set(settings.other)).toEqual(new Set(['on']));
    // SET LOCAL: the connection the runner gives back to the pool keeps the server's setting.
    const { rows } = await db.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    expect(rows[0].synchronous_commit).toBe('on');
  });

  it('hands over only the types it asks for, and still moves its checkpoint past the others', async () => {
    const model = await countingProjection({ types: ['Wanted'] });
    const stream = freshStream();
    await appendMany([stream], 3, 'Wanted');
    await appendMany([stream], 4, 'Unwanted');
    const consumer = await runToHead(model.handler);
    expect(await model.rows()).toEqual([{ stream_id: stream, handled: 3 }]);
    expect(consumer.status().position).toBe(await db.store.headPosition());
  });

  it('a crash mid-batch (rows written, connection lost before commit) leaves the same read model as a clean run', async () => {
    const streams = [freshStream(), freshStream()];
    await appendMany(streams, 20);
    const clean = await countingProjection();
    await runToHead(clean.handler);

    let crashes = 0;
    const crashing = await countingProjection({
      beforeCommit: async (tx) => {
        // The third batch dies after writing its rows: the server ends the connection.
        if (++crashes === 3) await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      },
    });
    const errors: unknown[] = [];
    await runToHead(crashing.handler, { onError: (error) => errors.push(error) });

    expect(errors).toHaveLength(1);
    expect(await crashing.rows()).toEqual(await clean.rows());
    expect(await crashing.count()).toBe(await clean.count());
  });

  it('a handler error rolls the batch back and retries it', async () => {
    const stream = freshStream();
    await appendMany([stream], 5);
    let failures = 0;
    const model = await countingProjection({
      beforeCommit: async () => {
        if (failures++ === 0) throw new Error('read model unavailable');
      },
    });
    await runToHead(model.handler, { onError: () => undefined });
    expect((await model.rows()).find((row) => row.stream_id === stream)?.handled).toBe(5);
  });

  it('runs one active instance per name; a second waits and takes over when the first dies', async () => {
    const model = await countingProjection();
    const stream = freshStream();
    await appendMany([stream], 10);
    const first = runner(model.handler);
    const second = runner(model.handler);
    await first.start();
    await first.caughtUp();
    await second.start();
    await sleep(200);
    expect(first.status().active).toBe(true);
    expect(second.status().active).toBe(false);

    // The first one's database session dies (as when its process is killed).
    await db.pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7301 AND objid = hashtext($1)::oid AND granted",
      [model.handler.name],
    );
    await first.stop();
    await appendMany([stream], 5);
    await second.caughtUp(10_000);
    expect(second.status().active).toBe(true);
    await second.stop();
    expect((await model.rows()).find((row) => row.stream_id === stream)?.handled).toBe(15);
  });

  it('stops gracefully: the batch in hand commits, the lock is released', async () => {
    const stream = freshStream();
    await appendMany([stream], 30);
    let batches = 0;
    const model = await countingProjection({
      beforeCommit: async () => {
        batches += 1;
        await sleep(20);
      },
    });
    const consumer = runner(model.handler);
    await consumer.start();
    while (batches === 0) await sleep(5);
    await consumer.stop();
    const { rows } = await db.pool.query('SELECT position FROM consumer_checkpoints WHERE name = $1', [
      model.handler.name,
    ]);
    expect(rows[0].position).toBe(consumer.status().position);
    const locks = await db.pool.query(
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7301 AND objid = hashtext($1)::oid",
      [model.handler.name],
    );
    expect(Number(locks.rows[0].count)).toBe(0);
    const handled = (await model.rows()).find((row) => row.stream_id === stream)?.handled ?? 0;
    expect(handled % 7 === 0 || handled === 30).toBe(true); // whole batches only
  });

  // How soon it picks an event up is a figure of the machine: bench:pickup measures it.
  it('does not busy-loop while idle, and still picks up a new event', async () => {
    const model = await countingProjection();
    let reads = 0;
    const store: EventStore = db.store;
    const counted: EventStore = {
      ...store,
      readAll: (options) => {
        reads += 1;
        return store.readAll(options);
      },
      headPosition: () => store.headPosition(),
    };
    const consumer = new ConsumerRunner({
      pool: db.pool,
      store: counted,
      handler: model.handler,
      batchSize: 100,
    });
    await consumer.start();
    await consumer.caughtUp();
    reads = 0;
    await sleep(1_000);
    const idleReads = reads;
    // A busy machine only lowers the count: the bound holds however slow it is.
    expect(idleReads).toBeLessThanOrEqual(40); // at most one read per 25 ms on average
    const stream = freshStream();
    await appendMany([stream], 1);
    await eventually(
      async () => (await model.rows()).some((row) => row.stream_id === stream),
      30_000,
      'the event picked up after idling',
    );
    await consumer.stop();
  });

  it('rebuilds on request while events keep arriving, ending as if it had never rebuilt', async () => {
    const streams = [freshStream(), freshStream(), freshStream()];
    await appendMany(streams, 10);
    const model = await countingProjection();
    const consumer = runner(model.handler, { batchSize: 5 });
    await consumer.start();
    await consumer.caughtUp();
    const writing = (async () => {
      for (let i = 0; i < 10; i++) {
        await appendMany(streams, 1);
        await sleep(5);
      }
    })();
    await requestRebuild(db.pool, model.handler.name);
    await writing;
    await sleep(100);
    await consumer.caughtUp();
    const [lag] = await readConsumerLag(db.pool, [model.handler.name]);
    await consumer.stop();
    expect(lag).toMatchObject({ name: model.handler.name, events: 0, seconds: 0, rebuildRequested: false });
    const mine = (await model.rows()).filter((row) => streams.includes(row.stream_id));
    expect(mine.map((row) => row.handled)).toEqual([20, 20, 20]);
  });

  it('reports lag in events and seconds', async () => {
    const model = await countingProjection();
    await runToHead(model.handler);
    await appendMany([freshStream()], 4);
    await sleep(50);
    const [lag] = await readConsumerLag(db.pool, [model.handler.name]);
    expect(lag.events).toBeGreaterThanOrEqual(4);
    expect(lag.seconds).toBeGreaterThan(0.04);
  });

  describe('an event it cannot apply (docs/adr/0071)', () => {
    /** Stream A: 4 events, the second poison; stream B: 5 good events, appended after A's. */
    async function poisoned() {
      const [a, b] = [freshStream('appraisal', 'tenant-a'), freshStream('appraisal', 'tenant-b')];
      await db.store.append(a, [newEvent('Counted')], { expectedRevision: 'no_stream' });
      await db.store.append(a, [newEvent('Counted', { poison: true })], { expectedRevision: 0n });
      await db.store.append(a, [newEvent('Counted'), newEvent('Counted')], { expectedRevision: 1n });
      await db.store.append(
        b,
        Array.from({ length: 5 }, () => newEvent('Counted', { n: 1 }, 'tenant-b')),
        {
          expectedRevision: 'no_stream',
        },
      );
      return { a, b };
    }
    // Earlier tests' poison events are in the log too: only this test's stream is poison.
    const poisonIn = (stream: string) => (event: RecordedEvent) =>
      event.streamId === stream && (event.data as { poison?: boolean }).poison === true;

    it("parks the stream, holds its later events, applies every other stream's, and alerts", async () => {
      const { a, b } = await poisoned();
      let fixed = false;
      const model = await countingProjection({ failOn: (event) => !fixed && poisonIn(a)(event) });
      const notices: { streamId: string; attempts: number; error: string }[] = [];
      const consumer = runner(model.handler, {
        parking: { firstRetryMs: 50, maxRetryMs: 200 },
        onParked: (notice) => notices.push(notice),
      });
      await consumer.start();
      await consumer.caughtUp();
      expect(await model.appliedOf(b)).toEqual([0, 1, 2, 3, 4]);
      // A's event before the poison is applied; the poison and what follows it in A wait.
      expect(await model.appliedOf(a)).toEqual([0]);
      const [parked] = await listParkedStreams(db.pool, { consumer: model.handler.name });
      expect(parked).toMatchObject({ streamId: a, tenantId: 'tenant-a', eventType: 'Counted', held: 3 });
      expect(parked.error).toContain('value overflows numeric format');
      expect(consumer.status().parkedStreams).toBe(1);
      expect(notices[0]).toMatchObject({ streamId: a, attempts: 1 });
      // Retried with back-off while it still fails (attempts grow), still in order.
      await eventually(async () => notices.length >= 3, 20_000, 'retries of the parked stream');
      expect(notices.map((notice) => notice.attempts).slice(0, 3)).toEqual([1, 2, 3]);
      expect(await model.appliedOf(a)).toEqual([0]);
      // Events appended to A meanwhile are held too, never applied before the poison.
      await db.store.append(a, [newEvent('Counted')], { expectedRevision: 3n });
      await consumer.caughtUp();
      expect(await model.appliedOf(a)).toEqual([0]);
      fixed = true;
      await eventually(
        async () => (await model.appliedOf(a)).length === 5,
        20_000,
        'the parked stream applied',
      );
      expect(await model.appliedOf(a)).toEqual([0, 1, 2, 3, 4]);
      expect(await listParkedStreams(db.pool, { consumer: model.handler.name })).toEqual([]);
      expect(consumer.status().parkedStreams).toBe(0);
      await consumer.stop();
    });

    it('an operator skips the failed event (the rest of the stream follows in order) or asks for a retry now', async () => {
      const { a } = await poisoned();
      const model = await countingProjection({ failOn: poisonIn(a) });
      // A long back-off: only the operator's request makes it try again.
      const consumer = runner(model.handler, { parking: { firstRetryMs: 60_000, maxRetryMs: 60_000 } });
      await consumer.start();
      await consumer.caughtUp();
      const [parked] = await listParkedStreams(db.pool, { consumer: model.handler.name });
      expect(await retryParkedEvent(db.pool, model.handler.name, parked.eventId)).toMatchObject({
        streamId: a,
      });
      expect(
        await skipParkedEvent(db.pool, model.handler.name, '00000000-0000-0000-0000-000000000000'),
      ).toBeNull();
      expect(await skipParkedEvent(db.pool, model.handler.name, parked.eventId)).toMatchObject({ held: 3 });
      await eventually(async () => (await model.appliedOf(a)).length === 3, 20_000, 'the rest of the stream');
      expect(await model.appliedOf(a)).toEqual([0, 2, 3]);
      expect(await listParkedStreams(db.pool, { consumer: model.handler.name })).toEqual([]);
      await consumer.stop();
    });

    it('a failure of every event of a batch (the database or Redis away) parks nothing and retries the batch', async () => {
      const streams = [freshStream(), freshStream()];
      await appendMany(streams, 3);
      let calls = 0;
      const model = await countingProjection({ failOn: () => ++calls <= 7 });
      await runToHead(model.handler, { onError: () => undefined });
      expect(await model.appliedOf(streams[0])).toEqual([0, 1, 2]);
      expect(await model.appliedOf(streams[1])).toEqual([0, 1, 2]);
      expect(await listParkedStreams(db.pool, { consumer: model.handler.name })).toEqual([]);
    });

    it('a rebuild forgets what was parked (the read model starts again from the first event)', async () => {
      const { a } = await poisoned();
      let fixed = false;
      const model = await countingProjection({ failOn: (event) => !fixed && poisonIn(a)(event) });
      const consumer = runner(model.handler, { parking: { firstRetryMs: 60_000, maxRetryMs: 60_000 } });
      await consumer.start();
      await consumer.caughtUp();
      expect(consumer.status().parkedStreams).toBe(1);
      fixed = true;
      await requestRebuild(db.pool, model.handler.name);
      await eventually(async () => (await model.appliedOf(a)).length === 4, 30_000, 'the rebuilt stream');
      expect(await model.appliedOf(a)).toEqual([0, 1, 2, 3]);
      expect(await listParkedStreams(db.pool, { consumer: model.handler.name })).toEqual([]);
      expect(consumer.status().parkedStreams).toBe(0);
      await consumer.stop();
    });
  });
});
