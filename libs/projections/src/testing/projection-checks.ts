import fc from 'fast-check';
import type { Pool, PoolClient } from 'pg';
import { inTenantTransaction, inTransaction } from '@verity/platform';
import type { EventStore, RecordedEvent } from '@verity/event-store';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import type { Projection } from '../projection';
import { appraisalHistory, listPick, recordHistories, seededPick } from './appraisal-histories';
import { appendHistories, readModelRows } from './read-model-rows';

/**
 * The checks every batched read model passes, whatever its tables (score, inbox): its rows stay
 * under their tenant, a crashed batch leaves nothing behind, and batching changes nothing.
 */
export interface ReadModel {
  projection: Projection;
  /** Its tables, children first. */
  tables: readonly string[];
  /** Empties it before a second run (its rows; its checkpoint too where the test keeps one). */
  empty(): Promise<void>;
}

/** Appraisal histories `<prefix>-<seed>` of employees `e-<seed>` in unit `east`, each from its seed. */
export const seededHistories = (prefix: string, seeds: readonly number[]) =>
  seeds.map((seed) => ({
    appraisalId: `${prefix}-${seed}`,
    history: appraisalHistory({
      appraisalId: `${prefix}-${seed}`,
      employeeId: `e-${seed}`,
      orgUnitId: 'east',
      pick: seededPick(seed),
    }),
  }));

/** Every table has rows under `tenant` and none under `other` nor without a tenant set. */
export async function expectRowsOfTenantOnly(
  pool: Pool,
  tables: readonly string[],
  tenant: string,
  other: string,
): Promise<void> {
  for (const table of tables) {
    const count = (under: string) =>
      inTenantTransaction(
        pool,
        under,
        async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n,
      );
    expect(await count(tenant)).toBeGreaterThan(0);
    expect(await count(other)).toBe(0);
    // No tenant set at all (a pooled connection after a tenant's transaction): nothing either.
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0);
  }
}

/** A batch that crashes half-way rolls back; the retry gives the rows of a run that never crashed. */
export async function expectCrashedBatchRetried(
  pool: Pool,
  store: EventStore,
  tenant: string,
  { projection, tables, empty }: ReadModel,
): Promise<void> {
  await appendHistories(store, tenant, seededHistories('c', [0, 1, 2]));
  await new ConsumerPump(pool, store, projection).drain(40);
  const clean = await readModelRows(pool, [tenant], tables);
  await empty();
  let statements = 0;
  const crashing = {
    ...projection,
    handle: (events: RecordedEvent[], tx: PoolClient) =>
      projection.handle(events, {
        query: async (...args: unknown[]) => {
          const result = await (tx.query as (...a: unknown[]) => Promise<unknown>)(...args);
          // Dies after the writes of the third batch reached the database, before its commit.
          if (++statements === 6) throw new Error('crash');
          return result;
        },
      } as unknown as PoolClient),
  };
  const pump = new ConsumerPump(pool, store, crashing);
  await expect(pump.drain(40)).rejects.toThrow('crash');
  // The pump (like the runner) keeps its checkpoint at the last committed batch; restart from it.
  await pump.drain(40);
  expect(await readModelRows(pool, [tenant], tables)).toEqual(clean);
}

/**
 * Property: random histories of two tenants rebuilt in one batch give the rows they give applied
 * in random batches, each redelivering the event before it. `mustSee`: event types the histories
 * must reach, or the property proves little.
 */
export async function expectRebuildEqualsIncremental(
  pool: Pool,
  { projection, tables }: ReadModel,
  mustSee: readonly string[],
): Promise<void> {
  const seen = new Set<string>();
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(fc.nat(1000), { minLength: 5, maxLength: 60 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
      async (choices, cuts) => {
        const events = recordHistories(
          choices.map((c, i) => ({
            tenantId: i % 2 ? 'p1' : 'p2',
            appraisalId: `a-${i}`,
            history: appraisalHistory({
              appraisalId: `a-${i}`,
              employeeId: `e-${i}`,
              orgUnitId: 'east',
              pick: listPick(c),
              maxPeriods: 4,
            }),
          })),
        );
        const wanted = events.filter((e) => projection.eventTypes!.includes(e.type));
        wanted.forEach((e) => seen.add(e.type));
        await inTransaction(pool, (tx) => projection.reset(tx));
        await inTransaction(pool, (tx) => projection.handle(wanted, tx));
        const rebuilt = await readModelRows(pool, ['p1', 'p2'], tables);
        await inTransaction(pool, (tx) => projection.reset(tx));
        for (let i = 0, k = 0; i < wanted.length; k++) {
          const size = cuts[k % cuts.length];
          // Re-deliver the previous event too: the revision guard must make it a no-op.
          const batch = wanted.slice(Math.max(0, i - 1), i + size);
          await inTransaction(pool, (tx) => projection.handle(batch, tx));
          i += size;
        }
        expect(await readModelRows(pool, ['p1', 'p2'], tables)).toEqual(rebuilt);
      },
    ),
    { numRuns: 25 },
  );
  for (const type of mustSee) expect(seen).toContain(type);
}
