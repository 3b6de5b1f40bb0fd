import type { PoolClient } from 'pg';
import type { RecordedEvent } from '../event-store.port';

/**
 * A named reader of the global log. The runner calls `handle` with a batch inside a PostgreSQL
 * transaction and saves the checkpoint in that same transaction, so a crash never applies a
 * batch twice nor skips one.
 */
export interface ConsumerHandler {
  readonly name: string;
  /** Only these event types are handed over (all when omitted); the checkpoint still advances past others. */
  readonly eventTypes?: readonly string[];
  /**
   * The handler writes only rows derived from the log (a read model), and nothing outside the
   * transaction: its batches may commit without waiting for the WAL to reach disk. A crash can then
   * lose the last batches, rows and checkpoint together, and they are applied again from the
   * checkpoint that survived. Never for a handler with effects elsewhere (appends, jobs, deliveries).
   */
  readonly derivedOnly?: boolean;
  handle(events: RecordedEvent[], tx: PoolClient): Promise<void>;
  /** Deletes the consumer's read-model rows, in the transaction that resets its checkpoint (rebuild). */
  reset?(tx: PoolClient): Promise<void>;
  /**
   * Called once the runner has read up to the head after it took the consumer (or after a rebuild),
   * in a transaction of its own: work a projection put off while catching up (an index it builds
   * once, not row by row) is finished here. Must be idempotent: it also runs after a restart.
   */
  caughtUp?(tx: PoolClient): Promise<void>;
}
