import { Logger, type Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import { createEventStore, type EventStore } from '@verity/event-store';
import { CONFIG, PG_POOL, type Config } from '@verity/platform';

export const EVENT_STORE = Symbol('EVENT_STORE');

/** The configured event store (PostgreSQL by default, DESIGN.md "Event store") over the API's pool. */
export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [PG_POOL, CONFIG],
  useFactory: (pool: Pool, config: Config): EventStore => {
    const logger = new Logger('EventStore');
    return createEventStore({
      kind: config.EVENT_STORE,
      pool,
      kurrentDbUrl: config.KURRENTDB_URL,
      // The caller gets a plain 404; operators must hear of it: a name or a check has gone wrong.
      reportForeignRead: (read) =>
        logger.error(`a stream of another tenant was read and refused: ${JSON.stringify(read)}`),
    });
  },
};
