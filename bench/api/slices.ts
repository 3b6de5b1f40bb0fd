/**
 * bench:api's measurement: the API and its ceiling driven in turn, in short slices of one run, so
 * that both meet the same machine. On a machine other work shares, load moves within a minute;
 * measured one after the other, the two figures met different machines and their ratio swung more
 * than the change being measured. Each slice also takes the CPU its requests cost the server process
 * and its PostgreSQL backends, which moves much less with load than requests per second do.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

// autocannon ships no types; the few fields read here are typed where they are used.
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number; average: number };
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}

/** A server under load: its process (answering `reset` and `stats` over IPC) and its requests. */
export interface Target {
  child: ChildProcess;
  url: string;
  setupRequest: (request: Record<string, unknown>) => Record<string, unknown>;
  /** The `application_name` of its PostgreSQL connections, whose backends' CPU it is charged. */
  application: string;
  /** Its database, when not the run's (a baseline checkout on a database of its own). */
  databaseUrl?: string;
}

/** What the server process reports: its CPU, and whatever else it counts (appends, statements). */
export type ServerStats = { cpuMs: number } & Record<string, number>;

export interface Totals {
  seconds: number;
  requests: number;
  ok: number;
  statuses: Record<string, number>;
  /** Each slice's p50 and p99 (ms); the figures printed are their medians. */
  p50s: number[];
  p99s: number[];
  /** Sum of the requests' latencies (ms, client side). */
  latencyMs: number;
  server: ServerStats;
  /** CPU of the target's PostgreSQL backends (ms); null where /proc cannot tell. */
  postgresCpuMs: number | null;
}

export function ask<T>(child: ChildProcess, message: string, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (reply: { type: string }) => {
      if (reply.type !== type) return;
      child.off('message', listener);
      resolve(reply as T);
    };
    child.on('message', listener);
    child.send(message);
  });
}

/**
 * Drives each target for `seconds` in all, in `rounds` turns of `seconds / rounds` each (A, B, A, B,
 * …), after a warm-up of each, and sums what each turn measured.
 */
export async function interleave(
  targets: Target[],
  options: { rounds: number; seconds: number; connections: number; databaseUrl: string },
): Promise<Totals[]> {
  const drive = (target: Target, duration: number) =>
    autocannon({
      url: target.url,
      connections: options.connections,
      duration,
      requests: [{ setupRequest: target.setupRequest }],
    });
  for (const target of targets) await drive(target, 3); // warm-up: JIT, pools, caches
  const totals = targets.map((): Totals => ({
    seconds: 0,
    requests: 0,
    ok: 0,
    statuses: {},
    p50s: [],
    p99s: [],
    latencyMs: 0,
    server: { cpuMs: 0 },
    postgresCpuMs: 0,
  }));
  const slice = options.seconds / options.rounds;
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, target] of targets.entries()) {
      const sum = totals[index];
      await ask(target.child, 'reset', 'reset');
      const databaseUrl = target.databaseUrl ?? options.databaseUrl;
      const before = await backendCpu(databaseUrl, target.application);
      const result = await drive(target, slice);
      const after = await backendCpu(databaseUrl, target.application);
      const stats = await ask<ServerStats & { type: string }>(target.child, 'stats', 'stats');
      sum.seconds += slice;
      sum.requests += result.requests.total;
      sum.ok += result['2xx'];
      for (const [code, { count }] of Object.entries(result.statusCodeStats))
        sum.statuses[code] = (sum.statuses[code] ?? 0) + count;
      sum.p50s.push(result.latency.p50);
      sum.p99s.push(result.latency.p99);
      sum.latencyMs += result.latency.average * result.requests.total;
      for (const [name, value] of Object.entries(stats))
        if (typeof value === 'number') sum.server[name] = (sum.server[name] ?? 0) + value;
      const used = backendCpuBetween(before, after);
      sum.postgresCpuMs = sum.postgresCpuMs === null || used === null ? null : sum.postgresCpuMs + used;
    }
  }
  return totals;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Clock ticks per second of /proc's CPU times (Linux's USER_HZ, 100 on every common kernel). */
const TICKS_PER_SECOND = 100;

/**
 * CPU used so far by each PostgreSQL backend of `application` on the benchmark's database (ms, from
 * /proc, so PostgreSQL must run on this machine; an empty map where it cannot be read).
 */
async function backendCpu(databaseUrl: string, application: string): Promise<Map<number, number>> {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
      [new URL(databaseUrl).pathname.slice(1), application],
    );
    const used = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        // Fields 14 and 15 (utime, stime) after the command name, which is in parentheses.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        used.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND);
      } catch {
        // The backend ended, or PostgreSQL runs elsewhere.
      }
    }
    return used;
  } finally {
    await client.end();
  }
}

/** Backend CPU between two readings; a backend started in between counts whole. */
function backendCpuBetween(before: Map<number, number>, after: Map<number, number>): number | null {
  if (after.size === 0) return null;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}
