import type { Pool } from 'pg';
import { PostgresEventStore, type EventStore } from '@verity/event-store';

/** The event store integration tests use: the real PostgreSQL adapter over the test's pool. */
export function eventStoreForTests(pool: Pool): EventStore {
  return new PostgresEventStore(pool);
}
