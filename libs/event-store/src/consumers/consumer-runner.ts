import { escapeLiteral, type Pool, type PoolClient, type QueryResult } from 'pg';
import { dependencyFailure } from '@verity/platform/dependency-failure';
import { START, comparePositions, type EventStore, type RecordedEvent } from '../event-store.port';
import type { ConsumerHandler } from './consumer';
import { ConsumerBatches, wantedBy } from './consumer-batches';
import {
  DEFAULT_PARKING,
  clearParkedStreams,
  dueParkedStreams,
  errorText,
  holdEvents,
  parkStream,
  parkedStreamIds,
  retryDelayMs,
  type ParkedNotice,
  type ParkingPolicy,
} from './parked-streams';
import { retryParkedStream } from './parked-stream-retry';

export interface ConsumerRunnerOptions {
  pool: Pool;
  store: EventStore;
  handler: ConsumerHandler;
  /** Events read per transaction. */
  batchSize?: number;
  /**
   * Events read per transaction while catching up (a rebuild, a start behind the head): larger
   * batches pay the per-batch round trips and the write's fixed costs over more events (ADR 0156).
   * Defaults to `batchSize`. Meant for read models (`derivedOnly`): a batch is one transaction.
   */
  catchUpBatchSize?: number;
  /** Idle polling backs off from `min` to `max` ms; any event resets it (pickup stays under `max`). */
  idleDelayMs?: { min: number; max: number };
  /** How often a standby instance tries to take over the consumer. */
  takeoverIntervalMs?: number;
  /** Told about handler failures (the batch is retried after a pause). */
  onError?: (error: unknown) => void;
  /** Back-off of parked streams (docs/adr/0071). */
  parking?: ParkingPolicy;
  /** Told each time a stream is parked or a parked stream fails again: an alert for operators. */
  onParked?: (notice: ParkedNotice) => void;
}

export interface ConsumerStatus {
  name: string;
  /** Holds the consumer's lock: the one instance that applies events. */
  active: boolean;
  position: string;
  lastError: string | null;
  /** Streams this consumer holds back after an event it could not apply. */
  parkedStreams: number;
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
  private readonly batches: ConsumerBatches;
  private readonly idle: { min: number; max: number };
  private readonly takeoverMs: number;
  private position = START;
  private client: PoolClient | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private lastError: string | null = null;
  /** The streams parked by this consumer (loaded with the lock: only the active instance changes them). */
  private parked = new Set<string>();
  private readonly parking: ParkingPolicy;
  /** When parked streams were last looked at for a due retry. */
  private lastRetryCheck = 0;
  /** Not yet read up to the head since the lock was taken or the last rebuild: `caughtUp` is due. */
  private catchingUp = true;

