import type { Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import * as eventStoreLibrary from '@verity/event-store';
import type { EventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';

export const EVENT_STORE = Symbol('EVENT_STORE');

type StoreConstructor = new (pool: Pool) => EventStore;

/** The PostgreSQL event store over the API's pool (the default adapter, DESIGN.md "Event store"). */
export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [PG_POOL],
  useFactory: (pool: Pool): EventStore => {
    const PostgresEventStore = (eventStoreLibrary as unknown as { PostgresEventStore?: StoreConstructor })
      .PostgresEventStore;
    if (PostgresEventStore) return new PostgresEventStore(pool);
    // Until libs/event-store exports its adapter, the API boots and every write answers 500.
    const missing = () =>
      Promise.reject(new Error('libs/event-store does not export PostgresEventStore yet'));
    return { append: missing, readStream: missing, readAll: missing, headPosition: missing, close: missing };
  },
};
