import type { Pool } from 'pg';
import { inTenantTransaction } from '@verity/platform';
import type { EventStore } from '@verity/event-store';
import { toNewEvents, uuidLike, workflowPublished, type HistoryEvent } from './appraisal-histories';

/** Every row of `tables` per tenant, read under that tenant's setting, in a stable order. */
export async function readModelRows(
  pool: Pool,
  tenants: readonly string[],
  tables: readonly string[],
): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const tenant of tenants)
    for (const table of tables)
      rows[`${tenant}/${table}`] = await inTenantTransaction(pool, tenant, async (tx) => {
        const { fields } = await tx.query(`SELECT * FROM ${table} LIMIT 0`);
        const order = fields.map((_, i) => i + 1).join(', ');
        return (await tx.query(`SELECT * FROM ${table} ORDER BY ${order}`)).rows;
      });
  return rows;
}

/** Appends the sales workflow's v1 and each history to its stream, as the API would. */
export async function appendHistories(
  store: EventStore,
  tenantId: string,
  histories: readonly { appraisalId: string; history: HistoryEvent[] }[],
  options: { withWorkflow?: boolean } = {},
): Promise<void> {
  if (options.withWorkflow !== false) {
    const published = workflowPublished();
    await store.append(
      `workflow-${tenantId}.sales`,
      [
        {
          eventId: uuidLike(`workflow/${tenantId}/sales/1`),
          type: published.type,
          data: published.data,
          metadata: {
            tenantId,
            actor: { id: 'u-po', role: 'process-owner' },
            correlationId: 'publish',
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'any' },
    );
  }
  for (const { appraisalId, history } of histories)
    await store.append(`appraisal-${tenantId}.${appraisalId}`, toNewEvents(tenantId, history), {
      expectedRevision: 'any',
    });
}
