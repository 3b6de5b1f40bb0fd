import type { Pool } from 'pg';
import { ConsumerRunner, PostgresEventStore, type EventStore } from '@verity/event-store';
import { createPool, loadConfig } from '@verity/platform';
import { SCORE_TABLES, scoreProjection } from '@verity/projections';
import { appraisalHistory, seededPick } from '@verity/projections/testing/appraisal-histories';
import { appendHistories, readModelRows } from '@verity/projections/testing/read-model-rows';
import { workerDatabaseUrl } from '../../test/support/environment';
import { timersProjection, WorkflowVersions } from '@verity/projections/timers';
import { rebuildProjection } from './rebuild-projections';

let pool: Pool;
let store: EventStore;
beforeAll(() => {
  pool = createPool(workerDatabaseUrl(), 4);
  store = new PostgresEventStore(pool);
});
afterAll(() => pool.end());

const histories = (prefix: string, seed: number) =>
  [0, 1, 2].map((i) => ({
    appraisalId: `${prefix}-${i}`,
    history: appraisalHistory({
      appraisalId: `${prefix}-${i}`,
      employeeId: `e-${i}`,
      orgUnitId: 'east',
      pick: seededPick(seed + i),
    }),
  }));

describe('projections:rebuild', () => {
  it('rebuilds with its own runner when no worker runs, and ends where the projection was', async () => {
    await appendHistories(store, 'rb1', histories('a', 1));
    const runner = new ConsumerRunner({ pool, store, handler: scoreProjection });
    await runner.start();
    await runner.caughtUp();
    await runner.stop();
    const before = await readModelRows(pool, ['rb1'], SCORE_TABLES);
    expect(before['rb1/score_appraisals']).toHaveLength(3);
    const outcome = await rebuildProjection(loadConfig({ DATABASE_URL: workerDatabaseUrl() }), 'score', {
      timeoutMs: 20_000,
    });
    expect(outcome.byThisProcess).toBe(true);
    expect(outcome.events).toBe(Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n));
    expect(await readModelRows(pool, ['rb1'], SCORE_TABLES)).toEqual(before);
  });

  it('leaves the work to a running worker, while events keep arriving', async () => {
    const runner = new ConsumerRunner({
      pool,
      store,
      handler: scoreProjection,
      idleDelayMs: { min: 2, max: 10 },
    });
    await runner.start();
    try {
      await runner.caughtUp();
      const rebuilding = rebuildProjection(loadConfig({ DATABASE_URL: workerDatabaseUrl() }), 'score', {
        timeoutMs: 20_000,
      });
      await appendHistories(store, 'rb2', histories('b', 50), { withWorkflow: true });
      const outcome = await rebuilding;
      expect(outcome.byThisProcess).toBe(false);
      await runner.caughtUp();
    } finally {
      await runner.stop();
    }
    const live = await readModelRows(pool, ['rb1', 'rb2'], SCORE_TABLES);
    expect(live['rb2/score_appraisals']).toHaveLength(3);
    // A replay from zero that never rebuilt mid-way gives the same rows.
    const fresh = new ConsumerRunner({ pool, store, handler: { ...scoreProjection, name: 'score-fresh' } });
    await pool.query(
      'TRUNCATE score_vetoes, score_indicators, score_periods, score_appraisals, score_workflow_versions',
    );
    await fresh.start();
    await fresh.caughtUp();
    await fresh.stop();
    await pool.query("DELETE FROM consumer_checkpoints WHERE name = 'score-fresh'");
    expect(await readModelRows(pool, ['rb1', 'rb2'], SCORE_TABLES)).toEqual(live);
  });

  it('asks the running worker to rebuild the timers, and says so when no worker takes it', async () => {
    const config = loadConfig({ DATABASE_URL: workerDatabaseUrl() });
    await expect(rebuildProjection(config, 'timers', { workerPickupMs: 1_000 })).rejects.toThrow(
      'no running worker took the timers rebuild',
    );
    // The worker's timers consumer (its alarm clock left out: no jobs are needed here).
    const handler = timersProjection({
      store,
      workflows: new WorkflowVersions(store),
      alarm: { set: async () => undefined, clear: async () => undefined },
    });
    const worker = new ConsumerRunner({ pool, store, handler, idleDelayMs: { min: 2, max: 10 } });
    await worker.start();
    try {
      const outcome = await rebuildProjection(config, 'timers', { timeoutMs: 20_000 });
      expect(outcome.byThisProcess).toBe(false);
      expect(outcome.events).toBeGreaterThan(0);
    } finally {
      await worker.stop();
    }
    const { rows } = await pool.query(
      "SELECT rebuild_requested FROM consumer_checkpoints WHERE name = 'timers'",
    );
    expect(rows).toEqual([{ rebuild_requested: false }]);
  });

  it('refuses an unknown projection', async () => {
    await expect(
      rebuildProjection(loadConfig({ DATABASE_URL: workerDatabaseUrl() }), 'nope'),
    ).rejects.toThrow('unknown projection "nope"');
  });
});
