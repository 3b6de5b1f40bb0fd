import type { PoolClient } from 'pg';
import type { ConsumerHandler, RecordedEvent } from '@verity/event-store';

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
  anonymousActorId: string | null;
  recordedAt: Date;
  correlationId: string;
  causationId: string | null;
  ruleVersion: string | null;
  appraisalId: string | null;
  employeeId: string | null;
  summaryEn: string;
  summaryZh: string;
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
    summaryEn: `${event.type} on ${stream} #${event.streamRevision} by ${anonymous ? 'an anonymous' : 'a'} ${role}`,
    summaryZh: `${anonymous ? '匿名' : ''}${role} 在 ${stream} 第 ${event.streamRevision} 条记录了 ${event.type}`,
  };
}

const COLUMNS =
  'tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, actor_role, anonymous_actor_id, ' +
  'recorded_at, correlation_id, causation_id, rule_version, appraisal_id, employee_id, summary_en, summary_zh';

/** Writes one tenant's rows set-based; ON CONFLICT on the position is the idempotency guard. */
async function insertRows(tx: PoolClient, rows: AuditRow[]): Promise<void> {
  const columns: unknown[][] = Array.from({ length: 17 }, () => []);
  for (const r of rows) {
    const values = [
      r.tenantId,
      r.position,
      r.eventId,
      r.streamId,
      r.streamRevision,
      r.type,
      r.actorId,
      r.actorRole,
      r.anonymousActorId,
      r.recordedAt,
      r.correlationId,
      r.causationId,
      r.ruleVersion,
      r.appraisalId,
      r.employeeId,
      r.summaryEn,
      r.summaryZh,
    ];
    values.forEach((v, i) => columns[i].push(v));
  }
  const types = [
    'text',
    'numeric',
    'text',
    'text',
    'bigint',
    'text',
    'text',
    'text',
    'text',
    'timestamptz',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
  ];
  const params = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  await tx.query(
    `INSERT INTO audit_entries (${COLUMNS}) SELECT * FROM unnest(${params}) ON CONFLICT DO NOTHING`,
    columns,
  );
}

/** Audit: every event of every type (no `eventTypes` filter). */
export const auditProjection: ConsumerHandler & { reset(tx: PoolClient): Promise<void> } = {
  name: 'audit',
  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    // One set-based insert per tenant in the batch: rows are keyed by position, so the order
    // across tenants does not matter, and RLS WITH CHECK needs the tenant set for each group.
    const byTenant = new Map<string, AuditRow[]>();
    for (const event of events) {
      const row = toAuditRow(event);
      const rows = byTenant.get(row.tenantId);
      if (rows) rows.push(row);
      else byTenant.set(row.tenantId, [row]);
    }
    for (const [tenant, rows] of byTenant) {
      await tx.query("SELECT set_config('verity.tenant_id', $1, true)", [tenant]);
      await insertRows(tx, rows);
    }
  },
  /** Empties every tenant's rows for a rebuild (TRUNCATE is not filtered by row-level security). */
  async reset(tx: PoolClient): Promise<void> {
    await tx.query(`TRUNCATE ${AUDIT_TABLES.join(', ')}`);
  },
};
