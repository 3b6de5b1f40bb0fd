/**
 * bench:projections — rebuild throughput of the audit and score projections (and inbox) from
 * BENCH_EVENTS (1,000,000) generated, realistic appraisal events in the real PostgreSQL event store,
 * read by the real ConsumerRunner; then the projection lag (append committed → projection applied)
 * while BENCH_LOAD_RATE (1,000) commands/s are appended for BENCH_LOAD_SECONDS (20) with the
 * three runners live, as the worker runs them.
 *
 * Runs in its own database (verity_bench_projections, recreated and migrated). Histories are the
 * domain's own decisions (libs/projections/src/testing/appraisal-histories.ts): plans, monthly
 * reviews, scores, vetoes, improvements, timers, ratings, calibration, appeals. A pool of distinct
 * histories is generated once and replayed under new appraisal ids to reach the event count.
 *
 * For iterating on one projection: BENCH_REUSE=1 keeps the previous run's database and log when it
 * has one (each rebuild starts from an emptied read model and no checkpoint), BENCH_ONLY=score,audit
 * rebuilds only those, BENCH_LOAD_SECONDS=0 skips the lag measurement, BENCH_BASELINES=0 skips the
 * audit rebuilds as before (audit-kept, audit-arrays) and the copies by PostgreSQL alone (for
 * alternating two checkouts on one kept log). Figures worth recording come from a run without them.
 */
import { cpus, loadavg } from 'node:os';
import { Presets, SingleBar } from 'cli-progress';
import { freshBenchDatabase } from '../support/bench-database';
import {
  ConsumerRunner,
  PostgresEventStore,
  type ConsumerHandler,
  type EventStore,
  type RecordedEvent,
} from '@verity/event-store';
import { createPool, inTransaction, loadConfig } from '@verity/platform';
import {
  AUDIT_TABLES,
  INBOX_TABLES,
  SCORE_TABLES,
  auditProjection,
  auditProjectionCopyingFrom,
  inboxProjection,
  scoreProjection,
  type Projection,
} from '@verity/projections';
import { commandsOf, histories, publishWorkflows, type Command } from './generated-log';
import { lagUnderLoad } from './lag-under-load';
import { reportRow } from '../support/bench-rows';
import { cpuPerEvent, cpuSoFar, processCpu } from './rebuild-cpu';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
// What the worker's read models read per transaction while rebuilding (ADR 0156); BENCH_CATCH_UP_BATCH=1000 as before it.
const CATCH_UP_BATCH = Number(process.env.BENCH_CATCH_UP_BATCH ?? 5000);
const DISTINCT = Number(process.env.BENCH_DISTINCT_HISTORIES ?? 1500);
const LOAD_RATE = Number(process.env.BENCH_LOAD_RATE ?? 1000);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const REUSE = process.env.BENCH_REUSE === '1';
const ONLY = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
// The audit rebuild with its write before ADR 0169 and with its write now, this many times in turn.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const BASELINES = process.env.BENCH_BASELINES !== '0';
const WRITERS = 8;
const TENANTS = 5;
// Another name keeps two checkouts' runs on one server apart.
const DATABASE = process.env.BENCH_DATABASE ?? 'verity_bench_projections';

