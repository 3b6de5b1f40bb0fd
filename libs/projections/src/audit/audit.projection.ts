import type { PoolClient } from 'pg';
import type { ConsumerHandler, RecordedEvent } from '@verity/event-store';
import { groupByTenant } from '../rls/tenant-batch';
import { textArray } from './text-array';

/** The audit tables, in the order a rebuild truncates them. */
export const AUDIT_TABLES = ['audit_entries'] as const;

export interface AuditRow {
  tenantId: string;
  position: string;
  eventId: string;
  streamId: string;
  streamRevision: string;
  type: string;
  actorId: string | null;
  actorRole: string;
  /** The identity behind an anonymous rating: the queries show it to the auditor only. */
  anonymousActorId: string | null;
  recordedAt: Date;
  correlationId: string;
  causationId: string | null;
  ruleVersion: string | null;
  appraisalId: string | null;
  employeeId: string | null;
}

function field(data: unknown, name: string): string | null {
  if (data && typeof data === 'object' && name in data) {
    const value = (data as Record<string, unknown>)[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  }
  return null;
}

/** `appraisal-<tenant>.<id>` → `<id>`; other categories have no appraisal. */
function appraisalOf(streamId: string): string | null {
  if (!streamId.startsWith('appraisal-')) return null;
  const dot = streamId.indexOf('.');
  return dot < 0 ? null : streamId.slice(dot + 1);
}

/** Pure: one event → its audit row. Never reads `pii`, so no personal data reaches the audit log. */
export function toAuditRow(event: RecordedEvent): AuditRow {
  const { metadata, data } = event;
  // An anonymous rating keeps its rater in a column only the auditor query reveals.
  const anonymous =
    field(data, 'anonymous') === 'true' || (data as { anonymous?: unknown })?.anonymous === true;
  const role = metadata.actor.role;
  const stream = event.streamId;
  const ruleVersion =
    (typeof metadata.ruleVersion === 'string' || typeof metadata.ruleVersion === 'number'
      ? String(metadata.ruleVersion)
      : null) ?? field(data, 'workflowVersion');
  return {
    tenantId: metadata.tenantId,
    position: event.position,
    eventId: event.eventId,
    streamId: stream,
    streamRevision: event.streamRevision.toString(),
    type: event.type,
    actorId: anonymous ? null : metadata.actor.id,
    actorRole: role,
    anonymousActorId: anonymous ? metadata.actor.id : null,
    recordedAt: event.recordedAt,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    ruleVersion,
    appraisalId: appraisalOf(stream) ?? field(data, 'appraisalId'),
    employeeId: field(data, 'employeeId'),
  };
}

/** The row's columns after `tenant_id`, as `audit_projection_write` (migrations 0331, 0332) takes them. */
function columnsOf(row: AuditRow): (string | null)[] {
  return [
    row.position,
    row.eventId,
    row.streamId,
    row.streamRevision,
    row.type,
    row.actorId,
    row.actorRole,
    row.anonymousActorId,
    row.recordedAt.toISOString(),
    row.correlationId,
    row.causationId,
    row.ruleVersion,
    row.appraisalId,
    row.employeeId,
  ];
}

const WRITE =
  'SELECT audit_projection_write($1, $2, $3::numeric[], $4, $5, $6::bigint[], $7, $8, $9, $10, ' +
  '$11::timestamptz[], $12, $13, $14, $15, $16)';

/**
 * Audit: every event of every type (no `eventTypes` filter). One round trip per batch, whatever its
 * tenants: the rows grouped by tenant, one array per column, written by `audit_projection_write`
 * (migrations 0330–0332) under each group's tenant setting. The primary key `(tenant_id, position)`
 * makes a redelivered event a no-op.
 */
export const auditProjection: ConsumerHandler & { reset(tx: PoolClient): Promise<void> } = {
  name: 'audit',
  // Rows derived from the log alone, nothing written elsewhere: batches commit without the WAL wait.
  derivedOnly: true,
  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const tenants: string[] = [];
    const ends: number[] = [];
    const columns: (string | null)[][] = Array.from({ length: 14 }, () => []);
    for (const [tenant, group] of groupByTenant(events)) {
      for (const event of group) columnsOf(toAuditRow(event)).forEach((value, i) => columns[i].push(value));
      tenants.push(tenant);
      ends.push(columns[0].length);
    }
    await tx.query(WRITE, [tenants, ends, ...columns.map(textArray)]);
  },
  /**
   * Empties every tenant's rows for a rebuild (TRUNCATE is not filtered by row-level security) and
   * drops the secondary indexes until the rebuild has caught up (docs/adr/0137): kept up row by row
   * they were most of a rebuild's time; built once at the end they cost a fraction of it.
   */
  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${AUDIT_TABLES.join(', ')}`);
    await tx.query('SELECT audit_entries_defer_indexes()');
  },
  /** Builds the secondary indexes a rebuild dropped; a look-up in the catalogue when they are there. */
  async caughtUp(tx: PoolClient): Promise<void> {
    await tx.query('SELECT audit_entries_restore_indexes()');
  },
};
