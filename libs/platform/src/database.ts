import { Pool, PoolClient } from 'pg';

/** A pool of at most `max` connections; one idle for `idleTimeoutMillis` is closed (pg's 10 s unless given). */
export function createPool(
  connectionString: string,
  max = 10,
  applicationName = 'verity',
  idleTimeoutMillis = 10_000,
): Pool {
  const pool = new Pool({
    connectionString,
    max,
    application_name: applicationName,
    idleTimeoutMillis,
    // TCP keep-alive: a server that vanished without closing its connections is noticed.
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // pg emits 'error' on a client whose connection is lost, and an 'error' nobody listens to kills
  // the process. The pool listens only while a client is idle; a client checked out with
  // `pool.connect()` (a transaction, a lock holder, LISTEN) had no listener. The query in hand
  // still fails (its caller retries or answers 503) and the broken client is dropped on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one transaction: commit on success, roll back on any error. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Runs `work` in a transaction scoped to one tenant: row-level security on read models reads
 * `verity.tenant_id`, set with `set_config(..., true)` so it dies with the transaction and
 * never leaks to the next user of a pooled connection.
 */
export async function inTenantTransaction<T>(
  pool: Pool,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT set_config('verity.tenant_id', $1, true)", [tenantId]);
    return work(client);
  });
}
