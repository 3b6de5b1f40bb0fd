/**
 * bench:projections — audit projection throughput over generated appraisal histories.
 * Runs in its own database (verity_bench_projections, recreated). Until libs/event-store has its
 * PostgreSQL adapter, events are generated in memory and handed to the projection in batches of
 * BATCH inside one transaction each (what the consumer runner does, minus reading the log and the
 * checkpoint write), so the figure is projection-write throughput, labelled as such.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { SingleBar, Presets } from 'cli-progress';
import { createPool, inTransaction, loadConfig } from '@verity/platform';
import type { RecordedEvent } from '@verity/event-store';
import { auditProjection } from '@verity/projections';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const TYPES = [
  'AppraisalCreated',
  'PlanSubmitted',
  'PlanApproved',
  'PeriodAssessed',
  'PeerRatingGiven',
  'PeriodScored',
  'StepOpened',
  'StepCompleted',
];

function* generate(): Generator<RecordedEvent> {
  const start = Date.UTC(2026, 0, 1);
  for (let i = 1; i <= TOTAL; i++) {
    const tenantId = `t${i % 5}`;
    const appraisal = `a${Math.floor(i / 40)}`; // ~40 events per appraisal history
    const type = TYPES[i % TYPES.length];
    yield {
      eventId: randomUUID(),
      type,
      data: { employeeId: `emp-${appraisal}`, anonymous: type === 'PeerRatingGiven' },
      metadata: {
        tenantId,
        actor: { id: `u${i % 997}`, role: 'manager' },
        correlationId: randomUUID(),
        causationId: null,
        schemaVersion: 1,
        ruleVersion: 'wf-3',
      },
      streamId: `appraisal-${tenantId}.${appraisal}`,
      streamRevision: BigInt(i % 40),
      position: String(i),
      recordedAt: new Date(start + i * 1000),
    };
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const admin = new Client({ connectionString: config.DATABASE_URL });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS verity_bench_projections');
  await admin.query('CREATE DATABASE verity_bench_projections');
  await admin.end();
  const url = new URL(config.DATABASE_URL);
  url.pathname = '/verity_bench_projections';
  const pool = createPool(url.toString(), 2);
  const up = readFileSync(`${__dirname}/../../infra/migrations/0300_audit_projection.sql`, 'utf8').split(
    '-- Down Migration',
  )[0];
  await pool.query(up);

  const bar = new SingleBar(
    { format: 'audit rebuild [{bar}] {value}/{total} events | {rate} ev/s' },
    Presets.shades_classic,
  );
  bar.start(TOTAL, 0, { rate: 0 });
  const began = process.hrtime.bigint();
  let done = 0;
  let batch: RecordedEvent[] = [];
  const flush = async () => {
    const events = batch;
    batch = [];
    await inTransaction(pool, (tx) => auditProjection.handle(events, tx));
    done += events.length;
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    bar.update(done, { rate: Math.round(done / seconds) });
  };
  for (const event of generate()) {
    batch.push(event);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  bar.stop();
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  console.log(
    `audit projection: ${done} events in ${seconds.toFixed(1)} s = ${Math.round(done / seconds)} events/s (batch ${BATCH})`,
  );
  await pool.end();
}

void main();
