import type { Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import { PostgresEventStore, type EventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';

export const EVENT_STORE = Symbol('EVENT_STORE');

/** The PostgreSQL event store over the API's pool (the default adapter, DESIGN.md "Event store"). */
export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [PG_POOL],
  useFactory: (pool: Pool): EventStore => new PostgresEventStore(pool),
};
