import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { PG_POOL } from '@verity/platform';
import { isTenantId } from '@verity/event-store';
import type { Principal } from './principal';

export interface ApiKeySummary {
  keyId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The one place that knows the api_keys table. Keys look like `vk_<keyId>_<secret>`; only the secret's hash is stored. */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async create(tenantId: string, name: string, scopes: string[]): Promise<{ key: string; keyId: string }> {
    const keyId = randomBytes(6).toString('hex');
    const secret = randomBytes(24).toString('base64url');
    await this.pool.query(
      'INSERT INTO api_keys (key_id, tenant_id, secret_hash, name, scopes) VALUES ($1, $2, $3, $4, $5)',
      [keyId, tenantId, sha256(secret), name, scopes],
    );
    return { key: `vk_${keyId}_${secret}`, keyId };
  }

  async list(tenantId: string): Promise<ApiKeySummary[]> {
    const { rows } = await this.pool.query(
      `SELECT key_id, name, scopes, created_at, revoked_at FROM api_keys WHERE tenant_id = $1 ORDER BY created_at`,
      [tenantId],
    );
    return rows.map((row) => ({
      keyId: row.key_id,
      name: row.name,
      scopes: row.scopes,
      createdAt: row.created_at.toISOString(),
      revokedAt: row.revoked_at?.toISOString() ?? null,
    }));
  }

  /** True when a live key of this tenant was revoked now. */
  async revoke(tenantId: string, keyId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1 AND key_id = $2 AND revoked_at IS NULL',
      [tenantId, keyId],
    );
    return rowCount === 1;
  }

  /** False once the key of this principal (`api-key.<keyId>`) is revoked: a long-lived stream checks it. */
  async isLive(subject: string): Promise<boolean> {
    const keyId = subject.replace(/^api-key\./, '');
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL',
      [keyId],
    );
    return rowCount === 1;
  }

  async authenticate(presented: string): Promise<Principal | null> {
    const match = /^vk_([0-9a-f]{12})_([A-Za-z0-9_-]{16,64})$/.exec(presented);
    if (!match) return null;
    const { rows } = await this.pool.query(
      'SELECT tenant_id, secret_hash, scopes FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL',
      [match[1]],
    );
    // A key stored before tenant ids lost the dot cannot act for an ambiguous tenant (docs/adr/0070).
    if (rows.length === 0 || !isTenantId(rows[0].tenant_id)) return null;
    const expected = Buffer.from(rows[0].secret_hash, 'hex');
    const actual = Buffer.from(sha256(match[2]), 'hex');
    if (!timingSafeEqual(expected, actual)) return null;
    return {
      tenantId: rows[0].tenant_id,
      subject: `api-key.${match[1]}`,
      role: 'integrator',
      scopes: rows[0].scopes,
      via: 'api-key',
    };
  }
}
