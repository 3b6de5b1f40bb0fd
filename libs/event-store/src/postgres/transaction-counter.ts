import type { Pool } from 'pg';

/**
 * Whether stored events carry transaction ids the server has not handed out yet, as after a
 * restore into another cluster (docs/operations.md): readers would then see none of them, and new
 * events would sort behind every checkpoint. Returns the newest stored id and the server's next.
 */
export async function eventsAheadOfTransactionCounter(
  pool: Pool,
): Promise<{ newestStored: string; serverNext: string } | null> {
  const { rows } = await pool.query<{ newest: string | null; next: string }>(
    `SELECT (SELECT transaction_id FROM events ORDER BY transaction_id DESC LIMIT 1)::text AS newest,
            pg_snapshot_xmax(pg_current_snapshot())::text AS next`,
  );
  const { newest, next } = rows[0];
  return newest !== null && BigInt(newest) >= BigInt(next)
    ? { newestStored: newest, serverNext: next }
    : null;
}
