import type { Pool } from 'pg';
import { unwrapKey, wrapKey } from './pii-envelope';
import { aadOf, masterKeyOf, unwrapWithAny } from './pii-keyring';

export interface PiiRewrapReport {
  /** Data keys looked at. */
  scanned: number;
  /** Wrapped anew under the current master key. */
  rewrapped: number;
  /** Already under the current master key (a run resumed, or keys created since the switch). */
  alreadyCurrent: number;
  /** Opened by none of the keys given: left as they are, named so an operator can look. */
  unreadable: { tenantId: string; keyId: string }[];
}

/**
 * Master-key rotation (ADR 0100): every person's data key, stored wrapped by a retired master key,
 * is unwrapped and wrapped again (a fresh nonce) under the current one. The data keys themselves do
 * not change, so no event is touched: the `pii` ciphertexts, their hashes and the audit chain stay
 * byte for byte what they were. Once it reports nothing left, the retired keys are no longer needed.
 *
 * It walks `pii_keys` in key order, a batch per transaction with its rows locked (`FOR UPDATE`), so
 * a person erased meanwhile is either rewrapped and then deleted, or already gone; a run stopped
 * half-way is simply run again (rows already under the current key are counted and left alone).
 * Runs on any connection that sees every tenant's keys (no `verity.tenant_id` set).
 */
export async function rewrapPiiKeys(
  pool: Pool,
  keys: { current: string | Buffer; retired: readonly (string | Buffer)[] },
  options: { batchSize?: number; onBatch?: (report: PiiRewrapReport) => void } = {},
): Promise<PiiRewrapReport> {
  const current = masterKeyOf(keys.current);
  const retired = keys.retired.map(masterKeyOf);
  const batchSize = options.batchSize ?? 500;
  const report: PiiRewrapReport = { scanned: 0, rewrapped: 0, alreadyCurrent: 0, unreadable: [] };
  let after: [string, string] = ['', '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const client = await pool.connect();
    let last: [string, string] | null = null;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{
        tenant_id: string;
        key_id: string;
        subject_id: string;
        wrapped_key: Buffer;
      }>(
        `SELECT tenant_id, key_id::text, subject_id, wrapped_key FROM pii_keys
          WHERE (tenant_id, key_id) > ($1, $2::uuid)
          ORDER BY tenant_id, key_id LIMIT $3 FOR UPDATE`,
        [after[0], after[1], batchSize],
      );
      for (const row of rows) {
        report.scanned++;
        const aad = aadOf(row.tenant_id, row.key_id, row.subject_id);
        if (opens(row.wrapped_key, current, aad)) {
          report.alreadyCurrent++;
          continue;
        }
        let dataKey: Buffer;
        try {
          dataKey = unwrapWithAny(row.wrapped_key, retired, aad);
        } catch {
          report.unreadable.push({ tenantId: row.tenant_id, keyId: row.key_id });
          continue;
        }
        await client.query(
          'UPDATE pii_keys SET wrapped_key = $3 WHERE tenant_id = $1 AND key_id = $2::uuid',
          [row.tenant_id, row.key_id, wrapKey(dataKey, current, aad)],
        );
        report.rewrapped++;
      }
      await client.query('COMMIT');
      if (rows.length > 0) last = [rows[rows.length - 1].tenant_id, rows[rows.length - 1].key_id];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (last === null) return report;
    options.onBatch?.(report);
    after = last;
  }
}

function opens(wrapped: Buffer, masterKey: Buffer, aad: string): boolean {
  try {
    unwrapKey(wrapped, masterKey, aad);
    return true;
  } catch {
    return false;
  }
}
