import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import {
  ConsumerRunner,
  PostgresEventStore,
  listParkedStreams,
  streamName,
  type ConsumerHandler,
  type EventStore,
  type RecordedEvent,
} from '@verity/event-store';
import { createPool } from '@verity/platform';
import { newEvent } from '../../libs/event-store/src/testing/event-store.contract';
import { workerDatabaseUrl } from '../../test/support/environment';
import { eventually } from '../../test/support/eventually';
import { actOnParkedEvent } from './parked-events';

/** `npm run parked`: an operator's retry or skip of a parked event, recorded as an event of its tenant. */
describe('operator actions on parked events', () => {
  let pool: Pool;
  let store: EventStore;
  const tenant = `park${randomUUID().slice(0, 8)}`;
  const consumer = `parked-spec-${process.pid}`;
  // Applied events in a table, so a batch rolled back before its retry event by event leaves no trace.
  const table = `parked_spec_${process.pid}`;
  const applied = async () =>
    (await pool.query<{ entry: string }>(`SELECT entry FROM ${table} ORDER BY seq`)).rows.map(
      (row) => row.entry,
    );
  let fixed = false;
  const handler: ConsumerHandler = {
    name: consumer,
    async handle(events: RecordedEvent[], tx: PoolClient) {
      for (const event of events) {
        if (event.metadata.tenantId !== tenant) continue;
        if (!fixed && (event.data as { poison?: boolean }).poison)
          throw new Error('value overflows numeric format');
        await tx.query(`INSERT INTO ${table} (entry) VALUES ($1)`, [
          `${event.streamId}#${event.streamRevision}`,
        ]);
      }
    },
  };
  let runner: ConsumerRunner;

  beforeAll(async () => {
    pool = createPool(workerDatabaseUrl(), 6, 'parked-events-spec');
    store = new PostgresEventStore(pool);
    await pool.query(`CREATE TABLE ${table} (seq bigserial PRIMARY KEY, entry text NOT NULL)`);
    runner = new ConsumerRunner({
      pool,
      store,
      handler,
      // Only an operator's request makes it try again within the test.
      parking: { firstRetryMs: 600_000, maxRetryMs: 600_000 },
    });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await pool.query('DELETE FROM consumer_parked_streams WHERE consumer = $1', [consumer]);
    await pool.query(`DROP TABLE ${table}`);
    await pool.end();
  });

  async function parkOne(): Promise<{ stream: string; eventId: string }> {
    const stream = streamName('appraisal', tenant, randomUUID());
    await store.append(
      stream,
      [newEvent('A', {}, tenant), newEvent('A', { poison: true }, tenant), newEvent('A', {}, tenant)],
      { expectedRevision: 'no_stream' },
    );
    await runner.caughtUp();
    const parked = (await listParkedStreams(pool, { consumer })).find((row) => row.streamId === stream);
    expect(parked).toMatchObject({ tenantId: tenant, held: 2 });
    return { stream, eventId: parked!.eventId };
  }
  const operations = () =>
    store.readStream(streamName('operations', tenant, consumer), { tenantId: tenant }).catch(() => []);

  it('skip: records ParkedEventSkipped (who, why, which event), and the rest of the stream follows in order', async () => {
    const { stream, eventId } = await parkOne();
    const now = new Date('2026-12-04T10:00:00.000Z');
    const done = await actOnParkedEvent(pool, store, {
      consumer,
      eventId,
      action: 'skip',
      by: 'ops-anna',
      reason: 'corrupt score, re-entered by HR',
      now,
    });
    expect(done).toMatchObject({ streamId: stream, eventId });
    const [recorded] = (await operations()).filter((event) => event.type === 'ParkedEventSkipped');
    expect(recorded.metadata.actor).toEqual({ id: 'ops-anna', role: 'operator' });
    expect(recorded.data).toMatchObject({
      consumer,
      streamId: stream,
      eventId,
      eventType: 'A',
      error: 'Error: value overflows numeric format',
      at: now.toISOString(),
      pii: { reason: 'corrupt score, re-entered by HR' },
    });
    await eventually(
      async () => (await applied()).includes(`${stream}#2`),
      10_000,
      'the rest of the stream applied',
    );
    expect((await applied()).filter((entry) => entry.startsWith(stream))).toEqual([
      `${stream}#0`,
      `${stream}#2`,
    ]);
    expect(
      (await listParkedStreams(pool, { consumer })).find((row) => row.streamId === stream),
    ).toBeUndefined();
  });

  it('retry: records ParkedEventRetried and the consumer tries at once (the cause was fixed meanwhile)', async () => {
    const { stream, eventId } = await parkOne();
    fixed = true;
    expect(
      await actOnParkedEvent(pool, store, {
        consumer,
        eventId,
        action: 'retry',
        by: 'ops-ben',
        now: new Date(),
      }),
    ).toMatchObject({ streamId: stream });
    expect((await operations()).map((event) => event.type)).toContain('ParkedEventRetried');
    await eventually(async () => (await applied()).includes(`${stream}#2`), 10_000, 'the stream applied');
    expect((await applied()).filter((entry) => entry.startsWith(stream))).toEqual([
      `${stream}#0`,
      `${stream}#1`,
      `${stream}#2`,
    ]);
    fixed = false;
  });

  it('records nothing for an event no stream is parked at', async () => {
    const before = (await operations()).length;
    expect(
      await actOnParkedEvent(pool, store, {
        consumer,
        eventId: randomUUID(),
        action: 'skip',
        by: 'ops-anna',
        reason: 'x',
        now: new Date(),
      }),
    ).toBeNull();
    expect(await operations()).toHaveLength(before);
  });
});
