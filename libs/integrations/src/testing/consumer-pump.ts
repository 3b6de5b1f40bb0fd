import type { Pool } from 'pg';
import { inTransaction } from '@verity/platform';
import { START, type ConsumerHandler, type EventStore } from '@verity/event-store';

/**
 * Feeds a consumer handler from the global log, batch by batch, each batch in one transaction,
 * as libs/event-store's ConsumerRunner does (the tests drive it by hand to control timing).
 */
export class ConsumerPump {
  private position = START;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly handler: ConsumerHandler,
  ) {}

  /** Handles everything committed so far; returns how many events it handed over. */
  async drain(batchSize = 500): Promise<number> {
    let handled = 0;
    for (;;) {
      const { events, next } = await this.store.readAll({ after: this.position, maxCount: batchSize });
      if (events.length === 0) return handled;
      const wanted = this.handler.eventTypes
        ? events.filter((event) => this.handler.eventTypes!.includes(event.type))
        : events;
      await inTransaction(this.pool, (tx) => this.handler.handle(wanted, tx));
      this.position = next;
      handled += events.length;
    }
  }
}
