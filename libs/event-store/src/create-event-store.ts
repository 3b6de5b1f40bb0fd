import type { Pool } from 'pg';
import type { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';
import type { ForeignReadReporter } from './tenant-id';
import { PiiKeyring } from './pii/pii-keyring';
import { PiiProtectingEventStore } from './pii/pii-protecting-event-store';

export interface EventStoreSettings {
  /** `EVENT_STORE` of the configuration. */
  kind: 'postgres' | 'kurrentdb';
  /** The PostgreSQL pool (the store's tables, and always the checkpoints and read models). */
  pool: Pool;
  /** `KURRENTDB_URL`, required for `kurrentdb`. */
  kurrentDbUrl?: string;
  /** Told about each refused read of another tenant's stream; the apps log it as an error. */
  reportForeignRead?: ForeignReadReporter;
  /**
   * `PII_MASTER_KEY` (32 bytes, base64): wraps the per-person keys that encrypt every `pii` field
   * (docs/adr/0115). Required, so that no writer can store personal data in the clear by omission.
   */
  piiMasterKey: string;
  /** `PII_RETIRED_MASTER_KEYS`: master keys rotated out, still read until the keys are rewrapped (ADR 0100). */
  piiRetiredMasterKeys?: readonly string[];
}

/**
 * The one place that picks the adapter; the apps ask for an EventStore, never for an adapter. Either
 * adapter is wrapped so that `pii` is stored encrypted and read decrypted (`storedEventsOf` gives
 * the stored bytes, for audit verification).
 */
export function createEventStore(settings: EventStoreSettings): EventStore {
  // The key table is in PostgreSQL whichever store holds the events, like checkpoints and read models.
  return new PiiProtectingEventStore(
    createAdapter(settings),
    new PiiKeyring(settings.pool, settings.piiMasterKey, settings.piiRetiredMasterKeys),
  );
}

function createAdapter(settings: EventStoreSettings): EventStore {
  if (settings.kind === 'kurrentdb') {
    if (!settings.kurrentDbUrl) throw new Error('KURRENTDB_URL must be set when EVENT_STORE=kurrentdb');
    // Required here only: loading the client's native module costs about a third of a second.
    const { KurrentDbEventStore } = require('./kurrentdb') as typeof import('./kurrentdb');
    return new KurrentDbEventStore(settings.kurrentDbUrl, settings.reportForeignRead);
  }
  return new PostgresEventStore(settings.pool, settings.reportForeignRead);
}

/** The configuration's variables a store is made from (the platform's `Config` has them). */
export interface EventStoreConfig {
  EVENT_STORE: EventStoreSettings['kind'];
  KURRENTDB_URL?: string;
  PII_MASTER_KEY: string;
  PII_RETIRED_MASTER_KEYS?: readonly string[];
}

/** The store the configuration names (EVENT_STORE, KURRENTDB_URL, PII_MASTER_KEY, PII_RETIRED_MASTER_KEYS) on `pool`. */
export function eventStoreOf(
  config: EventStoreConfig,
  pool: Pool,
  reportForeignRead?: ForeignReadReporter,
): EventStore {
  return createEventStore({
    kind: config.EVENT_STORE,
    pool,
    kurrentDbUrl: config.KURRENTDB_URL,
    piiMasterKey: config.PII_MASTER_KEY,
    piiRetiredMasterKeys: config.PII_RETIRED_MASTER_KEYS,
    reportForeignRead,
  });
}
