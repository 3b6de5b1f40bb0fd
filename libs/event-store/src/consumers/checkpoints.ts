import type { Pool } from 'pg';
import { decodePosition } from '../postgres/position';

export interface ConsumerLag {
  name: string;
  position: string;
  /** Committed events after the checkpoint. */
  events: number;
  /** Age of the oldest of those events (0 when caught up). */
  seconds: number;
  rebuildRequested: boolean;
}

/**
 * Asks a consumer to rebuild: its active instance (wherever it runs) resets the read model and
 * its checkpoint in one transaction at its next batch, then replays from the start.
 */
export async function requestRebuild(pool: Pool, consumerName: string): Promise<void> {
  await pool.query(
    `INSERT INTO consumer_checkpoints (name, position, rebuild_requested) VALUES ($1, '0', true)
     ON CONFLICT (name) DO UPDATE SET rebuild_requested = true, updated_at = now()`,
    [consumerName],
  );
}

/** Lag per consumer against the PostgreSQL log: events behind and how old the oldest of them is. */
export async function readConsumerLag(pool: Pool, names?: readonly string[]): Promise<ConsumerLag[]> {
  const { rows } = await pool.query<{ name: string; position: string; rebuild_requested: boolean }>(
    'SELECT name, position, rebuild_requested FROM consumer_checkpoints WHERE $1::text[] IS NULL OR name = ANY ($1) ORDER BY name',
    [names ?? null],
  );
  return Promise.all(
    rows.map(async (row) => {
      const from = decodePosition(row.position);
      const behind = await pool.query<{ events: string; oldest: Date | null }>(
        // Through `events_behind` (infra/migrations/0801), for the index under row-level security.
        'SELECT events, oldest FROM events_behind($1::text::xid8, $2::bigint)',
        [from.transactionId.toString(), from.globalPosition.toString()],
      );
      const oldest = behind.rows[0].oldest;
      return {
        name: row.name,
        position: row.position,
        events: Number(behind.rows[0].events),
        seconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0,
        rebuildRequested: row.rebuild_requested,
      };
    }),
  );
}
