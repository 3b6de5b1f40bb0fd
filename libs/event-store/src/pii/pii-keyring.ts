import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { unwrapKey, wrapKey } from './pii-envelope';
import type { PiiKeyCache } from './pii-key-cache';

export interface SubjectKey {
  keyId: string;
  key: Buffer;
  subject: string;
}

/**
 * The per-person data keys (table `pii_keys`, infra/migrations/1100), wrapped by the master key of
 * the configuration. Once a key is destroyed by one process, no other process may go on reading (or
 * writing) with it: keys are read from the table, except a live key kept by a `PiiKeyCache`, which
 * drops it on the notice of its destruction (docs/adr/0171). Keys for reading are never kept.
 */
export class PiiKeyring {
  private readonly masterKey: Buffer;
  private readonly retiredMasterKeys: Buffer[];

  /**
   * `retiredMasterKeys`: master keys rotated out (ADR 0100), still tried when a data key does not
   * open with the current one, until `rewrapPiiKeys` has wrapped every data key anew. New keys are
   * always wrapped with the current master key.
   */
  constructor(
    private readonly db: Pool | PoolClient,
    masterKey: string | Buffer,
    retiredMasterKeys: readonly (string | Buffer)[] = [],
    private readonly cache?: PiiKeyCache,
  ) {
    this.masterKey = masterKeyOf(masterKey);
    this.retiredMasterKeys = retiredMasterKeys.map(masterKeyOf);
  }

  /** Unwraps a stored data key with the current master key, else with a retired one. */
  private unwrap(wrapped: Buffer, aad: string): Buffer {
    return unwrapWithAny(wrapped, [this.masterKey, ...this.retiredMasterKeys], aad);
  }

  /** The person's live key, created on first use. */
  async keyFor(tenantId: string, subject: string): Promise<SubjectKey> {
    const kept = await this.cache?.lookup(tenantId, subject);
    if (kept?.key) return kept.key;
    const key = await this.readOrCreate(tenantId, subject);
    if (kept) this.cache!.keep({ ...key, tenantId }, kept.generation);
    return key;
  }

  private async readOrCreate(tenantId: string, subject: string): Promise<SubjectKey> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const keyId = randomUUID();
      const wrapped = wrapKey(randomBytes(32), this.masterKey, aadOf(tenantId, keyId, subject));
      // One statement: the row this call inserted, or the one that was there already. A writer that
      // committed the same person's key in between is seen only by the next attempt.
      const { rows } = await this.db.query<{ key_id: string; wrapped_key: Buffer }>(
        `WITH created AS (
           INSERT INTO pii_keys (tenant_id, key_id, subject_id, wrapped_key) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, subject_id) DO NOTHING
           RETURNING key_id, wrapped_key
         )
         SELECT key_id::text, wrapped_key FROM created
         UNION ALL
         SELECT key_id::text, wrapped_key FROM pii_keys WHERE tenant_id = $1 AND subject_id = $3`,
        [tenantId, keyId, subject, wrapped],
      );
      if (rows.length > 0) {
        const row = rows[0];
        return {
          keyId: row.key_id,
          subject,
          key: this.unwrap(row.wrapped_key, aadOf(tenantId, row.key_id, subject)),
        };
      }
    }
    throw new Error('could not create or read a pii key');
  }

  /** The keys that still exist among `keyIds` (a destroyed key is simply absent). */
  async keysById(tenantKeyIds: { tenantId: string; keyId: string }[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    if (tenantKeyIds.length === 0) return found;
    const { rows } = await this.db.query<{
      tenant_id: string;
      key_id: string;
      subject_id: string;
      wrapped_key: Buffer;
    }>(
      `SELECT tenant_id, key_id::text, subject_id, wrapped_key FROM pii_keys WHERE key_id = ANY ($1::uuid[])`,
      [[...new Set(tenantKeyIds.map((entry) => entry.keyId))]],
    );
    for (const row of rows) {
      found.set(
        `${row.tenant_id}/${row.key_id}`,
        this.unwrap(row.wrapped_key, aadOf(row.tenant_id, row.key_id, row.subject_id)),
      );
    }
    return found;
  }

  /** Destroys every key of the person (crypto-shredding); returns how many there were. Idempotent. */
  async shred(tenantId: string, subject: string): Promise<number> {
    this.cache?.forget(tenantId, subject);
    const { rows } = await this.db.query<{ keys_erased: number }>(
      `WITH erased AS (DELETE FROM pii_keys WHERE tenant_id = $1 AND subject_id = $2 RETURNING 1)
       INSERT INTO pii_erasures (tenant_id, subject_id, keys_erased)
       SELECT $1, $2, count(*)::int FROM erased RETURNING keys_erased`,
      [tenantId, subject],
    );
    // Also after: a key read meanwhile by another request of this process is not kept past its end.
    this.cache?.forget(tenantId, subject);
    return rows[0]?.keys_erased ?? 0;
  }

  /** Stops keeping keys (and listening for their destruction). */
  async close(): Promise<void> {
    await this.cache?.close();
  }
}

// The wrapped key is bound to its tenant, id and person: a row copied to another tenant or person fails.
export const aadOf = (tenantId: string, keyId: string, subject: string) => `${tenantId}/${keyId}/${subject}`;

/** A master key from the configuration (base64) or as bytes: 32 bytes. */
export function masterKeyOf(masterKey: string | Buffer): Buffer {
  const bytes = typeof masterKey === 'string' ? Buffer.from(masterKey, 'base64') : masterKey;
  if (bytes.length !== 32) throw new Error('the pii master key must be 32 bytes');
  return bytes;
}

/**
 * The data key under the first master key that opens it (AES-GCM refuses a wrong key by its tag);
 * throws when none does, as a single key did.
 */
export function unwrapWithAny(wrapped: Buffer, masterKeys: readonly Buffer[], aad: string): Buffer {
  let refused: unknown;
  for (const masterKey of masterKeys)
    try {
      return unwrapKey(wrapped, masterKey, aad);
    } catch (error) {
      refused = error;
    }
  throw refused ?? new Error('no pii master key');
}
