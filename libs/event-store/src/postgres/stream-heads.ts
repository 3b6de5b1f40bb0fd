import type { Pool } from 'pg';

/** Each stream of a tenant with the revision and hash of its last event, as `streams` keeps them. */
export async function readStreamHeads(
  pool: Pool,
  tenantId: string,
): Promise<Map<string, { revision: bigint; hash: string }>> {
  const { rows } = await pool.query<{ stream_id: string; revision: string; last_hash: string }>(
    'SELECT stream_id, revision, last_hash FROM streams WHERE tenant_id = $1',
    [tenantId],
  );
  return new Map(rows.map((row) => [row.stream_id, { revision: BigInt(row.revision), hash: row.last_hash }]));
}
