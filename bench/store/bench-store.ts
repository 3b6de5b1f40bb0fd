/**
 * bench:store — the PostgreSQL event store against raw `pg` inserts, all in one run
 * (DESIGN.md "Performance targets"). Its own database (verity_bench_store, recreated each run).
 *
 *   raw 1-row INSERT transactions at 1 and 8 clients, raw 50-row INSERT transactions
 *   adapter append of 1 event per call at 1 and 8 writers (distinct streams), of 50 events per call
 *   readAll over 1,000,000 events (and a raw keyset read of the same rows)
 *
 * BENCH_SECONDS (default 8) per write phase, BENCH_READ_EVENTS (default 1,000,000), BENCH_DATABASE,
 * BENCH_COMPARE_STORE (another checkout's adapter measured in the same run), BENCH_COMPARE_SQL (this
 * adapter over a second database where that SQL file ran after the migrations, in the same run).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { freshBenchDatabase } from '../support/bench-database';
import type { Pool } from 'pg';
import { createPool } from '@verity/platform';
import { PostgresEventStore, START, type NewEvent } from '@verity/event-store';
import { reportRow, type TableRow } from '../support/bench-rows';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const READ_EVENTS = Number(process.env.BENCH_READ_EVENTS ?? 1_000_000);
// Another name keeps two checkouts' runs on one server apart.
const DATABASE = process.env.BENCH_DATABASE ?? 'verity_bench_store';
// BENCH_COMPARE_STORE=/path/to/another/checkout: that checkout's PostgresEventStore (its validation,
// hashing and SQL call) measured too, on this database, each phase beside the same raw baseline. The
// SQL functions it calls must be in this checkout's migrations (the array append_to_streams is).
// It replaces comparing migrations' definitions of one function: the client's share was the larger
// part of the gap (docs/adr/0173), and an adapter from before 1332 calls another function.
const COMPARE = process.env.BENCH_COMPARE_STORE;
// BENCH_COMPARE_SQL=/path/to/definitions.sql: another definition of the SQL functions, measured in the
// same run through this adapter over a second database (BENCH_DATABASE + `_compare`) where the file ran
// after the migrations: a function's change weighed before it becomes a migration (docs/adr/0186).
const COMPARE_SQL = process.env.BENCH_COMPARE_SQL;

interface Figure {
  name: string;
  clients: number;
  operations: number;
  rows: number;
  seconds: number;
  latencies: number[];
  /** This process's CPU time over the phase (user + system), µs: the client's share of each call. */
  cpu: number;
  /** The pool's PostgreSQL backends' CPU time over the phase, µs (NaN when the server is not on this machine). */
  serverCpu: number;
}

/**
 * Starts counting the CPU time of a pool's PostgreSQL backends, from `/proc/<pid>/schedstat` (on-CPU
 * nanoseconds): the server's share of each call, which the load of a shared machine moves far less than
 * throughput (docs/adr/0186). The returned function gives the µs spent since, by the backends there
 * at both ends (the pool may close one meanwhile); NaN when none can be read (a server elsewhere).
 */
async function serverCpuMeter(pool: Pool): Promise<() => number> {
  const { rows } = await pool.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = 'bench-store' AND datname = current_database()",
  );
  const spent = () => {
    const byPid = new Map<number, number>();
    for (const { pid } of rows)
      try {
        byPid.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000);
      } catch {
        // Closed meanwhile, or not on this machine.
      }
    return byPid;
  };
  const before = spent();
  return () => {
    const after = spent();
    const both = [...after].filter(([pid]) => before.has(pid));
    return both.length ? both.reduce((sum, [pid, cpu]) => sum + cpu - before.get(pid)!, 0) : Number.NaN;
  };
}

