import type { Pool } from 'pg';
import { createPool } from '@verity/platform';
import { workerDatabaseUrl } from '../../../../test/support/environment';
import { rowLevelSecurityProblems } from './rls-check';

let pool: Pool;
beforeAll(() => {
  pool = createPool(workerDatabaseUrl(), 1);
});
afterAll(() => pool.end());

it('reports nothing when the role and tables are right, and names a table that lost FORCE', async () => {
  expect(await rowLevelSecurityProblems(pool)).toEqual([]);
  await pool.query('ALTER TABLE audit_entries NO FORCE ROW LEVEL SECURITY');
  try {
    expect(await rowLevelSecurityProblems(pool)).toEqual([
      'table audit_entries lacks ENABLE + FORCE ROW LEVEL SECURITY',
    ]);
  } finally {
    await pool.query('ALTER TABLE audit_entries FORCE ROW LEVEL SECURITY');
  }
});
