import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '@verity/platform';
import { workerDatabaseUrl, workerRuntimeDatabaseUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import type { EventStore } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';

const PG_INSUFFICIENT_PRIVILEGE = '42501';

/** The events of `streams` in the global log, once all are readable (another test's open transaction can hold them back). */
const readAllOf = (store: EventStore, streams: string[], tenantId?: string) =>
  eventually(
    async () => {
      const { events } = await store.readAll({ after: '0', maxCount: 100_000, tenantId });
      const found = events.filter((event) => streams.includes(event.streamId));
      return found.length === streams.length && found;
    },
    30_000,
    `${streams.length} events readable`,
  );

// The reads' own decoding and the view readAll goes through (docs/adr/0179).
describe('PostgreSQL adapter: how events are read', () => {
  let owner: Pool;
  let runtime: Pool;
  const tenant = `reads-${randomUUID().slice(0, 8)}`;
  const stream = `appraisal-${tenant}.${randomUUID()}`;

  beforeAll(async () => {
    owner = createPool(workerDatabaseUrl(), 2, 'event-reads-owner');
    runtime = createPool(workerRuntimeDatabaseUrl(), 2, 'event-reads-runtime');
    // Written as the owner, as a bulk load would: a time finer than the millisecond, numbers and
    // nested data, metadata with the store's fields.
    await owner.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata, recorded_at)
       VALUES ($1, 0, gen_random_uuid(), 'PlanSubmitted', $2, $3::jsonb, $4::jsonb, '2026-01-02 03:04:05.678999+00')`,
      [
        stream,
        tenant,
        JSON.stringify({ goals: [{ weight: 0.25, title: 'Ship "it"' }], count: 12345678901, none: null }),
        JSON.stringify({ tenantId: tenant, actor: { id: 'u-1', role: 'hr' }, hash: 'h', previousHash: null }),
      ],
    );
    await owner.query(
      `INSERT INTO streams (stream_id, tenant_id, revision, last_hash) VALUES ($1, $2, 0, 'h')`,
      [stream, tenant],
    );
  });
  afterAll(async () => {
    await runtime.end();
    await owner.end();
  });

  it('decodes each column as the driver did: jsonb parsed, the time to the millisecond, revision and position', async () => {
    const store = new PostgresEventStore(runtime);
    const [event] = await store.readStream(stream);
    // The same row through the driver's own (global) parsers.
    const { rows } = await owner.query(
      'SELECT transaction_id::text AS tx, global_position, event_id, data, metadata, recorded_at FROM events WHERE stream_id = $1',
      [stream],
    );
    expect(event).toEqual({
      eventId: rows[0].event_id,
      type: 'PlanSubmitted',
      data: rows[0].data,
      metadata: rows[0].metadata,
      streamId: stream,
      streamRevision: 0n,
      position: `${rows[0].tx}${String(rows[0].global_position).padStart(19, '0')}`,
      recordedAt: rows[0].recorded_at,
    });
    expect(event.recordedAt.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(event.data).toEqual({
      goals: [{ weight: 0.25, title: 'Ship "it"' }],
      count: 12345678901,
      none: null,
    });
    // readStreams and readAll decode alike.
    expect((await store.readStreams([stream])).get(stream)).toEqual([event]);
    expect(await readAllOf(store, [stream], tenant)).toEqual([event]);
  });

  it('reads the log across tenants for the runtime role through events_committed, which refuses every write', async () => {
    const other = `reads-${randomUUID().slice(0, 8)}`;
    const store = new PostgresEventStore(runtime);
    const otherStream = `appraisal-${other}.${randomUUID()}`;
    await store.append(
      otherStream,
      [
        {
          eventId: randomUUID(),
          type: 'PlanSubmitted',
          data: { n: 1 },
          metadata: {
            tenantId: other,
            actor: { id: 'u-2', role: 'hr' },
            correlationId: randomUUID(),
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const mine = await readAllOf(store, [stream, otherStream]);
    expect(mine.map((event) => event.streamId).sort()).toEqual([stream, otherStream].sort());
    // Written through, the view would write `events` as its owner: refused for the runtime role.
    for (const write of [
      `INSERT INTO events_committed SELECT * FROM events WHERE stream_id = '${stream}'`,
      `UPDATE events_committed SET type = 'Changed' WHERE stream_id = '${stream}'`,
      `DELETE FROM events_committed WHERE stream_id = '${stream}'`,
    ])
      await expect(runtime.query(write)).rejects.toMatchObject({ code: PG_INSUFFICIENT_PRIVILEGE });
    const { rows } = await owner.query('SELECT type FROM events WHERE stream_id = $1', [stream]);
    expect(rows).toEqual([{ type: 'PlanSubmitted' }]);
  });
});