/** Appends the whole log: WRITERS concurrent writers, each interleaving a window of appraisals command by command. */
async function load(store: EventStore, pool: ReturnType<typeof createPool>): Promise<number> {
  process.stdout.write(`generating ${DISTINCT} distinct histories … `);
  const began = Date.now();
  const bases = histories(DISTINCT, 1);
  const perHistory = bases.reduce((n, h) => n + h.length, 0) / bases.length;
  console.log(
    `${((Date.now() - began) / 1000).toFixed(1)} s, ${perHistory.toFixed(0)} events per appraisal on average`,
  );
  const tenants = Array.from({ length: TENANTS }, (_, i) => `t${i}`);
  await publishWorkflows(store, tenants);
  const bar = new SingleBar(
    { format: 'loading   [{bar}] {value}/{total} events | {rate} ev/s' },
    Presets.shades_classic,
  );
  bar.start(TOTAL, 0, { rate: 0 });
  let appended = 0;
  let next = 0;
  const loadBegan = Date.now();
  const writer = async () => {
    const window: { commands: Command[]; at: number; revision: bigint }[] = [];
    for (;;) {
      while (window.length < 8 && appended + window.length * perHistory < TOTAL) {
        const i = next++;
        const tenantId = tenants[i % TENANTS];
        window.push({
          commands: commandsOf(tenantId, `a${i}`, bases[i % DISTINCT], 'load'),
          at: 0,
          revision: -1n,
        });
      }
      if (window.length === 0) return;
      for (let w = window.length - 1; w >= 0; w--) {
        const item = window[w];
        // A few commands at a time per appraisal, so batches mix appraisals as a live log does.
        const chunk = item.commands.slice(item.at, item.at + 3);
        const events = chunk.flatMap((c) => c.events);
        await store.append(chunk[0].streamId, events, {
          expectedRevision: item.revision < 0n ? 'no_stream' : item.revision,
        });
        item.revision += BigInt(events.length);
        item.at += chunk.length;
        appended += events.length;
        if (item.at >= item.commands.length) window.splice(w, 1);
      }
      bar.update(Math.min(appended, TOTAL), {
        rate: Math.round(appended / ((Date.now() - loadBegan) / 1000)),
      });
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  bar.stop();
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(rows[0].n);
}

/** Replays the whole log into one projection with the real runner; events/s over the log's size. */
async function rebuild(
  pool: ReturnType<typeof createPool>,
  store: EventStore,
  projection: Projection,
  size: number,
) {
  const bar = new SingleBar(
    { format: `${projection.name.padEnd(9)} [{bar}] {value}/{total} events | {rate} ev/s` },
    Presets.shades_classic,
  );
  // The projection's own share of the time (the rest: reading the log and the runner's transaction).
  let handling = 0;
  let catchUpCpu = 0;
  const handler: ConsumerHandler = {
    name: projection.name,
    eventTypes: projection.eventTypes,
    derivedOnly: projection.derivedOnly,
    async handle(events: RecordedEvent[], tx) {
      const began = performance.now();
      await projection.handle(events, tx);
      handling += performance.now() - began;
    },
    // What the projection put off until it caught up (the audit indexes, ADR 0137) is in the time.
    async caughtUp(tx) {
      const began = performance.now();
      // The backend's own CPU in it (an index build's parallel workers, when the server has free
      // ones, are not counted: they end before the rebuild's last reading).
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const cpuBefore = processCpu(rows[0].pid);
      await projection.caughtUp?.(tx);
      catchUpCpu += (processCpu(rows[0].pid) ?? NaN) - (cpuBefore ?? NaN);
      handling += performance.now() - began;
    },
  };
  const runner = new ConsumerRunner({
    pool,
    store,
    handler,
    batchSize: BATCH,
    // `<name>-b<size>`: the same projection rebuilt with other catch-up batches (BENCH_COMPARE_CATCH_UP).
    catchUpBatchSize: Number(/-b(\d+)$/.exec(projection.name)?.[1] ?? CATCH_UP_BATCH),
  });
  bar.start(size, 0, { rate: 0 });
  const cpuBefore = await cpuSoFar(pool);
  const began = process.hrtime.bigint();
  await runner.start();
  // Progress from the runner's position (its global sequence part): no count over the log while timing.
  const head = BigInt(await store.headPosition()) % 10n ** 19n;
  for (;;) {
    const done = Number(BigInt(runner.status().position) % 10n ** 19n);
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    bar.update(Math.min(done, size), { rate: Math.round(done / seconds) });
    if (BigInt(done) >= head) break;
    // Often enough that the end is seen within 1 % of a rebuild's time.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await runner.caughtUp(600_000);
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const cpu = cpuPerEvent(cpuBefore, await cpuSoFar(pool), size);
  await runner.stop();
  bar.stop();
  return {
    name: projection.name,
    seconds,
    rate: size / seconds,
    handling: handling / 1000 / seconds,
    cpu: { ...cpu, caughtUp: (catchUpCpu * 1000) / size },
  };
}

/** The baseline of the same run: the whole log read through the store alone, in the runner's catch-up batches. */
async function readAllAlone(pool: ReturnType<typeof createPool>, store: EventStore, size: number) {
  const cpuBefore = await cpuSoFar(pool);
  const began = process.hrtime.bigint();
  let position = '0';
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after: position, maxCount: Math.max(BATCH, CATCH_UP_BATCH) });
    if (page.events.length === 0) break;
    events += page.events.length;
    position = page.next;
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const cpu = cpuPerEvent(cpuBefore, await cpuSoFar(pool), Math.max(events, size));
  return { events, seconds, rate: Math.max(events, size) / seconds, cpu };
}

const TABLES: Record<string, readonly string[]> = {
  audit: AUDIT_TABLES,
  score: SCORE_TABLES,
  inbox: INBOX_TABLES,
};

/**
 * The write side's baseline of the same run: the rows the rebuild wrote, copied by PostgreSQL alone
 * (INSERT … SELECT into a copy of each table with the same indexes, no client, no JSON), and again
 * with the primary key alone plus building the other indexes afterwards (what ADR 0137 does for the
 * audit rows). Rolled back: the copies and the lifted row-level security (the owner is bound by
 * FORCE) never exist for anyone else.
 */
async function rawCopy(pool: ReturnType<typeof createPool>, tables: readonly string[]) {
  const client = await pool.connect();
  let rows = 0;
  let indexed = 0;
  let deferred = 0;
  try {
    await client.query('BEGIN');
    for (const table of tables) {
      await client.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      const { rows: secondary } = await client.query<{ definition: string }>(
        `SELECT replace(pg_get_indexdef(i.indexrelid), ' ON public.${table} ', ' ON bench_deferred ') AS definition
           FROM pg_index i WHERE i.indrelid = '${table}'::regclass AND NOT i.indisprimary`,
      );
      await client.query(`CREATE TABLE bench_indexed (LIKE ${table} INCLUDING ALL)`);
      let began = performance.now();
      const copied = await client.query(`INSERT INTO bench_indexed SELECT * FROM ${table}`);
      indexed += performance.now() - began;
      rows += copied.rowCount ?? 0;
      await client.query(
        `CREATE TABLE bench_deferred (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
      );
      const { rows: pk } = await client.query<{ columns: string }>(
        `SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n) AS columns
           FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
           JOIN pg_attribute a ON a.attnum = k.attnum
          WHERE i.indrelid = '${table}'::regclass AND i.indisprimary AND a.attrelid = i.indrelid`,
      );
      if (pk[0]?.columns) await client.query(`ALTER TABLE bench_deferred ADD PRIMARY KEY (${pk[0].columns})`);
      began = performance.now();
      await client.query(`INSERT INTO bench_deferred SELECT * FROM ${table}`);
      for (const { definition } of secondary)
        await client.query(definition.replace(/^CREATE (UNIQUE )?INDEX \S+/, 'CREATE $1INDEX'));
      deferred += performance.now() - began;
      await client.query('DROP TABLE bench_indexed, bench_deferred');
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
  return { rows, indexed: rows / (indexed / 1000), deferred: rows / (deferred / 1000) };
}

/** The previous run's database when BENCH_REUSE=1 and it holds a log; otherwise a fresh one, loaded. */
async function benchLog(): Promise<{ pool: ReturnType<typeof createPool>; store: EventStore; size: number }> {
  if (REUSE) {
    const url = new URL(loadConfig().DATABASE_OWNER_URL);
    url.pathname = `/${DATABASE}`;
    // Writers, three runners (a held connection and a read each) and the progress queries.
    const pool = createPool(url.toString(), WRITERS + 8, 'verity-bench-projections');
    const size = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events').then(
      ({ rows }) => Number(rows[0].n),
      () => 0,
    );
    if (size > 0) {
      console.log(`log: ${size} events (kept from the previous run)`);
      return { pool, store: new PostgresEventStore(pool), size };
    }
    await pool.end();
  }
  const pool = createPool(await freshBenchDatabase(DATABASE), WRITERS + 8, 'verity-bench-projections');
  const store = new PostgresEventStore(pool);
  const size = await load(store, pool);
  // A live system has planner statistics for its log; a freshly loaded table has none yet.
  await pool.query('VACUUM ANALYZE events');
  console.log(`log: ${size} events`);
  return { pool, store, size };
}

async function main(): Promise<void> {
  const { pool, store, size } = await benchLog();
  // The load of a shared machine moves from minute to minute: each rebuild is set beside readAll
  // alone measured just before and just after it, and the ratio is to their mean.
  const before = await readAllAlone(pool, store, size);
  const results = [];
  let around = before;
  const copied = new Set<string>();
  // The audit rebuild as it was before ADRs 0137 and 0138 (indexes kept up row by row, each batch
  // waiting for the WAL flush), in the same run.
  const auditIndexesKept: Projection = {
    ...auditProjection,
    // Its own consumer name (checkpoint and lock): `audit-kept` in the figures.
    name: 'audit-kept',
    reset: (tx) => tx.query(`TRUNCATE ${AUDIT_TABLES.join(', ')}`).then(() => undefined),
    caughtUp: undefined,
    derivedOnly: false,
  };
  // The audit rebuild writing every batch as text arrays, as before ADR 0169 (COPY for large batches).
  const auditByArrays: Projection = { ...auditProjectionCopyingFrom(Infinity), name: 'audit-arrays' };
  // BENCH_COMPARE_CATCH_UP=1000: each score and audit rebuild is preceded, in the same run, by one
  // reading 1,000 events per batch while catching up (as before ADR 0156), named `score-b1000`.
  const compare = process.env.BENCH_COMPARE_CATCH_UP;
  const asBefore = (projection: Projection): Projection[] =>
    compare ? [{ ...projection, name: `${projection.name}-b${compare}` }] : [];
  for (const projection of [
    ...(BASELINES ? [auditIndexesKept] : []),
    ...asBefore(auditProjection),
    ...Array.from({ length: ROUNDS }, () =>
      BASELINES ? [auditByArrays, auditProjection] : [auditProjection],
    ).flat(),
    ...asBefore(scoreProjection),
    scoreProjection,
    inboxProjection,
  ]) {
    if (ONLY && !ONLY.includes(projection.name.split('-')[0])) continue;
    // The comparison starts from the schema's indexes, whatever a previous run left.
    if (projection === auditIndexesKept) await pool.query('SELECT audit_entries_restore_indexes()');
    // From an empty read model and no checkpoint (a kept database has the previous run's).
    await inTransaction(pool, async (tx) => {
      await projection.reset(tx);
      await tx.query('DELETE FROM consumer_checkpoints WHERE name = $1', [projection.name]);
    });
    const rebuilt = await rebuild(pool, store, projection, size);
    const after = await readAllAlone(pool, store, size);
    // The copy by PostgreSQL alone once per table: the same rows each round.
    const table = projection.name.split('-')[0];
    const raw = copied.has(table) || !BASELINES ? undefined : await rawCopy(pool, TABLES[table]);
    copied.add(table);
    results.push({ ...rebuilt, readAll: (around.rate + after.rate) / 2, readAllCpu: after.cpu, raw });
    around = after;
  }
  const load2 =
    LOAD_SECONDS > 0
      ? await lagUnderLoad(pool, store, { rate: LOAD_RATE, seconds: LOAD_SECONDS })
      : undefined;
  await pool.end();

  const target = 50_000;
  const rate = (n: number) => Math.round(n).toLocaleString('en');
  console.log(
    `\nrebuild from position zero (real store, real runner, batch ${BATCH}, ${Math.max(BATCH, CATCH_UP_BATCH)} while catching up; ${size.toLocaleString('en')} events` +
      `${size < 1_000_000 ? ', not the 1,000,000 of the target' : ''}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores):`,
  );
  console.log(`  readAll alone (baseline, same run, first) ${rate(before.rate)} events/s`);
  console.log(
    '  (audit-kept: the audit rebuild as before ADRs 0137-0138: secondary indexes kept up row by row, each commit waiting for the WAL flush;' +
      ' audit-arrays: every batch written as text arrays, as before ADR 0169)',
  );
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(10)} ${rate(r.rate)} events/s (${r.seconds.toFixed(1)} s, ${Math.round(r.handling * 100)} % in the projection)` +
        ` | readAll alone around it ${rate(r.readAll)} events/s: ${Math.round((100 * r.rate) / r.readAll)} %` +
        (r.name !== 'audit' && r.name !== 'score'
          ? ''
          : ` | target ≥ ${target.toLocaleString('en')}: ${r.rate >= target ? 'met' : 'NOT met'}`),
    );
    const micros = (cpu: { client: number; backends: number | null }) =>
      `bench process ${cpu.client.toFixed(1)} µs, PostgreSQL ${cpu.backends?.toFixed(1) ?? '(not readable)'} µs`;
    console.log(
      `             CPU per event: ${micros(r.cpu)}, of which ${r.cpu.caughtUp.toFixed(1)} µs in the caught-up step (the audit's index build)` +
        ` (readAll alone after it: ${micros(r.readAllCpu)})`,
    );
    if (r.raw)
      console.log(
        `             its ${r.raw.rows.toLocaleString('en')} rows copied by PostgreSQL alone: ${rate(r.raw.indexed)} rows/s with the indexes kept up, ` +
          `${rate(r.raw.deferred)} rows/s with the secondary ones built after; the rebuild wrote ${rate(r.raw.rows / r.seconds)} rows/s ` +
          `(${Math.round((100 * r.raw.rows) / r.seconds / r.raw.indexed)} % of the first)`,
      );
  }
  for (const r of results) {
    if (r.name !== 'audit' && r.name !== 'score') continue;
    reportRow({
      row: `projection rebuild, ${r.name}`,
      now: `${rate(r.rate)} events/s`,
      baseline: `readAll alone around it: ${rate(r.readAll)} events/s`,
      ratio: (100 * r.rate) / r.readAll,
      target: `≥ ${target.toLocaleString('en')} events/s`,
      met: r.rate >= target,
      note: size < 1_000_000 ? `${size.toLocaleString('en')}-event log` : undefined,
    });
  }
  if (!load2) return;
  console.log(
    `\nlag under load: ${load2.commands} commands (${load2.events} events) at ${Math.round(load2.rate)} commands/s ` +
      `(asked ${LOAD_RATE}); append p50 ${load2.append.p50.toFixed(1)} ms, p99 ${load2.append.p99.toFixed(1)} ms`,
  );
  for (const [name, lag] of Object.entries(load2.lag))
    console.log(
      `  ${name.padEnd(6)} lag p50 ${lag.p50.toFixed(0)} ms, p99 ${lag.p99.toFixed(0)} ms, max ${lag.max?.toFixed(0)} ms over ${lag.n} events` +
        ` — target p99 < 500 ms: ${lag.p99 < 500 ? 'met' : 'NOT met'}`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