const data = () => ({
  appraisalId: randomUUID(),
  period: '2026-03',
  indicators: [{ id: 'sales', actual: 1180000, target: 1200000, score: 96.5 }],
  comment: 'Monthly review filed on time; pipeline above plan.',
});
const metadata = () => ({
  tenantId: 'bench',
  actor: { id: 'manager-17', role: 'manager' },
  correlationId: randomUUID(),
  causationId: null,
  schemaVersion: 1,
});
const newEvent = (): NewEvent => ({
  eventId: randomUUID(),
  type: 'PeriodReviewed',
  data: data(),
  metadata: metadata(),
});

/** Runs `operation` in `clients` concurrent loops for SECONDS; `operation` returns rows written. */
async function measure(
  pool: Pool,
  name: string,
  clients: number,
  operation: (client: number) => Promise<number>,
  slice: number,
): Promise<Figure> {
  // Every connection of the pool is open before the backends are listed (the pool opens them lazily).
  await Promise.all(Array.from({ length: clients }, () => pool.query('SELECT 1')));
  const latencies: number[] = [];
  let operations = 0;
  let rows = 0;
  const serverCpu = await serverCpuMeter(pool);
  const until = Date.now() + slice * 1000;
  const began = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < until) {
        const start = process.hrtime.bigint();
        const written = await operation(client);
        rows += written;
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        operations += 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    name,
    clients,
    operations,
    rows,
    seconds,
    latencies,
    cpu: cpu.user + cpu.system,
    serverCpu: serverCpu(),
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** A write phase: its name and one call of one client (returns rows written), keeping its streams' state. */
interface Writer {
  name: string;
  /** The pool it writes through (its backends' CPU is the phase's server CPU). */
  pool: Pool;
  operation: (client: number) => Promise<number>;
}

function rawWriter(pool: Pool, clients: number, rowsPerTransaction: number): Writer {
  // The same columns as `events`, its keys and indexes, written with plain INSERTs.
  const sql =
    rowsPerTransaction === 1
      ? 'INSERT INTO raw_events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)'
      : 'INSERT INTO raw_events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata) ' +
        'SELECT $1, $2 + n, id, $4, $5, d, m FROM unnest($3::uuid[], $6::jsonb[], $7::jsonb[]) WITH ORDINALITY AS x (id, d, m, n)';
  const revisions = new Array<number>(clients).fill(0);
  const streams = Array.from({ length: clients }, () => `raw-bench.${randomUUID()}`);
  return {
    name: `raw pg INSERT, ${rowsPerTransaction} row${rowsPerTransaction > 1 ? 's' : ''}/tx`,
    pool,
    operation: async (client) => {
      const revision = revisions[client];
      revisions[client] += rowsPerTransaction;
      const events = Array.from({ length: rowsPerTransaction }, newEvent);
      const values =
        rowsPerTransaction === 1
          ? [
              streams[client],
              revision,
              events[0].eventId,
              events[0].type,
              'bench',
              JSON.stringify(events[0].data),
              JSON.stringify(events[0].metadata),
            ]
          : [
              streams[client],
              revision - 1,
              events.map((event) => event.eventId),
              'PeriodReviewed',
              'bench',
              events.map((event) => JSON.stringify(event.data)),
              events.map((event) => JSON.stringify(event.metadata)),
            ];
      await pool.query(sql, values);
      return rowsPerTransaction;
    },
  };
}

function appendWriter(
  store: Pick<PostgresEventStore, 'append'>,
  pool: Pool,
  clients: number,
  eventsPerCall: number,
): Writer {
  const revisions: (bigint | 'no_stream')[] = new Array(clients).fill('no_stream');
  const streams = Array.from({ length: clients }, () => `appraisal-bench.${randomUUID()}`);
  return {
    name: `adapter append, ${eventsPerCall} event${eventsPerCall > 1 ? 's' : ''}/call`,
    pool,
    operation: async (client) => {
      const { nextRevision } = await store.append(
        streams[client],
        Array.from({ length: eventsPerCall }, newEvent),
        {
          expectedRevision: revisions[client],
        },
      );
      revisions[client] = nextRevision;
      return eventsPerCall;
    },
  };
}

/**
 * The writers of one configuration measured in turn, one-second slices each, for SECONDS each in all:
 * the load of a shared machine moves from second to second, and a baseline measured in the seconds
 * before the product's figure moved the ratio by ±30 points between runs of the same code
 * (docs/benchmarks.md 2026-12-05). Each writer's slices are summed into one figure.
 */
async function alternate(clients: number, writers: Writer[]): Promise<Figure[]> {
  const figures: Figure[] = writers.map(({ name }) => ({
    name,
    clients,
    operations: 0,
    rows: 0,
    seconds: 0,
    latencies: [],
    cpu: 0,
    serverCpu: 0,
  }));
  const slices = Math.max(1, Math.round(SECONDS));
  for (let slice = 0; slice < slices; slice++)
    for (const [index, writer] of writers.entries()) {
      const part = await measure(writer.pool, writer.name, clients, writer.operation, SECONDS / slices);
      const figure = figures[index];
      figure.operations += part.operations;
      figure.rows += part.rows;
      figure.seconds += part.seconds;
      figure.cpu += part.cpu;
      figure.serverCpu += part.serverCpu;
      for (const latency of part.latencies) figure.latencies.push(latency);
    }
  return figures;
}

/** A reader of the whole log, one page per call (returns the events read, 0 at the end). */
interface Reader {
  name: string;
  page: () => Promise<number>;
}

/** Every reader through the whole log, in turn, quarter-second slices each, until each has read it all. */
async function readInTurn(readers: Reader[]): Promise<{ name: string; events: number; seconds: number }[]> {
  const reads = readers.map(({ name }) => ({ name, events: 0, seconds: 0, done: false }));
  while (reads.some((read) => !read.done))
    for (const [index, read] of reads.entries()) {
      if (read.done) continue;
      const began = process.hrtime.bigint();
      // Quarter-second slices: the short run's 200,000 events are read in about 1.5 s per reader,
      // so one-second slices gave each reader two turns and the ratio the load of those two.
      const until = Date.now() + 250;
      while (!read.done && Date.now() < until) {
        const events = await readers[index].page();
        read.events += events;
        read.done = events === 0;
      }
      read.seconds += Number(process.hrtime.bigint() - began) / 1e9;
    }
  return reads;
}

async function main(): Promise<void> {
  const pool = createPool(await freshBenchDatabase(DATABASE), 8, 'bench-store');
  await pool.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
  const store = new PostgresEventStore(pool);
  const previousStore: PostgresEventStore | undefined = COMPARE
    ? new (
        (await import(path.resolve(COMPARE, 'libs/event-store/src'))) as typeof import('@verity/event-store')
      ).PostgresEventStore(pool)
    : undefined;
  const comparePool = COMPARE_SQL
    ? createPool(await freshBenchDatabase(`${DATABASE}_compare`), 8, 'bench-store')
    : undefined;
  if (comparePool) await comparePool.query(readFileSync(COMPARE_SQL!, 'utf8'));
  const compareStore = comparePool && new PostgresEventStore(comparePool);

  console.log(
    `bench:store — ${SECONDS} s per write phase in alternating 1 s slices, PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version}`,
  );
  const pairs: [Figure, Figure][] = [];
  const befores: Figure[][] = [];
  for (const [clients, rows] of [
    [1, 1],
    [8, 1],
    [1, 50],
    [8, 50],
  ] as const) {
    const current = appendWriter(store, pool, clients, rows);
    // Another checkout's adapter, on the same database, and another definition of the functions, on
    // the second database, in the same run.
    const previous: Writer[] = [
      ...(previousStore
        ? [
            {
              ...appendWriter(previousStore, pool, clients, rows),
              name: `${current.name} (${path.basename(COMPARE!)})`,
            },
          ]
        : []),
      ...(compareStore
        ? [
            {
              ...appendWriter(compareStore, comparePool!, clients, rows),
              name: `${current.name} (${path.basename(COMPARE_SQL!)})`,
            },
          ]
        : []),
    ];
    const [raw, ...appends] = await alternate(clients, [
      rawWriter(pool, clients, rows),
      ...previous,
      current,
    ]);
    befores.push(appends.slice(0, -1));
    pairs.push([raw, appends[appends.length - 1]]);
  }

  // The read: fill the log with READ_EVENTS events in large transactions, then read it all.
  const existing = Number((await pool.query('SELECT count(*) FROM events')).rows[0].count);
  const fill = Math.max(0, READ_EVENTS - existing);
  for (let done = 0; done < fill; done += 100_000) {
    await pool.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata)
       SELECT 'appraisal-bench.read-' || (n / 40), n % 40, gen_random_uuid(), 'PeriodReviewed', 'bench', $2::jsonb, $3::jsonb
         FROM generate_series($1::bigint, $1::bigint + $4 - 1) AS n`,
      [
        done,
        JSON.stringify(data()),
        JSON.stringify({ ...metadata(), previousHash: null, hash: 'x'.repeat(64) }),
        Math.min(100_000, fill - done),
      ],
    );
  }
  await pool.query('VACUUM ANALYZE events');
  // Another database's open transaction on this server holds readers back: wait until all is readable.
  const head = await store.headPosition();
  for (let waited = 0; ; waited += 100) {
    const { events } = await store.readAll({ after: head, maxCount: 1 });
    const visible = await pool.query(
      'SELECT count(*) FROM events WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())',
    );
    if (
      events.length === 0 &&
      Number(visible.rows[0].count) ===
        Number((await pool.query('SELECT count(*) FROM events')).rows[0].count)
    )
      break;
    if (waited > 60_000)
      throw new Error('events stayed unreadable for a minute: a transaction is held open elsewhere');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const total = Number((await pool.query('SELECT count(*) FROM events')).rows[0].count);
  // Each reader pages through the whole log in turn with the others, in short slices, as the writes
  // alternate: read one after the other, the ratio swung with the load between them (36–125 %,
  // docs/benchmarks.md 2026-12-05).
  const adapterReader = (batch: number): Reader => {
    let position = START;
    return {
      name: `adapter readAll, batch ${batch}`,
      page: async () => {
        const page = await store.readAll({ after: position, maxCount: batch });
        position = page.next;
        return page.events.length;
      },
    };
  };
  // The same keyset over the same index, without the snapshot filter and without mapping rows.
  const rawReader = (): Reader => {
    let after = { tx: '0', position: '0' };
    return {
      name: 'raw pg keyset read, batch 1000',
      page: async () => {
        const { rows } = await pool.query(
          'SELECT transaction_id::text AS tx, global_position, stream_id, stream_revision, event_id, type, data, metadata, recorded_at FROM events ' +
            'WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) ORDER BY events.transaction_id, events.global_position LIMIT 1000',
          [after.tx, after.position],
        );
        if (rows.length)
          after = { tx: rows[rows.length - 1].tx, position: rows[rows.length - 1].global_position };
        return rows.length;
      },
    };
  };
  // Ten pages of each reader first, not counted: the reader that went first paid for compiling the
  // code all of them share (a worker reading the log has long done that).
  for (const reader of [adapterReader(1000), adapterReader(5000), rawReader()])
    for (let page = 0; page < 10; page++) await reader.page();
  const reads = await readInTurn([adapterReader(1000), adapterReader(5000), rawReader()]);
  await pool.end();
  await comparePool?.end();

  const rate = (figure: Figure) => figure.rows / figure.seconds;
  const tableRow = (figure: Figure, ratio: string) => [
    figure.name,
    figure.clients,
    Math.round(figure.operations / figure.seconds),
    Math.round(rate(figure)),
    percentile(figure.latencies, 50),
    percentile(figure.latencies, 99),
    figure.cpu / figure.rows,
    figure.serverCpu / figure.operations,
    ratio,
  ];
  const ofRaw = (figure: Figure, raw: Figure) => `${Math.round((100 * rate(figure)) / rate(raw))} % of raw`;
  const rows = pairs.flatMap(([raw, adapter], index) => [
    tableRow(raw, ''),
    ...befores[index].map((before) => tableRow(before, `${ofRaw(before, raw)} (compared)`)),
    tableRow(adapter, `${ofRaw(adapter, raw)} (target ≥ 70 %)`),
  ]);
  // Client CPU per event: what the bench process itself spent (building events, validating, hashing,
  // serialising); the rest of a call's cost is the server's. Load average: the machine's state.
  console.log(
    `\nload average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min) on ${cpus().length} cores`,
  );
  console.log(
    '| phase | clients | calls/s | events/s | p50 ms | p99 ms | client CPU µs/event | server CPU µs/call | ratio |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const [name, clients, calls, events, p50, p99, cpu, server, ratio] of rows)
    console.log(
      `| ${name} | ${clients} | ${calls} | ${events} | ${Number(p50).toFixed(2)} | ${Number(p99).toFixed(2)} | ${Number(cpu).toFixed(0)} | ${Number.isNaN(server) ? '–' : Number(server).toFixed(0)} | ${ratio} |`,
    );
  // The table's rows (issue 21), each against its raw baseline of this run.
  const serverPerCall = (figure: Figure) =>
    Number.isNaN(figure.serverCpu)
      ? ''
      : `, server ${Math.round(figure.serverCpu / figure.operations)} µs CPU/call`;
  const appendRows: [TableRow, number, number][] = [
    ['append, 1 event/call, 8 clients', 8, 1],
    ['append, 50 events/call, 8 clients', 8, 50],
    ['append, 1 event/call, 1 client', 1, 1],
  ];
  for (const [row, clients, events] of appendRows) {
    const [raw, adapter] = pairs.find(([r]) => r.clients === clients && r.rows / r.operations === events)!;
    const ratio = (100 * rate(adapter)) / rate(raw);
    reportRow({
      row,
      now: `${Math.round(rate(adapter))} events/s, p99 ${percentile(adapter.latencies, 99).toFixed(1)} ms${serverPerCall(adapter)}`,
      baseline: `raw ${events}-row INSERT tx: ${Math.round(rate(raw))} rows/s${serverPerCall(raw)}`,
      ratio,
      target: '≥ 70 %',
      met: ratio >= 70,
      note: SECONDS < 8 ? `${SECONDS} s per phase` : undefined,
    });
  }
  const raw = reads[reads.length - 1];
  const adapterRead = reads.find((read) => read.name === 'adapter readAll, batch 1000')!;
  const readRatio = (100 * adapterRead.events) / adapterRead.seconds / (raw.events / raw.seconds);
  reportRow({
    row: 'readAll',
    now: `${Math.round(adapterRead.events / adapterRead.seconds)} events/s (batch 1000)`,
    baseline: `raw keyset read: ${Math.round(raw.events / raw.seconds)} events/s`,
    ratio: readRatio,
    target: 'keep ≥ 100 %',
    met: readRatio >= 100,
    note: total < 1_000_000 ? `${total.toLocaleString('en')} events` : undefined,
  });
  console.log(`\nglobal read over ${total} events:`);
  console.log('| read | events | seconds | events/s | ratio |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const read of reads)
    console.log(
      `| ${read.name} | ${read.events} | ${read.seconds.toFixed(2)} | ${Math.round(read.events / read.seconds)} | ${
        read === raw
          ? 'baseline'
          : `${Math.round((100 * read.events) / read.seconds / (raw.events / raw.seconds))} % of raw (target ≥ 100,000 events/s)`
      } |`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
