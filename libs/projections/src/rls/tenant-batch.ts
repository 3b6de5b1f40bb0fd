import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@verity/event-store';

/** A batch split by tenant, each group in log order (ADR 0030: one set-based write per group). */
export function groupByTenant(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const groups = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const group = groups.get(event.metadata.tenantId);
    if (group) group.push(event);
    else groups.set(event.metadata.tenantId, [event]);
  }
  return groups;
}

/** Scopes the rest of the transaction to one tenant; the policies' WITH CHECK refuse any other. */
export async function setTenant(tx: PoolClient, tenantId: string): Promise<void> {
  await tx.query("SELECT set_config('verity.tenant_id', $1, true)", [tenantId]);
}

/** Column arrays for `SELECT * FROM unnest($1::t[], …)`: one array per column. */
export function unnestParams<T>(rows: readonly T[], columns: readonly ((row: T) => unknown)[]): unknown[][] {
  return columns.map((column) => rows.map(column));
}
