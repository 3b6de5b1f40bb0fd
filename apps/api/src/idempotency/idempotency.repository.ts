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

/**
 * The one place that knows the idempotency_keys table, with the SQL function that stores a
 * command's answer in its append's transaction (infra/migrations/1331, docs/adr/0155).
 */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Claims the key for this request (first use, or taking over an abandoned claim): `{ claimedAt }`,
   * the claim's time, which names this claim when releasing it. When another request holds the key
   * or finished it: `{ stored }`, what is stored for it, read in the same statement, so that a
   * replay or a waiting duplicate pays one round trip per attempt instead of two (ADR 0148).
   * `{ stored: null }` when the holder's row is not visible to this statement yet (committed by
   * a concurrent request after it began): the caller tries again.
   */
  async claim(
    owner: KeyOwner,
    key: string,
    requestHash: string,
    method: string,
    path: string,
  ): Promise<{ claimedAt: string } | { stored: StoredResponse | null }> {
    const { rows } = await this.pool.query(
      `WITH claimed AS (
         INSERT INTO idempotency_keys (tenant_id, principal, idempotency_key, request_hash, method, path)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, principal, idempotency_key) DO UPDATE SET created_at = now()
           WHERE idempotency_keys.completed_at IS NULL
             AND idempotency_keys.request_hash = EXCLUDED.request_hash
             AND idempotency_keys.created_at < now() - make_interval(secs => $7)
         RETURNING created_at::text AS claimed_at
       )
       SELECT claimed_at, NULL AS request_hash, NULL::int AS status, NULL::jsonb AS response_body,
              NULL AS etag, NULL::boolean AS completed, NULL::int AS takeover_in
         FROM claimed
       UNION ALL
       SELECT NULL, request_hash, status, response_body, etag, completed_at IS NOT NULL,
              greatest(0, ceil($7 - extract(epoch FROM now() - created_at)))::int
         FROM idempotency_keys
        WHERE tenant_id = $1 AND principal = $2 AND idempotency_key = $3
          AND NOT EXISTS (SELECT 1 FROM claimed)`,
      [owner.tenantId, owner.principal, key, requestHash, method, path, ABANDONED_AFTER_SECONDS],
    );
    if (rows.length === 0) return { stored: null };
    if (rows[0].claimed_at !== null) return { claimedAt: rows[0].claimed_at as string };
    return { stored: storedResponseOf(rows[0]) };
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

function storedResponseOf(row: Record<string, unknown>): StoredResponse {
  return {
    requestHash: row.request_hash as string,
    status: row.status as number | null,
    body: row.response_body,
    etag: row.etag as string | null,
    completed: row.completed as boolean,
    takeoverInSeconds: row.takeover_in as number,
  };
}
