import type { Pool } from 'pg';
import { inTenantTransaction } from '@verity/platform';
import type { TimerKind } from '@verity/domain';
import { TIMER_READ_MODEL_TABLES, type DueTimer } from './timers.projection';

export interface TimerRecord extends DueTimer {
  status: 'pending' | 'fired' | 'cancelled';
  escalateTo: string | null;
  firedAt: string | null;
}

interface TimerRowSql {
  tenant_id: string;
  timer_key: string;
  appraisal_id: string;
  step_key: string;
  occurrence: number;
  kind: TimerKind;
  level: number;
  fire_at: Date;
  status: TimerRecord['status'];
  escalate_to: string | null;
  fired_at: Date | null;
}

const toRecord = (row: TimerRowSql): TimerRecord => ({
  tenantId: row.tenant_id,
  timerKey: row.timer_key,
  appraisalId: row.appraisal_id,
  stepKey: row.step_key,
  occurrence: row.occurrence,
  kind: row.kind,
  level: row.level,
  fireAt: row.fire_at.toISOString(),
  status: row.status,
  escalateTo: row.escalate_to,
  firedAt: row.fired_at?.toISOString() ?? null,
});

/** The timers read model's queries (the projection writes it; the scheduler and tests read it). */
export class TimersRepository {
  constructor(private readonly pool: Pool) {}

  /** Tenants that have had timers: the reconciler reads each under its own tenant setting. */
  async tenants(): Promise<string[]> {
    const result = await this.pool.query<{ tenant_id: string }>('SELECT tenant_id FROM timer_tenants');
    return result.rows.map((row) => row.tenant_id);
  }

  /** Pending timers in timer-key order, a page at a time (the reconciler walks them without a burst). */
  async pendingPage(tenantId: string, afterKey: string | null, limit: number): Promise<TimerRecord[]> {
    return inTenantTransaction(this.pool, tenantId, async (tx) => {
      const result = await tx.query<TimerRowSql>(
        `SELECT * FROM timers WHERE tenant_id = $1 AND status = 'pending' AND timer_key > $2
          ORDER BY timer_key LIMIT $3`,
        [tenantId, afterKey ?? '', limit],
      );
      return result.rows.map(toRecord);
    });
  }

  /** The status of the given timers (absent keys have no row). */
  async statuses(tenantId: string, timerKeys: string[]): Promise<Map<string, TimerRecord['status']>> {
    if (timerKeys.length === 0) return new Map();
    return inTenantTransaction(this.pool, tenantId, async (tx) => {
      const result = await tx.query<{ timer_key: string; status: TimerRecord['status'] }>(
        'SELECT timer_key, status FROM timers WHERE tenant_id = $1 AND timer_key = ANY($2)',
        [tenantId, timerKeys],
      );
      return new Map(result.rows.map((row) => [row.timer_key, row.status]));
    });
  }

  async ofAppraisal(tenantId: string, appraisalId: string): Promise<TimerRecord[]> {
    return inTenantTransaction(this.pool, tenantId, async (tx) => {
      const result = await tx.query<TimerRowSql>(
        'SELECT * FROM timers WHERE tenant_id = $1 AND appraisal_id = $2 ORDER BY fire_at, timer_key',
        [tenantId, appraisalId],
      );
      return result.rows.map(toRecord);
    });
  }

  /** Pending timers across tenants (for the queue gauge), each tenant read under its own setting. */
  async pendingCount(): Promise<number> {
    let total = 0;
    for (const tenantId of await this.tenants())
      total += await inTenantTransaction(this.pool, tenantId, async (tx) => {
        const result = await tx.query<{ count: string }>(
          "SELECT count(*) FROM timers WHERE tenant_id = $1 AND status = 'pending'",
          [tenantId],
        );
        return Number(result.rows[0].count);
      });
    return total;
  }
}

/** Timer read-model tables lacking ENABLE + FORCE ROW LEVEL SECURITY (the worker logs them at start). */
export async function timerTablesWithoutForcedRls(pool: Pool): Promise<string[]> {
  const result = await pool.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY($1)
        AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`,
    [TIMER_READ_MODEL_TABLES],
  );
  return result.rows.map((row) => row.relname);
}
