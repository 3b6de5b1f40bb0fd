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
 *
 * BENCH_SCALE_KEEP=1: one database per size (`<database>_<size>`), kept after the run and reused by the
 * next one when it already holds that size, so the hour of filling 10,000,000 events can be done
 * once (at low priority, beside other work) and the measurements taken later on a quiet machine.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import { createPool } from '@verity/platform';
import { PostgresEventStore, START, type NewEvent } from '@verity/event-store';
import { benchDatabaseUrl, freshBenchDatabase } from '../support/bench-database';

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '100000,1000000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const STREAM_EVENTS = 40;
// Another name keeps two checkouts' runs on one server apart.
const DATABASE = process.env.BENCH_DATABASE ?? 'verity_bench_scale';
const KEEP = process.env.BENCH_SCALE_KEEP === '1';
// The 1,000-event appraisal: one per database, found again by its name when the database is kept.
const LONG_STREAM = 'appraisal-bench.long';

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

/** A database with the long stream in it, and how many events it already holds. */
async function openDatabase(
  name: string,
): Promise<{ pool: Pool; store: PostgresEventStore; filled: number }> {
  const kept = KEEP ? await keptDatabaseUrl(name) : undefined;
  const pool = createPool(kept ?? (await freshBenchDatabase(name)), 10, 'bench-scale');
  const store = new PostgresEventStore(pool);
  if (!kept) {
    // One appraisal of 1,000 events, appended through the store (real hash chain), 50 at a time.
    for (let revision = -1n; revision < 999n; revision += 50n)
      await store.append(LONG_STREAM, Array.from({ length: 50 }, newEvent), {
        expectedRevision: revision < 0n ? 'no_stream' : revision,
      });
  }
  // The bulk streams' events (numbered from 0) plus the long stream's 1,000; a kept database's own
  // write streams from earlier runs are not counted, so filling goes on from the bulk streams' end.
  const { rows } = await pool.query(
    "SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'appraisal-bench.fill-%'",
  );
  return { pool, store, filled: rows[0].n + 1000 };
}

/** Waits (up to a minute) until every event is below the read horizon of `events_committed`. */
async function untilAllReadable(pool: Pool): Promise<void> {
  for (let waited = 0; ; waited += 200) {
    const { rows } = await pool.query(
      'SELECT (SELECT count(*) FROM events_committed) = (SELECT count(*) FROM events) AS readable',
    );
    if (rows[0].readable) return;
    if (waited > 60_000)
      throw new Error('events stayed unreadable for a minute: a transaction is held open elsewhere');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The URL of the kept database `name` when it exists and is migrated, else undefined. */
async function keptDatabaseUrl(name: string): Promise<string | undefined> {
  const url = benchDatabaseUrl(name);
  const pool = createPool(url, 1, 'bench-scale-probe');
  try {
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [
      LONG_STREAM,
    ]);
    return rows[0].n === 1000 ? url : undefined;
  } catch {
    return undefined;
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  let opened = KEEP ? undefined : await openDatabase(DATABASE);
  for (const size of SIZES) {
    if (KEEP) {
      await opened?.pool.end();
      opened = await openDatabase(`${DATABASE}_${size}`);
    }
    const { pool, store } = opened!;
    let filled = opened!.filled;
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
    opened!.filled = filled;
    await pool.query('VACUUM ANALYZE events');
    await pool.query('VACUUM ANALYZE streams');

    // 8 writers, one event per call, for `seconds`; each call's time pushed to `into`.
    const appendFor = (seconds: number, into: number[]) => {
      const until = Date.now() + seconds * 1000;
      return Promise.all(
        Array.from({ length: 8 }, async () => {
          const stream = `appraisal-bench.write-${randomUUID()}`;
          let revision: bigint | 'no_stream' = 'no_stream';
          while (Date.now() < until) {
            const began = ms();
            revision = (await store.append(stream, [newEvent()], { expectedRevision: revision }))
              .nextRevision;
            into.push(ms() - began);
          }
        }),
      );
    };
    const streams = Math.floor((filled - 1000) / STREAM_EVENTS);
    const readStreamsInto = async (count: number, into: number[]) => {
      for (let i = 0; i < count; i++) {
        const began = ms();
        await store.readStream(`appraisal-bench.fill-${Math.floor(Math.random() * streams)}`);
        into.push(ms() - began);
      }
    };
    // Not counted: the pool's first connections, prepared statements and the JIT's first calls (the
    // first size's p99 was 200-300 ms from them alone, a baseline every later size then "beat").
    await appendFor(1, []);
    await readStreamsInto(50, []);
    for (let i = 0; i < 10; i++) await store.readStream(LONG_STREAM);
    const appends: number[] = [];
    await appendFor(SECONDS, appends);
    const reads: number[] = [];
    await readStreamsInto(500, reads);
    const longReads: number[] = [];
    const longCpu = process.cpuUsage();
    for (let i = 0; i < 50; i++) {
      const began = ms();
      const events = await store.readStream(LONG_STREAM);
      if (events.length !== 1000) throw new Error(`the long stream read ${events.length} events`);
      longReads.push(ms() - began);
    }
    const { user, system } = process.cpuUsage(longCpu);
    // readAll reads below the server's oldest running transaction: one held open elsewhere on the
    // server (another database's work) would hide the newest events and cut the read short.
    await untilAllReadable(pool);
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
    if (read < filled) throw new Error(`readAll read ${read} of the ${filled} events filled`);
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
  await opened?.pool.end();

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
