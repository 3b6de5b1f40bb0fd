import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { createPool } from '@verity/platform';
import { workerDatabaseUrl } from './environment';

/** A pool on this test file's database and the event store over it. */
export interface FileStore {
  pool: Pool;
  store: PostgresEventStore;
}

/**
 * Opens a pool of `connections` (named `name` in pg_stat_activity) on this file's database and the
 * store over it before the file's tests, and ends the pool after them. The answer is filled in by
 * then: read it in tests and hooks, not while the file is being loaded.
 */
export function storeOfThisFile(name: string, connections: number): FileStore {
  const file = {} as FileStore;
  beforeAll(() => {
    file.pool = createPool(workerDatabaseUrl(), connections, name);
    file.store = new PostgresEventStore(file.pool);
  });
  afterAll(() => file.pool?.end());
  return file;
}
