const names = new Map<string, string>();

/** A column name in camelCase: `appraisal_id` → `appraisalId`. */
function camelCase(column: string): string {
  let name = names.get(column);
  if (name === undefined) {
    name = column.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());
    names.set(column, name);
  }
  return name;
}

/**
 * A read-model row as the queries return it (and the API serves it): its column names in camelCase,
 * like every other JSON the API writes. Only the row's own keys: a `jsonb` column's value (an
 * indicator breakdown, a veto's effect) keeps the keys the domain gave it.
 */
export function camelCaseRow<T extends object = Record<string, unknown>>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const column in row) out[camelCase(column)] = row[column];
  return out as T;
}

/** Every row of a query result, as `camelCaseRow` gives it. */
export function camelCaseRows<T extends object = Record<string, unknown>>(
  rows: readonly Record<string, unknown>[],
): T[] {
  return rows.map((row) => camelCaseRow<T>(row));
}
