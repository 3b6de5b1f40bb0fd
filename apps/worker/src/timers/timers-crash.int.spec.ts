import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { timerEventId } from '@verity/domain';
import { inTenantTransaction } from '@verity/platform';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import {
  newTenant,
  openAppraisal,
  publishWorkflow,
  timerOutcomes,
  workflowWithPlan,
} from '@verity/projections/timers/testing/timer-fixtures';

const root = path.resolve(__dirname, '../../../..');
const TIMERS = 1_000;
const DAY = 86_400_000;
const queuePrefix = `crash-${randomUUID().slice(0, 8)}`;

/** The timers runtime in a child process of its own (real consumers, BullMQ, the real clock). */
function startTimersProcess(tenantPrefix: string): {
  child: ChildProcess;
  ready: Promise<void>;
  output: () => string;
} {
  const child = spawn(
    process.execPath,
    ['-r', 'tsx/cjs', 'apps/worker/src/timers/testing/timers-process.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: workerDatabaseUrl(),
        REDIS_URL: workerRedisUrl(),
        REDIS_QUEUE_PREFIX: queuePrefix,
        TIMERS_CONCURRENCY: '32',
        // A killed worker's jobs run again once their lock lapses: 2 s here instead of 30 s.
        TIMERS_STALL_MS: '2000',
        TIMERS_TENANT_PREFIX: tenantPrefix,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk) => (output += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('timers ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`timers process exited (${code}): ${output}`)));
  });
  return { child, ready, output: () => output };
}

describe('timers survive SIGKILL', () => {
  const db = storeOfThisFile('timers-crash-test', 12);
  let running: ChildProcess | undefined;

  afterAll(() => {
    running?.kill('SIGKILL');
  });

  const firedCount = (tenantId: string) =>
    inTenantTransaction(db.pool, tenantId, async (tx) => {
      const result = await tx.query<{ fired: string; total: string }>(
        "SELECT count(*) FILTER (WHERE status = 'fired') AS fired, count(*) AS total FROM timers WHERE tenant_id = $1",
        [tenantId],
      );
      return { fired: Number(result.rows[0].fired), total: Number(result.rows[0].total) };
    });

  it('fires each of 1,000 due timers exactly once when the worker is killed mid-run and restarted', async () => {
    const tenantId = newTenant('crash');
    const workflow = await publishWorkflow(db.store, tenantId, 'sales', workflowWithPlan({ days: 1 }));
    // One deadline per appraisal, due from 3 s to 7 s from now.
    const base = Date.now() + 3_000 - DAY;
    for (let from = 0; from < TIMERS; from += 50)
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => from + i).map((n) =>
          openAppraisal(db.store, tenantId, `ap-${n}`, workflow, new Date(base + n * 4).toISOString()),
        ),
      );

    const first = startTimersProcess(tenantId);
    running = first.child;
    await first.ready;
    const atKill = await eventually(
      async () => {
        const counts = await firedCount(tenantId);
        return counts.fired >= 150 && counts;
      },
      120_000,
      'timers firing',
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(atKill.total).toBe(TIMERS);
    // Killed mid-run: some fired, not all.
    expect(atKill.fired).toBeLessThan(TIMERS);

    const second = startTimersProcess(tenantId);
    running = second.child;
    await second.ready;
    await eventually(async () => (await firedCount(tenantId)).fired === TIMERS, 180_000, 'every timer fired');

    const outcomes = await timerOutcomes(db.store, tenantId);
    expect(outcomes).toHaveLength(TIMERS);
    const keys = new Set(outcomes.map((event) => (event.data as { timerKey: string }).timerKey));
    expect(keys.size).toBe(TIMERS);
    for (let n = 0; n < TIMERS; n++) expect(keys.has(`deadline-ap-${n}-plan-1-0`)).toBe(true);
    expect(
      outcomes.every(
        (event) => event.eventId === timerEventId(tenantId, (event.data as { timerKey: string }).timerKey),
      ),
    ).toBe(true);
    // The inbox got one row per outcome, none twice.
    const inbox = await eventually(
      () =>
        inTenantTransaction(db.pool, tenantId, async (tx) => {
          const result = await tx.query<{ rows: string; distinct: string }>(
            'SELECT count(*) AS rows, count(DISTINCT timer_key) AS distinct FROM notifications WHERE tenant_id = $1 AND timer_key IS NOT NULL',
            [tenantId],
          );
          return Number(result.rows[0].rows) === TIMERS && result.rows[0];
        }),
      60_000,
      'the inbox',
    );
    expect(Number(inbox.distinct)).toBe(TIMERS);

    second.child.kill('SIGTERM');
    expect(await new Promise((resolve) => second.child.once('exit', resolve))).toBe(0);
    running = undefined;
    // Generous: two child processes and 1,000 timers on a machine whose cores other work shares.
  }, 600_000);
});
