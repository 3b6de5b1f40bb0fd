import { Inject, Injectable, Logger, type OnModuleDestroy, type Provider } from '@nestjs/common';
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
    return eventStoreOf(
      config,
      pool,
      // The caller gets a plain 404; operators must hear of it: a name or a check has gone wrong.
      (read) => logger.error(`a stream of another tenant was read and refused: ${JSON.stringify(read)}`),
      // A command sealing `pii` sends no statement for the person's key (ADR 0171); closed by EventStoreCloser.
      { keepPiiKeys: true },
    );
  },
};

export const storedEventsProvider: Provider = {
  provide: STORED_EVENTS,
  inject: [EVENT_STORE],
  useFactory: (store: EventStore): EventStore => storedEventsOf(store),
};

/** Closes the store when the application stops: the kept keys' listener has a connection of its own. */
@Injectable()
export class EventStoreCloser implements OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}
