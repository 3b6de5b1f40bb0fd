import type { Pool, PoolClient } from 'pg';
import { inTenantTransaction } from '@verity/platform';
import { camelCaseRow, camelCaseRows } from '../camel-case';
import { whereClause } from '../where-clause';
import type { AuditRow } from './audit.projection';

export interface AuditFilter {
  appraisalId?: string;
  employeeId?: string;
  actorId?: string;
  type?: string;
  from?: Date;
  to?: Date;
  limit?: number;
}

/** An audit entry as the queries return it: the stored row (camelCase) and its summaries. */
export interface AuditEntry extends AuditRow {
  summaryEn: string;
  summaryZh: string;
}

/**
 * What the reader may see of the trail, decided by the caller with the domain's visibility rule
 * (`seesAnonymousRaters`: HR, admins, the `pii` scope and auditors), not by a role list here.
 */
export interface AuditReader {
  seesAnonymousRaters: boolean;
}

/** Builds the WHERE clause; the tenant is enforced by RLS, not by this filter. */
function where(filter: AuditFilter, reader: AuditReader): { sql: string; params: unknown[] } {
  const clause = whereClause();
  if (filter.appraisalId) clause.add('appraisal_id = ?', filter.appraisalId);
  if (filter.employeeId) clause.add('employee_id = ?', filter.employeeId);
  if (filter.actorId)
    clause.add(
      reader.seesAnonymousRaters ? 'coalesce(actor_id, anonymous_actor_id) = ?' : 'actor_id = ?',
      filter.actorId,
    );
  if (filter.type) clause.add('type = ?', filter.type);
  if (filter.from) clause.add('recorded_at >= ?', filter.from);
  if (filter.to) clause.add('recorded_at < ?', filter.to);
  return clause.build();
}

// Each row's English and Chinese summary, from its own columns (an anonymous rating has its rater in
// `anonymous_actor_id`, set for no other row); written out here rather than stored per row (migration 0331).
const SUMMARIES =
  "type || ' on ' || stream_id || ' #' || stream_revision || ' by ' || " +
  "CASE WHEN anonymous_actor_id IS NULL THEN 'a ' ELSE 'an anonymous ' END || actor_role AS summary_en, " +
  "CASE WHEN anonymous_actor_id IS NULL THEN '' ELSE '匿名' END || actor_role || ' 在 ' || stream_id || " +
  "' 第 ' || stream_revision || ' 条记录了 ' || type AS summary_zh";

/** Who gave an anonymous rating reaches only a reader the domain's `seesAnonymousRaters` allows. */
function select(reader: AuditReader): string {
  const rater = reader.seesAnonymousRaters ? 'anonymous_actor_id' : 'NULL::text AS anonymous_actor_id';
  return (
    `SELECT tenant_id, position::text, event_id, stream_id, stream_revision::text, type, actor_id, actor_role, ${rater}, ` +
    `recorded_at, correlation_id, causation_id, rule_version, appraisal_id, employee_id, ${SUMMARIES} FROM audit_entries`
  );
}

export async function listAudit(
  pool: Pool,
  tenantId: string,
  reader: AuditReader,
  filter: AuditFilter,
): Promise<AuditEntry[]> {
  const { sql, params } = where(filter, reader);
  params.push(Math.min(filter.limit ?? 100, 1000));
  return inTenantTransaction(pool, tenantId, async (tx) => {
    // The table's numeric position: `ORDER BY position` alone would sort the text the select writes out.
    const result = await tx.query(
      `${select(reader)} ${sql} ORDER BY audit_entries.position LIMIT $${params.length}`,
      params,
    );
    return camelCaseRows<AuditEntry>(result.rows);
  });
}

/**
 * Streams every matching row through a server-side cursor, `batch` rows at a time, so an export of
 * millions of rows never sits in memory.
 */
export async function* exportAudit(
  pool: Pool,
  tenantId: string,
  reader: AuditReader,
  filter: AuditFilter,
  batch = 1000,
): AsyncGenerator<AuditEntry> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query("SELECT set_config('verity.tenant_id', $1, true)", [tenantId]);
    const { sql, params } = where(filter, reader);
    await client.query(
      `DECLARE audit_export NO SCROLL CURSOR FOR ${select(reader)} ${sql} ORDER BY audit_entries.position`,
      params,
    );
    for (;;) {
      const { rows } = await client.query(`FETCH ${batch} FROM audit_export`);
      if (rows.length === 0) break;
      for (const row of rows) yield camelCaseRow<AuditEntry>(row);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// The header names the JSON fields (the JSON Lines export and `GET /audit` use the same names).
const CSV_COLUMNS = [
  'position',
  'recordedAt',
  'streamId',
  'streamRevision',
  'type',
  'actorId',
  'actorRole',
  'anonymousActorId',
  'correlationId',
  'causationId',
  'ruleVersion',
  'appraisalId',
  'employeeId',
  'summaryEn',
  'summaryZh',
] as const satisfies readonly (keyof AuditEntry)[];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV lines (header first) for a streamed HTTP response. */
export async function* exportAuditCsv(
  pool: Pool,
  tenantId: string,
  reader: AuditReader,
  filter: AuditFilter,
) {
  yield `${CSV_COLUMNS.join(',')}\n`;
  for await (const row of exportAudit(pool, tenantId, reader, filter)) {
    yield `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`;
  }
}
