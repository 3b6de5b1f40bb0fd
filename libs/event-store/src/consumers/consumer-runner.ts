import type { Pool, PoolClient } from 'pg';
import { START, comparePositions, type EventStore } from '../event-store.port';

type ReadResult = Awaited<ReturnType<EventStore['readAll']>>;
import type { ConsumerHandler } from './consumer';

export interface ConsumerRunnerOptions {
  pool: Pool;
  store: EventStore;
  handler: ConsumerHandler;
  /** Events read per transaction. */
  batchSize?: number;
  /** Idle polling backs off from `min` to `max` ms; any event resets it (pickup stays under `max`). */
  idleDelayMs?: { min: number; max: number };
  /** How often a standby instance tries to take over the consumer. */
  takeoverIntervalMs?: number;
  /** Told about handler failures (the batch is retried after a pause). */
  onError?: (error: unknown) => void;
}

export interface ConsumerStatus {
  name: string;
  /** Holds the consumer's lock: the one instance that applies events. */
  active: boolean;
  position: string;
  lastError: string | null;
}

// Advisory-lock class for consumers (the two-key form is apart from the stream locks' keys).
const CONSUMER_LOCK_CLASS = 7_301;

/**
 * Runs one named consumer: reads the global log after its checkpoint in batches, hands each batch
 * to the handler inside one transaction and writes the new checkpoint in that transaction.
 *
 * One instance per name is active: it holds a session advisory lock on its own connection, and
 * every batch transaction runs on that same connection, so losing the connection loses the lock
 * and the uncommitted batch together. Other instances wait and take over when it dies.
 */
