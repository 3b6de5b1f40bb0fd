import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { createPool, inTenantTransaction, loadConfig } from '@verity/platform';
import { workerDatabaseUrl, workerRuntimeDatabaseUrl } from '../../test/support/environment';
import { eventually } from '../../test/support/eventually';
import { roleOf } from './migrate';

const PG_INSUFFICIENT_PRIVILEGE = '42501';
const tenantA = `lp-a-${randomUUID().slice(0, 8)}`;
const tenantB = `lp-b-${randomUUID().slice(0, 8)}`;
const streamA = `appraisal-${tenantA}.${randomUUID()}`;
const streamB = `appraisal-${tenantB}.${randomUUID()}`;

const event = (tenantId: string) => ({
  eventId: randomUUID(),
  type: 'PlanSubmitted',
  data: { n: 1 },
  metadata: {
    tenantId,
    actor: { id: 'u-1', role: 'hr' as const },
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion: 1,
  },
});

/** What PostgreSQL answers: the error's code, or 'ok'. */
async function outcome(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

// The API and the worker connect as the runtime role (DATABASE_URL's user); the migrations ran as
// the owner (docs/adr/0080). What the runtime role can and cannot do, in a copy of the migrated schema.
describe('least privilege in PostgreSQL', () => {
  let runtime: Pool;
  let owner: Pool;

  beforeAll(async () => {
    runtime = createPool(workerRuntimeDatabaseUrl(), 4, 'least-privilege-test');
    owner = createPool(workerDatabaseUrl(), 2, 'least-privilege-test-owner');
    const store = new PostgresEventStore(runtime);
    await store.append(streamA, [event(tenantA)], { expectedRevision: 'no_stream' });
    await store.append(streamB, [event(tenantB)], { expectedRevision: 'no_stream' });
  });
  afterAll(async () => {
    await runtime.end();
    await owner.end();
  });

  it('connects as a role that is not the owner, owns nothing, and can neither bypass RLS nor create databases', async () => {
    const { rows } = await runtime.query<{
      rolname: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcreatedb: boolean;
      rolcreaterole: boolean;
      owned: string;
    }>(
      `SELECT rolname, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole,
              (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)::text AS owned
         FROM pg_roles r WHERE rolname = current_user`,
    );
    expect(rows[0]).toEqual({
      rolname: roleOf(loadConfig().DATABASE_URL),
      rolsuper: false,
      rolbypassrls: false,
      rolcreatedb: false,
      rolcreaterole: false,
      owned: '0',
    });
    expect(rows[0].rolname).not.toBe(roleOf(workerDatabaseUrl()));
  });

  it('appends to the log, and may neither change nor delete an event, nor delete a stream head', async () => {
    expect(
      await outcome(runtime.query('UPDATE events SET data = $1 WHERE stream_id = $2', ['{}', streamA])),
    ).toBe(PG_INSUFFICIENT_PRIVILEGE);
    expect(await outcome(runtime.query('DELETE FROM events WHERE stream_id = $1', [streamA]))).toBe(
      PG_INSUFFICIENT_PRIVILEGE,
    );
    expect(await outcome(runtime.query('TRUNCATE events'))).toBe(PG_INSUFFICIENT_PRIVILEGE);
    expect(await outcome(runtime.query('DELETE FROM streams WHERE stream_id = $1', [streamA]))).toBe(
      PG_INSUFFICIENT_PRIVILEGE,
    );
    // Both events are still there, unchanged.
    const { rows } = await owner.query(
      'SELECT stream_id, data FROM events WHERE stream_id = ANY($1) ORDER BY stream_id',
      [[streamA, streamB]],
    );
    expect(rows.map((row) => row.data)).toEqual([{ n: 1 }, { n: 1 }]);
  });

  it.each([
    'ALTER TABLE events NO FORCE ROW LEVEL SECURITY',
    'ALTER TABLE events DISABLE ROW LEVEL SECURITY',
    'ALTER TABLE audit_entries NO FORCE ROW LEVEL SECURITY',
    'DROP POLICY events_tenant ON events',
    'ALTER TABLE idempotency_keys DISABLE ROW LEVEL SECURITY',
    'CREATE TABLE runtime_made (id int)',
  ])('refuses `%s` (it owns nothing and creates nothing)', async (statement) => {
    expect(await outcome(runtime.query(statement))).toBe(PG_INSUFFICIENT_PRIVILEGE);
  });

  it("reads and writes only the named tenant's rows of the event store, idempotency and webhook tables", async () => {
    const seen = await inTenantTransaction(runtime, tenantA, async (tx) => {
      const events = await tx.query('SELECT DISTINCT tenant_id FROM events WHERE stream_id = ANY($1)', [
        [streamA, streamB],
      ]);
      const streams = await tx.query('SELECT tenant_id FROM streams WHERE stream_id = ANY($1)', [
        [streamA, streamB],
      ]);
      return [...events.rows, ...streams.rows].map((row) => row.tenant_id);
    });
    expect(seen).toEqual([tenantA, tenantA]);
    // Through the tenant-scoped path, another tenant's stream does not exist.
    expect(
      await inTenantTransaction(
        runtime,
        tenantA,
        async (tx) =>
          (await tx.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [streamB])).rows[0].n,
      ),
    ).toBe(0);
    for (const insert of [
      [
        `INSERT INTO idempotency_keys (tenant_id, idempotency_key, request_hash, method, path) VALUES ($1, 'k', 'h', 'POST', '/')`,
      ],
      [`INSERT INTO api_keys (key_id, tenant_id, secret_hash, name) VALUES ('lp-key', $1, 'h', 'n')`],
      [
        `INSERT INTO webhook_subscriptions (subscription_id, tenant_id, url, secret, created_by)
         VALUES (gen_random_uuid(), $1, 'https://hooks.example.test/', 's', 'u-1')`,
      ],
    ])
      expect(
        await outcome(inTenantTransaction(runtime, tenantA, (tx) => tx.query(insert[0], [tenantB]))),
      ).toBe(PG_INSUFFICIENT_PRIVILEGE);
    // Writing under another tenant's name into the log is refused too, whatever the SQL function checks.
    expect(
      await outcome(
        inTenantTransaction(runtime, tenantA, (tx) =>
          new PostgresEventStore(tx).append(`appraisal-${tenantB}.${randomUUID()}`, [event(tenantB)], {
            expectedRevision: 'no_stream',
          }),
        ),
      ),
    ).toBe(PG_INSUFFICIENT_PRIVILEGE);
  });

  it('lets a reader that names no tenant (the consumers of the log) read every tenant', async () => {
    const { rows } = await runtime.query(
      'SELECT DISTINCT tenant_id FROM events WHERE stream_id = ANY($1) ORDER BY 1',
      [[streamA, streamB]],
    );
    expect(rows.map((row) => row.tenant_id)).toEqual([tenantA, tenantB].sort());
    const store = new PostgresEventStore(runtime);
    const all = await store.readStreams([streamA, streamB]);
    expect([...all.keys()].sort()).toEqual([streamA, streamB].sort());
    // The global log, through `events_after`: every tenant, or the one asked for.
    const streamsIn = async (tenantId?: string) =>
      (await store.readAll({ after: '0', maxCount: 100_000, tenantId })).events
        .map((recorded) => recorded.streamId)
        .filter((stream) => stream === streamA || stream === streamB)
        .sort();
    // The log is read below the server-wide read horizon: a transaction another test file holds
    // open keeps these two appends out of it for a moment (docs/adr/0005), so wait for them.
    const both = [streamA, streamB].sort();
    await eventually(
      async () => JSON.stringify(await streamsIn()) === JSON.stringify(both),
      30_000,
      'both streams below the read horizon',
    );
    expect(await streamsIn()).toEqual(both);
    expect(await streamsIn(tenantB)).toEqual([streamB]);
  });
});
