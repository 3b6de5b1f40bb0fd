import type { Pool, PoolClient } from 'pg';
import { createPool, inTransaction } from '@verity/platform';
import {
  ConsumerRunner,
  PostgresEventStore,
  requestRebuild,
  type ConsumerHandler,
  type EventStore,
} from '@verity/event-store';
import { workerDatabaseUrl, workerRuntimeDatabaseUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { appraisalHistory, seededPick } from '../testing/appraisal-histories';
import { appendHistories, readModelRows } from '../testing/read-model-rows';
import { AUDIT_TABLES, auditProjection, auditProjectionCopyingFrom } from './audit.projection';

// A rebuild of the audit read model drops its secondary indexes and builds them once caught up
// (docs/adr/0137): the rows must be those of a projection that never rebuilt, and the indexes back.

const SECONDARY = [
  'audit_entries_actor',
  'audit_entries_appraisal',
  'audit_entries_employee',
  'audit_entries_type_time',
];

let owner: Pool;
let runtime: Pool;
let store: EventStore;

beforeAll(() => {
  owner = createPool(workerDatabaseUrl(), 4);
  // The worker's role: it owns no table, so the index work must go through the owner's functions.
  runtime = createPool(workerRuntimeDatabaseUrl(), 4);
  store = new PostgresEventStore(owner);
});
afterAll(async () => {
  await runtime.end();
  await owner.end();
});

async function indexes(client: Pool | PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE tablename = 'audit_entries' AND indexname <> 'audit_entries_pkey' ORDER BY 1",
  );
  return rows.map((row) => row.indexname);
}

async function appendSome(tenants: string[], from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++)
    await appendHistories(
      store,
      tenants[i % tenants.length],
      [
        {
          appraisalId: `r-${i}`,
          history: appraisalHistory({
            appraisalId: `r-${i}`,
            employeeId: `e-${i}`,
            orgUnitId: i % 2 ? 'east' : 'west',
            pick: seededPick(11 * i + 3),
          }),
        },
      ],
      { withWorkflow: i < tenants.length },
    );
}

/** A runner polling often, in batches of 40 (of `catchUpBatchSize` while catching up). */
function liveRunner(handler: ConsumerHandler, catchUpBatchSize?: number): ConsumerRunner {
  return new ConsumerRunner({
    pool: runtime,
    store,
    handler,
    batchSize: 40,
    catchUpBatchSize,
    idleDelayMs: { min: 2, max: 10 },
  });
}

/** Asks for a rebuild and waits until the runner has taken it up and caught up again. */
async function rebuildAndCatchUp(runner: ConsumerRunner): Promise<void> {
  await requestRebuild(owner, 'audit');
  await eventually(async () => {
    const { rows } = await owner.query(
      "SELECT rebuild_requested FROM consumer_checkpoints WHERE name = 'audit'",
    );
    return !rows[0].rebuild_requested;
  });
  await runner.caughtUp();
}