export class ConsumerRunner {
  private readonly batchSize: number;
  private readonly idle: { min: number; max: number };
  private readonly takeoverMs: number;
  private position = START;
  private client: PoolClient | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private lastError: string | null = null;
  /** The batch after the one in hand, read while it is handled (catching up only). */
  private prefetched: { after: string; read: Promise<ReadResult | undefined> } | undefined;

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.idle = options.idleDelayMs ?? { min: 5, max: 50 };
    this.takeoverMs = options.takeoverIntervalMs ?? 500;
  }

  get name(): string {
    return this.options.handler.name;
  }

  /** Starts the loop in the background; resolves at once (the instance may be on standby). */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Finishes the batch in hand, releases the lock and the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  status(): ConsumerStatus {
    return {
      name: this.name,
      active: this.client !== undefined,
      position: this.position,
      lastError: this.lastError,
    };
  }

  /** Resolves once everything committed before the call (or up to `position`) has been handled. */
  async caughtUp(timeoutMs = 30_000, position?: string): Promise<void> {
    const head = position ?? (await this.options.store.headPosition());
    const deadline = Date.now() + timeoutMs;
    while (!(this.client && comparePositions(this.position, head) >= 0)) {
      if (Date.now() > deadline)
        throw new Error(
          `consumer ${this.name} did not reach ${head} within ${timeoutMs} ms (at ${this.position})`,
        );
      await delay(10);
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!(await this.acquire())) {
          await this.sleep(this.takeoverMs);
          continue;
        }
        await this.consume();
      } catch (error) {
        this.fail(error);
        this.dropConnection(error);
        await this.sleep(1_000);
      }
    }
    await this.release();
  }

  /** Takes the consumer's lock on a connection of its own; false when another instance holds it. */
  private async acquire(): Promise<boolean> {
    if (this.client) return true;
    const client = await this.options.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [CONSUMER_LOCK_CLASS, this.name],
      );
      if (!rows[0].locked) {
        client.release();
        return false;
      }
      await client.query(
        "INSERT INTO consumer_checkpoints (name, position) VALUES ($1, '0') ON CONFLICT (name) DO NOTHING",
        [this.name],
      );
      const checkpoint = await client.query<{ position: string }>(
        'SELECT position FROM consumer_checkpoints WHERE name = $1',
        [this.name],
      );
      this.position = checkpoint.rows[0].position;
      // A connection lost between queries: the next query fails and the loop starts over.
      client.on('error', this.onConnectionError);
      this.client = client;
      return true;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  private async consume(): Promise<void> {
    let idleDelay = this.idle.min;
    while (!this.stopping) {
      const handled = await this.step();
      if (handled) {
        idleDelay = this.idle.min;
        continue;
      }
      await this.sleep(idleDelay);
      idleDelay = Math.min(this.idle.max, idleDelay * 2);
    }
  }

  /** One batch in one transaction; false when there was nothing to do. */
  private async step(): Promise<boolean> {
    const client = this.client!;
    const { handler } = this.options;
    // Read before BEGIN: the batch transaction then holds no transaction id while reading, so it
    // cannot hold back what this read sees.
    const { events, next } = await this.readAfter(this.position);
    if (events.length === 0 && !(await this.rebuildRequested())) return false;
    // A full batch means more is waiting (a rebuild, a catch-up): the next batch is read on a pool
    // connection while this one is handled, which was about half of a rebuild's time. The log
    // below the read horizon never changes, so the read is the one the next step would make; this
    // transaction's id may hold that horizon back, which only makes the batch smaller.
    if (events.length === this.batchSize) this.prefetch(next);
    await client.query('BEGIN');
    try {
      const checkpoint = await client.query<{ position: string; rebuild_requested: boolean }>(
        'SELECT position, rebuild_requested FROM consumer_checkpoints WHERE name = $1 FOR UPDATE',
        [this.name],
      );
      if (checkpoint.rows[0].rebuild_requested) {
        await handler.reset?.(client);
        await client.query(
          "UPDATE consumer_checkpoints SET position = '0', rebuild_requested = false, updated_at = now() WHERE name = $1",
          [this.name],
        );
        await client.query('COMMIT');
        this.position = START;
        this.prefetched = undefined;
        return true;
      }
      if (events.length === 0) {
        await client.query('ROLLBACK');
        return false;
      }
      const wanted = handler.eventTypes
        ? events.filter((event) => handler.eventTypes!.includes(event.type))
        : events;
      if (wanted.length) await handler.handle(wanted, client);
      await client.query(
        'UPDATE consumer_checkpoints SET position = $2, updated_at = now() WHERE name = $1',
        [this.name, next],
      );
      await client.query('COMMIT');
      this.position = next;
      this.lastError = null;
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** The batch after `position`: the one read ahead when it is for this position, else a new read. */
  private async readAfter(position: string): Promise<ReadResult> {
    const ahead = this.prefetched;
    this.prefetched = undefined;
    const read = ahead?.after === position ? await ahead.read : undefined;
    return read ?? this.options.store.readAll({ after: position, maxCount: this.batchSize });
  }

  private prefetch(after: string): void {
    // A failed read ahead is read again by the next step, which reports the failure if it stays.
    const read = this.options.store.readAll({ after, maxCount: this.batchSize }).catch(() => undefined);
    this.prefetched = { after, read };
  }

  /** A plain read while idle: locking the row would take a transaction id on every poll. */
  private async rebuildRequested(): Promise<boolean> {
    const { rows } = await this.client!.query<{ rebuild_requested: boolean }>(
      'SELECT rebuild_requested FROM consumer_checkpoints WHERE name = $1',
      [this.name],
    );
    return rows[0]?.rebuild_requested ?? false;
  }

  // Only noted: the query that meets the broken connection reports the failure.
  private readonly onConnectionError = (error: Error) => {
    this.lastError = error.message;
  };

  private fail(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.options.onError?.(error);
  }

  /** After an error the connection may be broken: drop it (and with it the lock) and start over. */
  private dropConnection(error: unknown): void {
    const client = this.client;
    this.client = undefined;
    client?.off('error', this.onConnectionError);
    client?.release(error instanceof Error ? error : new Error(String(error)));
  }

  private async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.off('error', this.onConnectionError);
    try {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [CONSUMER_LOCK_CLASS, this.name]);
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