  constructor(private readonly options: ConsumerRunnerOptions) {
    const batchSize = options.batchSize ?? 500;
    const catchUpBatchSize = Math.max(batchSize, options.catchUpBatchSize ?? batchSize);
    this.batches = new ConsumerBatches(options.store, batchSize, catchUpBatchSize);
    this.idle = options.idleDelayMs ?? { min: 5, max: 50 };
    this.takeoverMs = options.takeoverIntervalMs ?? 500;
    this.parking = options.parking ?? DEFAULT_PARKING;
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
      parkedStreams: this.parked.size,
    };
  }

  /**
   * Resolves once everything committed before the call (or up to `position`) has been handled; up to
   * the head, also once the handler's `caughtUp` has run (a rebuild is done when its indexes are).
   */
  async caughtUp(timeoutMs = 30_000, position?: string): Promise<void> {
    const head = position ?? (await this.options.store.headPosition());
    const deadline = Date.now() + timeoutMs;
    const done = () =>
      this.client !== undefined &&
      comparePositions(this.position, head) >= 0 &&
      (position !== undefined || !this.catchingUp);
    while (!done()) {
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
        if (error instanceof ReportedFailure) this.dropConnection(error.failure);
        else {
          this.fail(error);
          this.dropConnection(error);
        }
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
      this.parked = await parkedStreamIds(client, this.name);
      this.catchingUp = true;
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
      const retried = await this.retryDueParkedStreams();
      const handled = (await this.step()) || retried;
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
    const { events, next, size } = await this.batches.readAfter(this.position, this.catchingUp);
    if (events.length === 0 && !(await this.rebuildRequested())) return this.finishCatchUp();
    // A full batch means more is waiting (a rebuild, a catch-up): the next batch is read on a pool
    // connection while this one is handled, which was about half of a rebuild's time; this
    // transaction's id may hold the read horizon back, which only makes that batch smaller.
    const full = events.length >= size;
    if (full) this.batches.prefetch(next, this.catchingUp);
    try {
      // A read model's batch does not wait for the WAL flush (ADR 0138): in a rebuild that wait was
      // paid once per batch. The BEGIN, that setting and the checkpoint's lock are one round trip
      // (ADR 0156): on a busy machine each round trip waits for the server to be scheduled.
      const checkpoint = lastResult<{ position: string; rebuild_requested: boolean }>(
        await client.query(
          `${handler.derivedOnly ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN'}; ` +
            `SELECT position, rebuild_requested FROM consumer_checkpoints WHERE name = ${escapeLiteral(this.name)} FOR UPDATE`,
        ),
      );
      if (checkpoint.rows[0].rebuild_requested) {
        await handler.reset?.(client);
        await clearParkedStreams(client, this.name);
        await client.query(
          "UPDATE consumer_checkpoints SET position = '0', rebuild_requested = false, updated_at = now() WHERE name = $1",
          [this.name],
        );
        // Before the COMMIT: once it is seen, `caughtUp` must wait for the rebuild (a failed COMMIT
        // drops the connection, and the position is read again from the checkpoint).
        this.position = START;
        this.batches.forget();
        this.catchingUp = true;
        await client.query('COMMIT');
        this.parked.clear();
        return true;
      }
      if (events.length === 0) {
        await client.query('ROLLBACK');
        return false;
      }
      const wanted = wantedBy(handler, events);
      // A parked stream's later events wait behind it: applied now, they would overtake it.
      const held = wanted.filter((event) => this.parked.has(event.streamId));
      const flowing = held.length ? wanted.filter((event) => !this.parked.has(event.streamId)) : wanted;
      if (flowing.length)
        await handler.handle(flowing, client).catch((error: unknown) => {
          throw new HandlerFailure(error);
        });
      await holdEvents(client, this.name, held);
      await this.commitCheckpoint(next);
      // A short batch reached the head: what the catch-up put off is done now, not in this batch's
      // transaction (an index build would hold the checkpoint's row and the batch's locks longer).
      if (!full) await this.finishCatchUp();
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (!(error instanceof HandlerFailure)) throw error;
      // The batch failed as a whole: once more event by event, parking the streams that fail.
      this.fail(error.failure);
      await this.stepEventByEvent(events, next).catch((again: unknown) => {
        throw new ReportedFailure(again);
      });
      return true;
    }
  }

  /**
   * The handler's `caughtUp`, once per catch-up, in a transaction of its own; false (nothing
   * handled) so that an idle runner backs off as before.
   */
  private async finishCatchUp(): Promise<false> {
    if (!this.catchingUp) return false;
    const client = this.client!;
    if (this.options.handler.caughtUp) {
      await client.query('BEGIN');
      try {
        await this.options.handler.caughtUp(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    this.catchingUp = false;
    return false;
  }

  private async commitCheckpoint(next: string): Promise<void> {
    // One round trip (ADR 0156). Should the UPDATE fail, the server skips the COMMIT after it and
    // the caller rolls back, as before.
    await this.client!.query(
      `UPDATE consumer_checkpoints SET position = ${escapeLiteral(next)}, updated_at = now() ` +
        `WHERE name = ${escapeLiteral(this.name)}; COMMIT`,
    );
    this.position = next;
    this.lastError = null;
  }

  /**
   * The batch again, each event in a savepoint of one transaction: an event that fails parks its
   * stream (and the stream's later events are held), the others are applied. When every event
   * fails the cause is most likely not the events (the database or Redis is away): nothing is
   * parked and the batch is retried whole after a pause, as before.
   */
  private async stepEventByEvent(events: RecordedEvent[], next: string): Promise<void> {
    const client = this.client!;
    const { handler } = this.options;
    const wanted = wantedBy(handler, events);
    await client.query('BEGIN');
    try {
      await client.query('SELECT position FROM consumer_checkpoints WHERE name = $1 FOR UPDATE', [this.name]);
      const parkedNow = new Map<string, { event: RecordedEvent; error: unknown }>();
      const held: RecordedEvent[] = [];
      let applied = 0;
      for (const event of wanted) {
        if (this.parked.has(event.streamId) || parkedNow.has(event.streamId)) {
          held.push(event);
          continue;
        }
        await client.query('SAVEPOINT consumer_event');
        try {
          await handler.handle([event], client);
          await client.query('RELEASE SAVEPOINT consumer_event');
          applied++;
        } catch (error) {
          await client.query('ROLLBACK TO SAVEPOINT consumer_event');
          parkedNow.set(event.streamId, { event, error });
        }
      }
      if (applied === 0 && wanted.length > 1 && parkedNow.size > 0) {
        throw [...parkedNow.values()][0].error;
      }
      // A lost or refused connection (to PostgreSQL or Redis) says nothing about the event: the
      // batch is retried whole after a pause, as in any outage, and nothing is parked.
      const outage = [...parkedNow.values()].find(({ error }) => dependencyFailure(error));
      if (outage) throw outage.error;
      const retryIn = retryDelayMs(this.parking, 1);
      for (const { event, error } of parkedNow.values())
        await parkStream(client, this.name, event, error, retryIn);
      await holdEvents(client, this.name, held);
      await this.commitCheckpoint(next);
      for (const { event, error } of parkedNow.values()) {
        this.parked.add(event.streamId);
        this.notifyParked(event, error, 1);
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * Retries the parked streams that are due (at most ten per round): their held events in stream order, each in a savepoint; the first that
   * fails again stays at the head with a longer back-off. True when any event was applied.
   */
  private async retryDueParkedStreams(): Promise<boolean> {
    if (this.parked.size === 0) return false;
    const now = Date.now();
    // At most once a second: an operator's "retry now" waits that long, an idle poll no longer.
    if (now - this.lastRetryCheck < Math.min(1_000, Math.max(10, this.parking.firstRetryMs / 5)))
      return false;
    this.lastRetryCheck = now;
    const client = this.client!;
    const consumer = { name: this.name, ...this.options, parking: this.parking };
    let appliedAny = false;
    for (const streamId of await dueParkedStreams(client, this.name, 10)) {
      if (this.stopping) break;
      const retry = await retryParkedStream(client, consumer, streamId);
      if (retry.outcome === 'not-due') continue;
      if (retry.applied > 0) appliedAny = true;
      if (retry.outcome === 'failed-again') this.notifyParked(retry.event, retry.error, retry.attempts);
      else this.parked.delete(streamId);
    }
    return appliedAny;
  }

  private notifyParked(event: RecordedEvent, error: unknown, attempts: number): void {
    this.options.onParked?.({
      consumer: this.name,
      streamId: event.streamId,
      tenantId: String(event.metadata.tenantId),
      eventId: event.eventId,
      eventType: event.type,
      error: errorText(error),
      attempts,
    });
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

/** The handler (not the runner's own SQL) failed: the batch may be tried event by event. */
class HandlerFailure extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/** A failure already told to `onError` (the batch's), met again on the way: not told twice. */
class ReportedFailure extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/** The last statement's result of a script sent in one round trip. */
function lastResult<Row extends object>(result: unknown): QueryResult<Row> {
  return (Array.isArray(result) ? result[result.length - 1] : result) as QueryResult<Row>;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
