import type { Pool } from 'pg';
import { eventually } from '../../../../test/support/eventually';
import type { TenantFixture } from './tenant-fixture';

/**
 * Waits until the global read hands out every event the tenant has stored: until its newest writer
 * is older than the oldest transaction still running on the server (parallel test databases hold
 * that line back for a moment).
 */
export async function waitUntilReadable(pool: Pool, tenantId: string): Promise<void> {
  await eventually(
    async () =>
      (
        await pool.query(
          `SELECT coalesce(max(transaction_id) < pg_snapshot_xmin(pg_current_snapshot()), true) AS readable
             FROM events WHERE tenant_id = $1`,
          [tenantId],
        )
      ).rows[0].readable as boolean,
    30_000,
    `every event of ${tenantId} readable`,
  );
}

/**
 * Signs (POST /audit/checkpoints) until a checkpoint covers every event the tenant has stored, and
 * returns it. The global read hands out events only below the oldest transaction running on the
 * server (ADR 0005), so a checkpoint signed right after a write may cover less at first.
 */
export async function signWholeLog(pool: Pool, t: TenantFixture) {
  await waitUntilReadable(pool, t.tenant);
  const signed = await eventually(
    async () => {
      const response = await t.http().post('/audit/checkpoints').set(t.headers.hr).send({});
      if (response.status === 409) return false;
      const signed = t.ok(response, 'sign').body;
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [
        t.tenant,
      ]);
      return signed.checkpoint.treeSize === rows[0].n - 1 && signed;
    },
    30_000,
    'a checkpoint over the whole log',
  );
  // The checkpoint's own event too, so that an export or a verification right after shows it.
  await waitUntilReadable(pool, t.tenant);
  return signed;
}
