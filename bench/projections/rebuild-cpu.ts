import { readFileSync } from 'node:fs';
import type { Pool, PoolClient } from 'pg';

/** Clock ticks per second of /proc's CPU times (Linux's USER_HZ, 100 on every common kernel). */
const TICKS_PER_SECOND = 100;

/** CPU (ms) used so far by process `pid`; undefined when it ended or PostgreSQL runs elsewhere. */
export function processCpu(pid: number): number | undefined {
  try {
    // utime and stime: the 12th and 13th fields after the command name's closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * CPU (ms) used so far by this process and by each PostgreSQL backend of the pool's database and
 * application (from /proc: PostgreSQL must run on this machine; no backends where it cannot be read).
 * Load-robust where events/s are not: another process busy on a core slows a rebuild, but adds
 * little to the CPU its own work takes.
 */
export async function cpuSoFar(
  pool: Pool | PoolClient,
): Promise<{ client: number; backends: Map<number, number> }> {
  const { rows } = await pool.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = current_setting('application_name')",
  );
  const backends = new Map<number, number>();
  for (const { pid } of rows) {
    const used = processCpu(pid);
    if (used !== undefined) backends.set(pid, used);
  }
  const { user, system } = process.cpuUsage();
  return { client: (user + system) / 1000, backends };
}

/**
 * CPU per event (µs) between two readings, of this process and of the backends (a backend started
 * in between counts whole; one that ended in between is missed, so the backends' figure is a floor);
 * null for the backends where /proc showed none.
 */
export function cpuPerEvent(
  before: Awaited<ReturnType<typeof cpuSoFar>>,
  after: Awaited<ReturnType<typeof cpuSoFar>>,
  events: number,
): { client: number; backends: number | null } {
  let backends = 0;
  for (const [pid, ms] of after.backends) backends += ms - (before.backends.get(pid) ?? 0);
  return {
    client: ((after.client - before.client) * 1000) / events,
    backends: after.backends.size ? (backends * 1000) / events : null,
  };
}
