import type { Pool } from 'pg';
import type { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';
import type { ForeignReadReporter } from './tenant-id';

export interface EventStoreSettings {
  /** `EVENT_STORE` of the configuration. */
  kind: 'postgres' | 'kurrentdb';
  /** The PostgreSQL pool (the store's tables, and always the checkpoints and read models). */
  pool: Pool;
  /** `KURRENTDB_URL`, required for `kurrentdb`. */
  kurrentDbUrl?: string;
  /** Told about each refused read of another tenant's stream; the apps log it as an error. */
  reportForeignRead?: ForeignReadReporter;
}

/** The one place that picks the adapter; the apps ask for an EventStore, never for an adapter. */
export function createEventStore(settings: EventStoreSettings): EventStore {
  if (settings.kind === 'kurrentdb') {
    if (!settings.kurrentDbUrl) throw new Error('KURRENTDB_URL must be set when EVENT_STORE=kurrentdb');
    // Required here only: loading the client's native module costs about a third of a second.
    const { KurrentDbEventStore } = require('./kurrentdb') as typeof import('./kurrentdb');
    return new KurrentDbEventStore(settings.kurrentDbUrl, settings.reportForeignRead);
  }
  return new PostgresEventStore(settings.pool, settings.reportForeignRead);
}
