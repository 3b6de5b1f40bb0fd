import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@verity/platform';

export interface StoredResponse {
  requestHash: string;
  status: number | null;
  body: unknown;
  etag: string | null;
  completed: boolean;
  /** Seconds until an unfinished claim counts as abandoned and a retry takes it over. */
  takeoverInSeconds: number;
}

/** A claim older than this belongs to a request that died mid-way; the next retry takes it over. */
export const ABANDONED_AFTER_SECONDS = 30;

/** Keys are kept this long; a retry later than that runs the request again. */
export const RETENTION_HOURS = 24;

/** Whose key it is: keys are scoped to (tenant, caller), never shared across the tenant's callers. */
export interface KeyOwner {
  tenantId: string;
  /** `jwt:<sub>` or `api-key:<subject>`: a token's `sub` cannot pose as an API key. */
  principal: string;
}

/** The one place that knows the idempotency_keys table. */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Claims the key for this request (first use, or taking over an abandoned claim). Returns the
   * claim's time, which names this claim when releasing it, or null when another request holds
   * the key or finished it.
   */
  async claim(
    owner: KeyOwner,
    key: string,
    requestHash: string,
    method: string,
    path: string,
  ): Promise<string | null> {
    const { rows } = await this.pool.query<{ claimed_at: string }>(
      `INSERT INTO idempotency_keys (tenant_id, principal, idempotency_key, request_hash, method, path)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, principal, idempotency_key) DO UPDATE SET created_at = now()
         WHERE idempotency_keys.completed_at IS NULL
           AND idempotency_keys.request_hash = EXCLUDED.request_hash
           AND idempotency_keys.created_at < now() - make_interval(secs => $7)
       RETURNING created_at::text AS claimed_at`,
      [owner.tenantId, owner.principal, key, requestHash, method, path, ABANDONED_AFTER_SECONDS],
    );
    return rows[0]?.claimed_at ?? null;
  }

  async find(owner: KeyOwner, key: string): Promise<StoredResponse | null> {
    const { rows } = await this.pool.query(
      `SELECT request_hash, status, response_body, etag, completed_at IS NOT NULL AS completed,
              greatest(0, ceil($4 - extract(epoch FROM now() - created_at)))::int AS takeover_in
         FROM idempotency_keys WHERE tenant_id = $1 AND principal = $2 AND idempotency_key = $3`,
      [owner.tenantId, owner.principal, key, ABANDONED_AFTER_SECONDS],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      requestHash: row.request_hash,
      status: row.status,
      body: row.response_body,
      etag: row.etag,
      completed: row.completed,
      takeoverInSeconds: row.takeover_in,
    };
  }

  async complete(
    owner: KeyOwner,
    key: string,
    status: number,
    body: unknown,
    etag: string | null,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE idempotency_keys SET status = $4, response_body = $5, etag = $6, completed_at = now()
        WHERE tenant_id = $1 AND principal = $2 AND idempotency_key = $3`,
      [owner.tenantId, owner.principal, key, status, JSON.stringify(body ?? null), etag],
    );
  }

  /** Deletes records past retention (called now and then by the interceptor, not on every request). */
  async prune(): Promise<number> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)',
      [RETENTION_HOURS],
    );
    return rowCount ?? 0;
  }

  /**
   * A failed request releases its claim, so the client may retry at once. Only that claim: one
   * released late (after an outage) must not free a retry's claim that took it over meanwhile.
   */
  async release(owner: KeyOwner, key: string, claimedAt: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM idempotency_keys
        WHERE tenant_id = $1 AND principal = $2 AND idempotency_key = $3
          AND completed_at IS NULL AND created_at = $4::timestamptz`,
      [owner.tenantId, owner.principal, key, claimedAt],
    );
  }
}
