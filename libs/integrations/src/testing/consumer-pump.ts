import type { Pool } from 'pg';
import { inTransaction } from '@verity/platform';
import { START, comparePositions, type ConsumerHandler, type EventStore } from '@verity/event-store';

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
    /**
     * Only these tenants' events, when given: a test file feeds its own data, not what earlier
     * files in the same jest worker left in the shared log (a poison event among them).
     */
    private readonly tenants?: readonly string[],
  ) {}

  /**
   * Handles everything committed before the call; returns how many events it handed over. It
   * waits for the committed head, not for an empty read: an open transaction elsewhere on the
   * server can keep committed events unreadable for a moment (docs/adr/0005).
   */
  async drain(batchSize = 500, timeoutMs = 20_000): Promise<number> {
    const head = await this.store.headPosition();
    const deadline = Date.now() + timeoutMs;
    let handled = 0;
    while (comparePositions(this.position, head) < 0) {
      const { events, next } = await this.store.readAll({ after: this.position, maxCount: batchSize });
      if (events.length === 0) {
        if (Date.now() > deadline)
          throw new Error(`ConsumerPump: ${head} not readable after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      const wanted = events.filter(
        (event) =>
          (!this.handler.eventTypes || this.handler.eventTypes.includes(event.type)) &&
          (!this.tenants || this.tenants.includes(event.metadata.tenantId)),
      );
      await inTransaction(this.pool, (tx) => this.handler.handle(wanted, tx));
      this.position = next;
      handled += events.length;
    }
    return handled;
  }
}
