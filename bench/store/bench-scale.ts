/**
 * bench:scale — cost as the log grows (issue "Performance", item 5). For each store size in
 * BENCH_SCALE_SIZES (default 100,000 and 1,000,000 events; the 10,000,000 takes
 * BENCH_SCALE_SIZES=100000,1000000,10000000 and about an hour of filling on a 2-core machine), the
 * log is filled in bulk to that size (40-event appraisal streams) and then measured:
 *
 *   append p50/p99: 8 writers, one event per call, BENCH_SECONDS (default 6) each size
 *   single-stream read p50/p99: readStream of a random 40-event stream of the filled log
 *   a 1,000-event stream read whole (p50/p99 over 50 reads; target < 5 ms)
 *   readAll of the whole log (the read half of a rebuild), events/s: linear in events if flat
 *
 * Each size's figures are printed beside the first (smallest) size's as the baseline of the same run.
 * Its own database (verity_bench_scale or BENCH_DATABASE, recreated each run).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createPool } from '@verity/platform';
import { PostgresEventStore, START, type NewEvent } from '@verity/event-store';
import { freshBenchDatabase } from '../support/bench-database';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '100000,1000000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const STREAM_EVENTS = 40;
// Another name keeps two checkouts' runs on one server apart.
const DATABASE = process.env.BENCH_DATABASE ?? 'verity_bench_scale';

const newEvent = (): NewEvent => ({
  eventId: randomUUID(),
  type: 'PeriodReviewed',
  data: { appraisalId: randomUUID(), period: '2026-03', score: 96.5, comment: 'Monthly review filed.' },
  metadata: {
    tenantId: 'bench',
    actor: { id: 'manager-17', role: 'manager' },
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion: 1,
  },
});

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const ms = () => Number(process.hrtime.bigint()) / 1e6;

interface Row {
  size: number;
  appendP50: number;
  appendP99: number;
  readP50: number;
  readP99: number;
  longP50: number;
  longP99: number;
  /** This process's CPU per event of the 1,000-event reads (decoding the rows), µs. */
  longCpu: number;
  readAllRate: number;
  readAllSeconds: number;
}

async function main(): Promise<void> {
  const pool = createPool(await freshBenchDatabase(DATABASE), 10, 'bench-scale');
  const store = new PostgresEventStore(pool);
  // One appraisal of 1,000 events, appended through the store (real hash chain), 50 at a time.
  const long = `appraisal-bench.long-${randomUUID()}`;
  for (let revision = -1n; revision < 999n; revision += 50n)
    await store.append(long, Array.from({ length: 50 }, newEvent), {
      expectedRevision: revision < 0n ? 'no_stream' : revision,
    });
  const rows: Row[] = [];
  // The long stream's 1,000 events count towards the size; the bulk streams are numbered from 0.
  let filled = 1000;
  for (const size of SIZES) {
    // Bulk fill (the shape the store writes, without its function: the point is the table's size).
    while (filled < size) {
      const count = Math.min(100_000, size - filled);
      const from = filled - 1000;
      await pool.query(
        `INSERT INTO events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata)
         SELECT 'appraisal-bench.fill-' || (n / $3), n % $3, gen_random_uuid(), 'PeriodReviewed', 'bench', $2::jsonb, $4::jsonb
           FROM generate_series($1::bigint, $1::bigint + $5 - 1) AS n`,
        [
          from,
          JSON.stringify(newEvent().data),
          STREAM_EVENTS,
          JSON.stringify({
            ...newEvent().metadata,
            previousHash: null,
            hash: 'x'.repeat(64),
            hashVersion: 2,
          }),
          count,
        ],
      );
      await pool.query(
        `INSERT INTO streams (stream_id, tenant_id, revision, last_hash)
         SELECT 'appraisal-bench.fill-' || s, 'bench', $2 - 1, repeat('x', 64)
           FROM generate_series($1::bigint / $2, ($1::bigint + $3 - 1) / $2) AS s
         ON CONFLICT (stream_id) DO NOTHING`,
        [from, STREAM_EVENTS, count],
      );
      filled += count;
    }
    await pool.query('VACUUM ANALYZE events');
    await pool.query('VACUUM ANALYZE streams');

    const appends: number[] = [];
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const stream = `appraisal-bench.write-${randomUUID()}`;
        let revision: bigint | 'no_stream' = 'no_stream';
        while (Date.now() < until) {
          const began = ms();
          revision = (await store.append(stream, [newEvent()], { expectedRevision: revision })).nextRevision;
          appends.push(ms() - began);
        }
      }),
    );
    const reads: number[] = [];
    const streams = Math.floor((filled - 1000) / STREAM_EVENTS);
    for (let i = 0; i < 500; i++) {
      const began = ms();
      await store.readStream(`appraisal-bench.fill-${Math.floor(Math.random() * streams)}`);
      reads.push(ms() - began);
    }
    const longReads: number[] = [];
    const longCpu = process.cpuUsage();
    for (let i = 0; i < 50; i++) {
      const began = ms();
      const events = await store.readStream(long);
      if (events.length !== 1000) throw new Error(`the long stream read ${events.length} events`);
      longReads.push(ms() - began);
    }
    const { user, system } = process.cpuUsage(longCpu);
    const began = ms();
    let position = START;
    let read = 0;
    for (;;) {
      const page = await store.readAll({ after: position, maxCount: 1000 });
      if (page.events.length === 0) break;
      read += page.events.length;
      position = page.next;
    }
    const seconds = (ms() - began) / 1000;
    rows.push({
      size: read,
      appendP50: percentile(appends, 50),
      appendP99: percentile(appends, 99),
      readP50: percentile(reads, 50),
      readP99: percentile(reads, 99),
      longP50: percentile(longReads, 50),
      longP99: percentile(longReads, 99),
      longCpu: (user + system) / (50 * 1000),
      readAllRate: read / seconds,
      readAllSeconds: seconds,
    });
    console.log(`size ${read.toLocaleString('en')} measured`);
  }
  await pool.end();

  const base = rows[0];
  const ratio = (value: number, baseline: number) => `${Math.round((100 * value) / baseline)} %`;
  console.log(
    `\nload average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)`,
  );
  console.log(`bench:scale — ${SECONDS} s of appends per size; ratios against the first size (same run)`);
  console.log(
    '| events in store | append p50 ms | append p99 ms (vs first) | stream read p50 ms | stream read p99 ms (vs first) | 1,000-event read p50 / p99 ms (client CPU µs/event) | readAll events/s (s) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows)
    console.log(
      `| ${row.size.toLocaleString('en')} | ${row.appendP50.toFixed(2)} | ${row.appendP99.toFixed(2)} (${ratio(row.appendP99, base.appendP99)}) | ` +
        `${row.readP50.toFixed(2)} | ${row.readP99.toFixed(2)} (${ratio(row.readP99, base.readP99)}) | ` +
        `${row.longP50.toFixed(2)} / ${row.longP99.toFixed(2)} (${row.longCpu.toFixed(1)}) | ${Math.round(row.readAllRate).toLocaleString('en')} (${row.readAllSeconds.toFixed(1)}) |`,
    );
  console.log(
    'targets: append p99 and stream read p99 within 120 % of the first size; 1,000-event read < 5 ms',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
