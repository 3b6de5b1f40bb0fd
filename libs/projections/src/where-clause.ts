/**
 * A WHERE clause built from the conditions a filter sets, each written with one `?` that becomes
 * its numbered parameter. The tenant is not among them: row-level security enforces it.
 */
export function whereClause() {
  const clauses: string[] = [];
  const params: unknown[] = [];
  return {
    add(sql: string, value: unknown): void {
      params.push(value);
      clauses.push(sql.replace('?', `$${params.length}`));
    },
    build(): { sql: string; params: unknown[] } {
      return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
    },
  };
}
