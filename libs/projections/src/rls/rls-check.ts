import type { Pool } from 'pg';

/**
 * What would let a query see another tenant's rows: an app role that is superuser or BYPASSRLS, or
 * a table with a `tenant_id` column that lacks ENABLE + FORCE ROW LEVEL SECURITY (owners bypass
 * RLS without FORCE). Empty when all is well.
 */
export async function rowLevelSecurityProblems(pool: Pool): Promise<string[]> {
  const problems: string[] = [];
  const role = await pool.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
    'SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
  );
  const { rolname, rolsuper, rolbypassrls } = role.rows[0];
  if (rolsuper) problems.push(`role ${rolname} is a superuser: row-level security does not apply`);
  if (rolbypassrls) problems.push(`role ${rolname} has BYPASSRLS: row-level security does not apply`);
  const tables = await pool.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY($1)
        AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`,
    [READ_MODEL_TABLES],
  );
  for (const { relname } of tables.rows)
    problems.push(`table ${relname} lacks ENABLE + FORCE ROW LEVEL SECURITY`);
  return problems;
}

/** Every read-model table this library owns (each has tenant_id and a tenant policy). */
export const READ_MODEL_TABLES = [
  'audit_entries',
  'score_workflow_versions',
  'score_appraisals',
  'score_periods',
  'score_indicators',
  'score_vetoes',
  'inbox_appraisals',
  'inbox_steps',
];
