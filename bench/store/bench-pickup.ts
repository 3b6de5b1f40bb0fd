/**
 * bench:pickup — how soon an idle ConsumerRunner applies a newly committed event, and how often it
 * reads while idle. A latency is a property of the machine, not of the code's correctness, so it is
 * measured here, next to a raw baseline (a committed INSERT read back by a polling loop), and not
 * asserted in a test. Its own database (verity_bench_pickup, recreated each run).
 *
 * BENCH_PICKUPS (default 50): pickups sampled, each after an idle pause that lets the back-off grow.
 */
import { randomUUID } from 'node:crypto';
import { createPool } from '@verity/platform';
import {
  ConsumerRunner,
  PostgresEventStore,
  type ConsumerHandler,
  type EventStore,
} from '@verity/event-store';
import { freshBenchDatabase } from '../support/bench-database';

const PICKUPS = Number(process.env.BENCH_PICKUPS ?? 50);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

async function main(): Promise<void> {
  const pool = createPool(await freshBenchDatabase('verity_bench_pickup'), 4, 'bench-pickup');
  const reads = { count: 0 };
  const inner = new PostgresEventStore(pool);
  const store: EventStore = {
    ...inner,
    append: (...args) => inner.append(...args),
    readAll: (options) => {
      reads.count += 1;
      return inner.readAll(options);
    },
    headPosition: () => inner.headPosition(),
  } as EventStore;
  const seen = new Set<string>();
  const handler: ConsumerHandler = {
    name: 'bench_pickup',
    async handle(events) {
      for (const event of events) seen.add(event.eventId);
    },
  };
  const runner = new ConsumerRunner({ pool, store, handler, batchSize: 100 });
  await runner.start();
  await runner.caughtUp();

  reads.count = 0;
  await sleep(1_000);
  const idleReads = reads.count;

  const pickups: number[] = [];
  for (let sample = 0; sample < PICKUPS; sample++) {
    await sleep(30 + (sample % 7) * 20);
    const eventId = randomUUID();
    const appended = performance.now();
    await inner.append(
      `bench-t.${randomUUID()}`,
      [
        {
          eventId,
          type: 'PlanSubmitted',
          data: { n: sample },
          metadata: {
            tenantId: 't',
            actor: { id: 'u', role: 'hr' },
            correlationId: eventId,
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    while (!seen.has(eventId)) await sleep(1);
    pickups.push(performance.now() - appended);
  }
  await runner.stop();

  // Baseline: the same commit, read back by a loop polling every millisecond.
  await pool.query('CREATE TABLE IF NOT EXISTS bench_pickup_raw (id uuid PRIMARY KEY)');
  const raw: number[] = [];
  for (let sample = 0; sample < PICKUPS; sample++) {
    const id = randomUUID();
    const inserted = performance.now();
    await pool.query('INSERT INTO bench_pickup_raw VALUES ($1)', [id]);
    while ((await pool.query('SELECT 1 FROM bench_pickup_raw WHERE id = $1', [id])).rowCount === 0)
      await sleep(1);
    raw.push(performance.now() - inserted);
  }
  await pool.end();

  const line = (what: string, values: number[]) =>
    `${what.padEnd(34)} p50 ${percentile(values, 50).toFixed(1)} ms, p90 ${percentile(values, 90).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;
  console.log(`idle reads in 1 s:                 ${idleReads} (the runner's test bounds them at 40)`);
  console.log(line(`consumer pickup (${PICKUPS} samples)`, pickups));
  console.log(line('raw insert read back (baseline)', raw));
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
