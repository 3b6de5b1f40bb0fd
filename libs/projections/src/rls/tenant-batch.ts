import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';
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

/** A value as a SQL literal of its JSON text (pg's own escaping), for statements sent as one script. */
export function jsonLiteral(value: unknown): string {
  return `${escapeLiteral(JSON.stringify(value))}::jsonb`;
}

/** The statement that scopes what follows in the transaction to one tenant. */
export function tenantStatement(tenantId: string): string {
  return `SELECT set_config('verity.tenant_id', ${escapeLiteral(tenantId)}, true)`;
}

/**
 * Sends statements in one round trip (the simple protocol runs them in order, in the open
 * transaction) and returns each one's result. Values reach them only through `jsonLiteral`.
 */
export async function runScript(tx: PoolClient, statements: readonly string[]): Promise<QueryResult[]> {
  if (statements.length === 0) return [];
  const result = (await tx.query(statements.join(';\n'))) as QueryResult | QueryResult[];
  return Array.isArray(result) ? result : [result];
}

/** A read model's columns: the row's field, the table's column, the column's SQL type. */
export type Columns = readonly (readonly [string, string, string])[];

/** The columns' names, for a SELECT list. */
export const columnList = (columns: Columns): string => columns.map(([, column]) => column).join(', ');

/** Rows as the records a set-based write takes (column names as keys). */
export const toRecords = (rows: Iterable<object>, columns: Columns): Record<string, unknown>[] =>
  [...rows].map((row) =>
    Object.fromEntries(columns.map(([key, column]) => [column, (row as Record<string, unknown>)[key]])),
  );

/** A record read back (column names as keys) as the row the fold works on. */
const fromRecord = <Row>(record: Record<string, unknown>, columns: Columns): Row =>
  Object.fromEntries(columns.map(([key, column]) => [key, record[column]])) as Row;

/** Appraisal records read back, as the rows the fold works on by appraisal id. */
export const rowsByAppraisalId = <Row>(
  records: readonly Record<string, unknown>[],
  columns: Columns,
): Map<string, Row> =>
  new Map(records.map((record) => [record.appraisal_id as string, fromRecord<Row>(record, columns)]));

/**
 * `= ANY(ARRAY(…))` of the ids, for a script's WHERE: it lets the planner probe the primary key,
 * where `IN (SELECT …)` scanned the tenant's rows.
 */
export const anyOf = (ids: readonly string[]): string =>
  `ANY(ARRAY(SELECT jsonb_array_elements_text(${jsonLiteral(ids)})))`;
