import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { PostgresEventStore, type NewEvent } from '@verity/event-store';

const CLIENTS = Number(process.env.CLIENTS ?? 8);
const pool = new Pool({ connectionString: 'postgres://verity:verity@127.0.0.1:5432/verity_appendfn_parts', max: CLIENTS, application_name: 'appendfn-cpu' });
const store = new PostgresEventStore(pool);
const data = () => ({ appraisalId: randomUUID(), period: '2026-03', indicators: [{ id: 'sales', actual: 1180000, target: 1200000, score: 96.5 }], comment: 'Monthly review filed on time; pipeline above plan.' });
const metadata = () => ({ tenantId: 'bench', actor: { id: 'manager-17', role: 'manager' }, correlationId: randomUUID(), causationId: null, schemaVersion: 1 });
const newEvent = (): NewEvent => ({ eventId: randomUUID(), type: 'PeriodReviewed', data: data(), metadata: metadata() });
async function main() {
  await Promise.all(Array.from({ length: CLIENTS }, () => pool.query('SELECT 1')));
  const pids = (await pool.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'appendfn-cpu'")).rows.map((r) => r.pid as number);
  const server = () => pids.reduce((sum, pid) => sum + Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000, 0);
  const rawState = Array.from({ length: CLIENTS }, () => ({ stream: `raw.${randomUUID()}`, rev: 0 }));
  const appState = Array.from({ length: CLIENTS }, () => ({ stream: `appraisal-bench.${randomUUID()}`, rev: 'no_stream' as bigint | 'no_stream' }));
  const kinds: Record<string, (c: number) => Promise<unknown>> = {
    raw: async (c) => { const e = newEvent(); await pool.query('INSERT INTO raw_events (stream_id, stream_revision, event_id, type, tenant_id, data, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)', [rawState[c].stream, rawState[c].rev++, e.eventId, e.type, 'bench', JSON.stringify(e.data), JSON.stringify(e.metadata)]); },
    append: async (c) => { const r = await store.append(appState[c].stream, [newEvent()], { expectedRevision: appState[c].rev }); appState[c].rev = r.nextRevision; },
  };
  const out: Record<string, { client: number; server: number; calls: number; wall: number }> = {};
  for (let round = 0; round < Number(process.env.ROUNDS ?? 20); round++)
    for (const [name, op] of Object.entries(kinds)) {
      const cpu = process.cpuUsage(); const s0 = server(); const t0 = Date.now(); let calls = 0;
      await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => { for (let i = 0; i < Number(process.env.CALLS ?? 50); i++) { await op(c); calls++; } }));
      const d = process.cpuUsage(cpu); const o = (out[name] ??= { client: 0, server: 0, calls: 0, wall: 0 });
      o.client += d.user + d.system; o.server += server() - s0; o.calls += calls; o.wall += Date.now() - t0;
    }
  for (const [name, o] of Object.entries(out))
    console.log(`${name}: client ${(o.client / o.calls).toFixed(0)} µs/call, server ${(o.server / o.calls).toFixed(0)} µs/call, ${(o.calls / o.wall * 1000).toFixed(0)} calls/s`);
  await pool.end();
}
void main();