describe('audit rebuild', () => {
  it('with its indexes put off until caught up, ends with the rows of a projection that never rebuilt, and every index back', async () => {
    const tenants = ['rb1', 'rb2', 'rb3'];
    // Indexes seen by each batch's transaction, from the first batch of the rebuild on.
    const seen: string[][] = [];
    let resets = 0;
    let rebuilding = false;
    const handler = {
      ...auditProjection,
      async reset(tx: PoolClient) {
        resets++;
        rebuilding = true;
        await auditProjection.reset(tx);
      },
      async handle(events: Parameters<typeof auditProjection.handle>[0], tx: PoolClient) {
        if (rebuilding) seen.push(await indexes(tx));
        await auditProjection.handle(events, tx);
      },
    };
    const runner = liveRunner(handler);
    await runner.start();
    try {
      await appendSome(tenants, 0, 6);
      await runner.caughtUp();
      expect(await indexes(owner)).toEqual(SECONDARY);
      const live = await readModelRows(owner, tenants, AUDIT_TABLES);
      expect(live['rb1/audit_entries'].length).toBeGreaterThan(40);

      await rebuildAndCatchUp(runner);
      expect(resets).toBe(1);
      // The rebuild's full batches ran without the secondary indexes, the rows are the same.
      expect(seen.length).toBeGreaterThan(2);
      expect(seen[0]).toEqual([]);
      expect(await indexes(owner)).toEqual(SECONDARY);
      expect(await readModelRows(owner, tenants, AUDIT_TABLES)).toEqual(live);

      // Events after the rebuild go on into the rebuilt model, under its indexes.
      await appendSome(tenants, 6, 3);
      await runner.caughtUp();
      expect(seen[seen.length - 1]).toEqual(SECONDARY);
    } finally {
      await runner.stop();
    }
  });

  it('a rebuild whose large batches go by COPY (ADR 0169) ends with the rows written live as text arrays, and goes on live after', async () => {
    const tenants = ['rp1', 'rp2'];
    // COPY from 100 events: the rebuild's batches of 150 go by COPY, the live tail's of 40 as text arrays.
    const byCopy = auditProjectionCopyingFrom(100);
    const writes: number[] = [];
    const handler = {
      ...byCopy,
      async handle(events: Parameters<typeof byCopy.handle>[0], tx: PoolClient) {
        writes.push(events.length);
        await byCopy.handle(events, tx);
      },
    };
    const runner = liveRunner(handler, 150);
    await runner.start();
    try {
      await runner.caughtUp();
      writes.length = 0;
      await appendSome(tenants, 300, 10);
      await runner.caughtUp();
      expect(Math.max(...writes)).toBeLessThanOrEqual(40);
      const live = await readModelRows(owner, tenants, AUDIT_TABLES);
      // More rows than a live batch holds: the rebuild reads them in full batches (with the log's other rows).
      expect(live['rp1/audit_entries'].length + live['rp2/audit_entries'].length).toBeGreaterThan(40);

      writes.length = 0;
      await rebuildAndCatchUp(runner);
      expect(writes.filter((size) => size >= 100).length).toBeGreaterThan(1);
      expect(await readModelRows(owner, tenants, AUDIT_TABLES)).toEqual(live);
      expect(await indexes(owner)).toEqual(SECONDARY);

      await appendSome(tenants, 310, 1);
      await runner.caughtUp();
      expect((await readModelRows(owner, tenants, AUDIT_TABLES))['rp1/audit_entries'].length).toBeGreaterThan(
        live['rp1/audit_entries'].length,
      );
    } finally {
      await runner.stop();
    }
  });

  it('a restart after a rebuild stopped half-way builds the missing indexes once it has caught up', async () => {
    // As a crash mid-rebuild leaves it: rows in, secondary indexes not yet built.
    await appendSome(['rc1'], 100, 2);
    await inTransaction(runtime, (tx) => auditProjection.reset(tx));
    await owner.query("DELETE FROM consumer_checkpoints WHERE name = 'audit'");
    expect(await indexes(owner)).toEqual([]);
    const runner = new ConsumerRunner({ pool: runtime, store, handler: auditProjection, batchSize: 40 });
    await runner.start();
    try {
      await runner.caughtUp();
    } finally {
      await runner.stop();
    }
    expect(await indexes(owner)).toEqual(SECONDARY);
  });

  it('leaves the indexes of a table that is not empty', async () => {
    await appendSome(['rd1'], 200, 1);
    const runner = new ConsumerRunner({ pool: runtime, store, handler: auditProjection, batchSize: 40 });
    await runner.start();
    try {
      // Caught up is "nothing below the read horizon" (docs/adr/0005): a transaction another test
      // file holds open can keep these events above it for a moment, so wait for the rows.
      await eventually(
        async () => (await readModelRows(owner, ['rd1'], ['audit_entries']))['rd1/audit_entries'].length > 0,
        30_000,
        'rows in audit_entries',
      );
    } finally {
      await runner.stop();
    }
    // Called outside a rebuild (no TRUNCATE before it in its transaction): nothing is dropped.
    await inTransaction(runtime, (tx) => tx.query('SELECT audit_entries_defer_indexes()'));
    expect(await indexes(owner)).toEqual(SECONDARY);
  });
});
