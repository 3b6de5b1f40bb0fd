import { Logger, type Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import { eventStoreOf, storedEventsOf, type EventStore } from '@verity/event-store';
import { CONFIG, PG_POOL, type Config } from '@verity/platform';

export const EVENT_STORE = Symbol('EVENT_STORE');
/**
 * The same store without decryption: events exactly as stored, `pii` as ciphertext. Only for the
 * audit routes, whose hashes and exports must be over the stored bytes (docs/adr/0115).
 */
export const STORED_EVENTS = Symbol('STORED_EVENTS');

/** The configured event store (PostgreSQL by default, DESIGN.md "Event store") over the API's pool. */
export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [PG_POOL, CONFIG],
  useFactory: (pool: Pool, config: Config): EventStore => {
    const logger = new Logger('EventStore');
    // The caller gets a plain 404; operators must hear of it: a name or a check has gone wrong.
    return eventStoreOf(config, pool, (read) =>
      logger.error(`a stream of another tenant was read and refused: ${JSON.stringify(read)}`),
    );
  },
};

export const storedEventsProvider: Provider = {
  provide: STORED_EVENTS,
  inject: [EVENT_STORE],
  useFactory: (store: EventStore): EventStore => storedEventsOf(store),
};
