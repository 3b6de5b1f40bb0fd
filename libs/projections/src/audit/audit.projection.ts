import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RecordedEvent } from '@verity/event-store';
import { truncateTables, type Projection } from '../projection';
import { groupByTenant } from '../rls/tenant-batch';
import { copyRow } from './copy-text';
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

/** The row's columns, `tenant_id` first, in the order of `COPY` below and of `audit_projection_write`'s arrays (0331, 0332). */
function columnsOf(row: AuditRow): (string | null)[] {
  return [
    row.tenantId,
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

/** A batch's rows by tenant, each in log order: the tenant and its rows' columns. */
type TenantRows = [tenant: string, rows: (string | null)[][]][];

function tenantRows(events: RecordedEvent[]): TenantRows {
  return [...groupByTenant(events)].map(([tenant, group]) => [
    tenant,
    group.map((event) => columnsOf(toAuditRow(event))),
  ]);
}

/** The live tail's write: one round trip, one text array per column (migrations 0330–0332). */
async function writeByArrays(tx: PoolClient, groups: TenantRows): Promise<void> {
  const tenants: string[] = [];
  const ends: number[] = [];
  // The columns after `tenant_id`: the function takes the tenants apart, with where each one's rows end.
  const columns: (string | null)[][] = Array.from({ length: 14 }, () => []);
  for (const [tenant, rows] of groups) {
    for (const row of rows) for (let i = 1; i < row.length; i++) columns[i - 1].push(row[i]);
    tenants.push(tenant);
    ends.push(columns[0].length);
  }
  await tx.query(WRITE, [tenants, ends, ...columns.map(textArray)]);
}

// The session's staging table (migration 1324): the columns of `audit_entries`, emptied at each commit.
const STAGING = 'CREATE TEMP TABLE IF NOT EXISTS audit_staging (LIKE audit_entries) ON COMMIT DELETE ROWS';
const COPY =
  'COPY pg_temp.audit_staging (tenant_id, position, event_id, stream_id, stream_revision, type, actor_id, ' +
  'actor_role, anonymous_actor_id, recorded_at, correlation_id, causation_id, rule_version, appraisal_id, ' +
  'employee_id) FROM STDIN';

/** Events per piece of a COPY: PostgreSQL parses one piece while the next is built (ADR 0188). */
const COPY_PIECE = 500;

/**
 * The rows of `events[from, to)` in COPY's text format, in log order: not grouped by tenant (the move
 * selects each tenant's rows) nor gathered into rows first (ADR 0188). Adds each row's tenant to `tenants`.
 */
function copyTextOf(
  events: readonly RecordedEvent[],
  from: number,
  to: number,
  tenants: Set<string>,
): string {
  let text = '';
  for (let i = from; i < to; i++) {
    tenants.add(events[i].metadata.tenantId);
    text += copyRow(columnsOf(toAuditRow(events[i])));
  }
  return text;
}

/**
 * A large batch's write (docs/adr/0169): the rows COPYed into the staging table, then moved into
 * `audit_entries` under each tenant's setting by `audit_projection_write_staged`. Three round trips
 * instead of one, but PostgreSQL parses COPY's text several times faster than it unnests arrays.
 * The text goes in pieces, each sent once built, the event loop let through between them: the
 * server parses one piece while this process builds the next (ADR 0188).
 */
async function writeByCopy(tx: PoolClient, events: readonly RecordedEvent[]): Promise<void> {
  await tx.query(STAGING);
  const copy = tx.query(copyFrom(COPY));
  // Listened to from the start: the server may refuse the COPY while pieces are still being built.
  const done = finished(copy);
  done.catch(() => undefined);
  const tenants = new Set<string>();
  for (let from = 0; from < events.length && !copy.destroyed; from += COPY_PIECE) {
    copy.write(copyTextOf(events, from, Math.min(from + COPY_PIECE, events.length), tenants));
    await nextTurn();
  }
  copy.end();
  await done;
  await tx.query('SELECT audit_projection_write_staged($1)', [[...tenants]]);
}

/** From this many events a batch is written by COPY: a rebuild's and a catch-up's (5,000 in the worker, ADR 0156), not the live tail's (500 at most). */
export const AUDIT_COPY_FROM_EVENTS = 1_000;

/**
 * Audit: every event of every type (no `eventTypes` filter). The rows are grouped by tenant and each
 * group written under its tenant's setting; a batch of `copyFromEvents` or more by COPY (ADR 0169),
 * a smaller one in one round trip as text arrays. The primary key `(tenant_id, position)` makes a
 * redelivered event a no-op either way. `auditProjection` is the one the worker runs; another
 * threshold is for comparing the two writes (bench:projections, the tests).
 */
export function auditProjectionCopyingFrom(
  copyFromEvents: number,
): Projection & { caughtUp(tx: PoolClient): Promise<void> } {
  return {
    name: 'audit',
    // Rows derived from the log alone, nothing written elsewhere: batches commit without the WAL wait.
    derivedOnly: true,
    async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
      await (events.length >= copyFromEvents
        ? writeByCopy(tx, events)
        : writeByArrays(tx, tenantRows(events)));
    },
    /**
     * Empties every tenant's rows for a rebuild and drops the secondary indexes until the rebuild
     * has caught up (docs/adr/0137): kept up row by row they were most of a rebuild's time; built
     * once at the end they cost a fraction of it.
     */
    async reset(tx: PoolClient): Promise<void> {
      await truncateTables(tx, AUDIT_TABLES);
      await tx.query('SELECT audit_entries_defer_indexes()');
    },
    /** Builds the secondary indexes a rebuild dropped; a look-up in the catalogue when they are there. */
    async caughtUp(tx: PoolClient): Promise<void> {
      await tx.query('SELECT audit_entries_restore_indexes()');
    },
  };
}

export const auditProjection = auditProjectionCopyingFrom(AUDIT_COPY_FROM_EVENTS);
