import type { PoolClient } from 'pg';
import { createPool } from '@verity/platform';
import { workerDatabaseUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import { PostgresEventStore } from './postgres-event-store';
import { eventsAheadOfTransactionCounter } from './transaction-counter';
import { contentHashOfCanonical, eventHash } from '../hash-chain';
import { prepareAppend } from '../validation';
import { comparePositions, type RecordedEvent } from '../event-store.port';
import {
  describeEventStoreContract,
  freshStream,
  newEvent,
  readAllAfter,
} from '../testing/event-store.contract';

describeEventStoreContract('PostgreSQL', async (reportForeignRead) => {
  const pool = createPool(workerDatabaseUrl(), 16, 'event-store-contract');
  return { store: new PostgresEventStore(pool, reportForeignRead), cleanup: () => pool.end() };
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Appends inside an explicit transaction on `client` (BEGIN already sent). */
const storeIn = (client: PoolClient) => new PostgresEventStore(client);

describe('PostgreSQL adapter: the global log never skips an event', () => {
  const db = storeOfThisFile('event-store-no-skip', 24);

  /** Tails readAll from `after` while writers run, then up to the head committed when they are done. */
  async function tail(after: string, done: () => boolean): Promise<RecordedEvent[]> {
    const seen: RecordedEvent[] = [];
    let position = after;
    let head: string | undefined;
    for (;;) {
      if (head === undefined && done()) head = await db.store.headPosition();
      const { events, next } = await db.store.readAll({ after: position, maxCount: 50 });
      seen.push(...events);
      position = next;
      if (head !== undefined && comparePositions(position, head) >= 0) return seen;
      if (events.length === 0) await sleep(2);
    }
  }

  it('16 writers with random delays inside their transactions, some rolled back: every committed event once, in stream order', async () => {
    const from = await db.store.headPosition();
    const shared = [freshStream(), freshStream()];
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    let writing = 16;

    const writer = async (index: number) => {
      const own = freshStream();
      for (let round = 0; round < 12; round++) {
        const stream = round % 3 === 0 ? shared[index % 2] : own;
        const events = Array.from({ length: 1 + (round % 3) }, () => newEvent('Written', { index, round }));
        const client = await db.pool.connect();
        try {
          await client.query('BEGIN');
          await storeIn(client).append(stream, events, { expectedRevision: 'any' });
          await client.query('SELECT pg_sleep($1)', [Math.random() * 0.03]);
          const commit = Math.random() > 0.15;
          await client.query(commit ? 'COMMIT' : 'ROLLBACK');
          for (const event of events) (commit ? committed : rolledBack).add(event.eventId);
        } finally {
          client.release();
        }
        await sleep(Math.random() * 5);
      }
    };

    const reading = tail(from, () => writing === 0);
    await Promise.all(Array.from({ length: 16 }, (_, index) => writer(index).finally(() => (writing -= 1))));
    const seen = await reading;
    const mine = seen.filter((event) => event.type === 'Written');

    expect(mine.length).toBe(committed.size);
    expect(new Set(mine.map((event) => event.eventId))).toEqual(committed);
    expect(mine.filter((event) => rolledBack.has(event.eventId))).toEqual([]);
    expect(rolledBack.size).toBeGreaterThan(0);
    // Stream order: in log order, each stream's revisions run 0, 1, 2, … without a gap.
    const next = new Map<string, bigint>();
    for (const event of mine) {
      expect(event.streamRevision).toBe(next.get(event.streamId) ?? 0n);
      next.set(event.streamId, event.streamRevision + 1n);
    }
    for (let i = 1; i < seen.length; i++)
      expect(comparePositions(seen[i].position, seen[i - 1].position)).toBe(1);
  });

  it('a reader does not pass a transaction that took an earlier position and commits late', async () => {
    const from = await db.store.headPosition();
    const slow = await db.pool.connect();
    try {
      await slow.query('BEGIN');
      const late = newEvent('Late');
      await storeIn(slow).append(freshStream(), [late], { expectedRevision: 'no_stream' });
      const early = newEvent('Early');
      await db.store.append(freshStream(), [early], { expectedRevision: 'no_stream' });

      // B is committed, but A (an earlier transaction) is still open: nothing may be handed out yet.
      const whileOpen = await db.store.readAll({ after: from, maxCount: 100 });
      expect(whileOpen.events.map((event) => event.eventId)).not.toContain(early.eventId);
      expect(whileOpen.events.map((event) => event.eventId)).not.toContain(late.eventId);

      await slow.query('COMMIT');
      const after = await waitFor(from, [late.eventId, early.eventId]);
      expect(after.map((event) => event.eventId)).toEqual([late.eventId, early.eventId]);
      const again = await db.store.readAll({ after: after[after.length - 1].position, maxCount: 100 });
      expect(again.events.map((event) => event.eventId)).not.toEqual(expect.arrayContaining([late.eventId]));
      expect(again.events.map((event) => event.eventId)).not.toEqual(expect.arrayContaining([early.eventId]));
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      slow.release();
    }
  });

  it('readers wait for a transaction held open for seconds, then see its events exactly once', async () => {
    const from = await db.store.headPosition();
    const holder = await db.pool.connect();
    const held = [newEvent('Held'), newEvent('Held')];
    try {
      await holder.query('BEGIN');
      await storeIn(holder).append(freshStream(), held, { expectedRevision: 'no_stream' });
      const others: string[] = [];
      for (let i = 0; i < 40; i++) {
        const event = newEvent('AfterHeld');
        others.push(event.eventId);
        await db.store.append(freshStream(), [event], { expectedRevision: 'no_stream' });
      }
      const started = Date.now();
      while (Date.now() - started < 2_000) {
        const { events } = await db.store.readAll({ after: from, maxCount: 100 });
        expect(events.filter((event) => others.includes(event.eventId) || event.type === 'Held')).toEqual([]);
        await sleep(100);
      }
      await holder.query('COMMIT');
      const ids = [...held.map((event) => event.eventId), ...others];
      const seen = await waitFor(from, ids);
      expect(seen.map((event) => event.eventId)).toEqual(ids);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
  });

  it('refuses an append that is not the first write of its transaction (stream order would break)', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await storeIn(client).append(freshStream(), [newEvent()], { expectedRevision: 'no_stream' });
      await expect(
        storeIn(client).append(freshStream(), [newEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toThrow(/first write of its transaction/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('orders by transaction id as a number, not as text (xid 9 before xid 10), through the commit-order index', async () => {
    // Rows written as if by transactions 9 and 10 (older than any real one), then removed again.
    const stream = freshStream();
    await db.pool.query(
      `INSERT INTO events (transaction_id, stream_id, stream_revision, event_id, type, tenant_id, data, metadata)
       VALUES ('10', $1, 1, gen_random_uuid(), 'Ten', 'tenant-a', '{}', '{}'),
              ('9', $1, 0, gen_random_uuid(), 'Nine', 'tenant-a', '{}', '{}')`,
      [stream],
    );
    try {
      const { events } = await db.store.readAll({ maxCount: 2 });
      expect(events.map((event) => event.type)).toEqual(['Nine', 'Ten']);
      // The keyset read can use the index without a sort (a small test table would get a seq scan).
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        await client.query('SET LOCAL enable_sort = off');
        const plan = await client.query(
          "EXPLAIN SELECT * FROM events WHERE (transaction_id, global_position) > ('0'::xid8, 0) ORDER BY transaction_id, global_position LIMIT 1000",
        );
        const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
        expect(text).toContain('Index Scan using events_commit_order');
        expect(text).not.toContain('Sort');
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    } finally {
      await db.pool.query('DELETE FROM events WHERE stream_id = $1', [stream]);
    }
  });

  it('tells when stored transaction ids are ahead of the server (a restore into another cluster)', async () => {
    expect(await eventsAheadOfTransactionCounter(db.pool)).toBeNull();
    const stream = freshStream();
    await db.pool.query(
      `INSERT INTO events (transaction_id, stream_id, stream_revision, event_id, type, tenant_id, data, metadata)
       VALUES ('999999999999', $1, 0, gen_random_uuid(), 'FromTheFuture', 'tenant-a', '{}', '{}')`,
      [stream],
    );
    try {
      expect(await eventsAheadOfTransactionCounter(db.pool)).toMatchObject({ newestStored: '999999999999' });
    } finally {
      await db.pool.query('DELETE FROM events WHERE stream_id = $1', [stream]);
    }
  });

  /** Reads from `from` until all `ids` are visible (other test databases' transactions can delay it). */
  function waitFor(from: string, ids: string[]): Promise<RecordedEvent[]> {
    return eventually(
      async () => {
        const seen = (await readAllAfter(db.store, from, 100)).filter((event) => ids.includes(event.eventId));
        return seen.length >= ids.length && seen;
      },
      30_000,
      `${ids.length} events visible`,
    );
  }
});

describe('PostgreSQL adapter: the array function hands one stream to the one-document function', () => {
  const db = storeOfThisFile('event-store-arrays-one-stream', 2);

  it('appends after a document append with one hash chain, and answers a retry from the stored events', async () => {
    // The store sends one stream's append as a document (migration 1332); another caller of the
    // array signature with one stream gets the same rules (1333).
    const stream = freshStream();
    await db.store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
    const prepared = prepareAppend(stream, [newEvent(), newEvent()], { expectedRevision: 0n });
    const call = () =>
      db.pool.query(
        'SELECT o_outcome, o_revision::text FROM append_to_streams($1::text[], $2::text[], $3::text[], ' +
          '$4::int[], $5::uuid[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[])',
        [
          [stream],
          ['tenant-a'],
          ['0'],
          [prepared.length],
          prepared.map((event) => event.eventId),
          prepared.map((event) => event.type),
          prepared.map((event) => event.dataJson),
          prepared.map((event) => event.metadataJson),
          prepared.map((event) =>
            contentHashOfCanonical(stream, event.eventId, event.type, event.dataJson, event.metadataJson),
          ),
        ],
      );
    expect((await call()).rows).toEqual([{ o_outcome: 'appended', o_revision: '2' }]);
    expect((await call()).rows).toEqual([{ o_outcome: 'duplicate', o_revision: '2' }]);
    const events = await db.store.readStream(stream);
    expect(events.map((event) => event.streamRevision)).toEqual([0n, 1n, 2n]);
    expect(events[1].metadata.previousHash).toBe(events[0].metadata.hash);
    for (const event of events) expect(eventHash(event)).toBe(event.metadata.hash);
  });
});
