/**
 * bench:audit-write — the audit rebuild's write alone (ADR 0169): the same batches written as text
 * arrays (`audit_projection_write`) and by COPY (`audit_projection_write_staged`), in turn, each
 * round in a transaction rolled back, into an emptied `audit_entries` without its secondary indexes
 * as in a rebuild. Reports rows/s and CPU per row of this process and of its PostgreSQL backend, which
 * another process busy on a core changes far less than the rate.
 *
 * Reads BENCH_WRITE_EVENTS (50,000) events from the log bench:projections left in BENCH_DATABASE
 * (verity_bench_projections): run that first. BENCH_WRITE_BATCH (5,000, a rebuild's batch) and
 * BENCH_WRITE_ROUNDS (4).
 */
import { loadavg } from 'node:os';
import { PostgresEventStore, type RecordedEvent } from '@verity/event-store';
import { createPool, loadConfig } from '@verity/platform';
import { AUDIT_TABLES, auditProjectionCopyingFrom } from '@verity/projections';
import { cpuPerEvent, cpuSoFar } from './rebuild-cpu';

const EVENTS = Number(process.env.BENCH_WRITE_EVENTS ?? 50_000);
const BATCH = Number(process.env.BENCH_WRITE_BATCH ?? 5_000);
const ROUNDS = Number(process.env.BENCH_WRITE_ROUNDS ?? 4);
const DATABASE = process.env.BENCH_DATABASE ?? 'verity_bench_projections';

const WRITES = { arrays: auditProjectionCopyingFrom(Infinity), copy: auditProjectionCopyingFrom(1) };

async function main(): Promise<void> {
  const url = new URL(loadConfig().DATABASE_OWNER_URL);
  url.pathname = `/${DATABASE}`;
  // One connection: the reads, the writes and the CPU readings on one backend.
  const pool = createPool(url.toString(), 1, 'verity-bench-audit-write');
  const store = new PostgresEventStore(pool);
  const batches: RecordedEvent[][] = [];
  let position = '0';
  while (batches.length * BATCH < EVENTS) {
    const page = await store.readAll({ after: position, maxCount: BATCH });
    if (page.events.length === 0) break;
    batches.push(page.events);
    position = page.next;
  }
  const rows = batches.reduce((n, batch) => n + batch.length, 0);
  if (rows === 0) throw new Error(`no events in ${DATABASE}: run bench:projections first`);
  const figures: Record<string, { rate: number; client: number; backend: number | null }[]> = {
    arrays: [],
    copy: [],
  };
  const client = await pool.connect();
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with the other write: neither always meets the same moment of the load.
    const order = round % 2 ? (['copy', 'arrays'] as const) : (['arrays', 'copy'] as const);
    for (const name of order) {
      await client.query('BEGIN');
      try {
        await client.query(`TRUNCATE ${AUDIT_TABLES.join(', ')}`);
        await client.query('SELECT audit_entries_defer_indexes()');
        const before = await cpuSoFar(client);
        const began = performance.now();
        for (const batch of batches) await WRITES[name].handle(batch, client);
        const seconds = (performance.now() - began) / 1000;
        const cpu = cpuPerEvent(before, await cpuSoFar(client), rows);
        figures[name].push({ rate: rows / seconds, client: cpu.client, backend: cpu.backends });
      } finally {
        await client.query('ROLLBACK');
      }
    }
  }
  client.release();
  await pool.end();
  const rate = (n: number) => Math.round(n).toLocaleString('en');
  console.log(
    `\naudit write alone: ${rows.toLocaleString('en')} rows in batches of ${BATCH.toLocaleString('en')}, ${ROUNDS} rounds in turn, ` +
      `secondary indexes deferred as in a rebuild (load average ${loadavg()[0].toFixed(1)}):`,
  );
  for (const [name, runs] of Object.entries(figures))
    console.log(
      `  ${name.padEnd(6)} rows/s ${runs.map((r) => rate(r.rate)).join(' / ')}; CPU per row: bench process ` +
        `${runs.map((r) => r.client.toFixed(1)).join(' / ')} µs, PostgreSQL ${runs.map((r) => r.backend?.toFixed(1) ?? '?').join(' / ')} µs`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
