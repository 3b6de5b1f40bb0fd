import type { EventStore, RecordedEvent } from '../event-store.port';
import type { ConsumerHandler } from './consumer';

type ReadResult = Awaited<ReturnType<EventStore['readAll']>>;

/**
 * A consumer's batches of the global log: larger while catching up (a rebuild, a start behind the
 * head) than on the live tail (ADR 0156), and while catching up the next batch is read while the
 * one in hand is handled. The runner keeps the transaction, the checkpoint and the parking.
 */
export class ConsumerBatches {
  /** The batch after the one in hand, read while it is handled (catching up only). */
  private prefetched: { after: string; size: number; read: Promise<ReadResult | undefined> } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly batchSize: number,
    private readonly catchUpBatchSize: number,
  ) {}

  /** The batch after `position`: the one read ahead when it is for this position, else a new read. */
  async readAfter(position: string, catchingUp: boolean): Promise<ReadResult & { size: number }> {
    const ahead = this.prefetched;
    this.prefetched = undefined;
    const read = ahead?.after === position ? await ahead.read : undefined;
    if (read && ahead) return { ...read, size: ahead.size };
    const size = this.readSize(catchingUp);
    return { ...(await this.store.readAll({ after: position, maxCount: size })), size };
  }

  /**
   * Reads the batch after `after` on a pool connection now. The log below the read horizon never
   * changes, so the read is the one the next step would make.
   */
  prefetch(after: string, catchingUp: boolean): void {
    const size = this.readSize(catchingUp);
    // A failed read ahead is read again by the next step, which reports the failure if it stays.
    const read = this.store.readAll({ after, maxCount: size }).catch(() => undefined);
    this.prefetched = { after, size, read };
  }

  /** A rebuild starts from the beginning: what was read ahead is no longer next. */
  forget(): void {
    this.prefetched = undefined;
  }

  /** Larger batches while catching up (ADR 0156); the live tail keeps the small ones. */
  private readSize(catchingUp: boolean): number {
    return catchingUp ? this.catchUpBatchSize : this.batchSize;
  }
}

/** The events of a batch that the handler takes (all of them when it names no types). */
export function wantedBy(handler: ConsumerHandler, events: RecordedEvent[]): RecordedEvent[] {
  const { eventTypes } = handler;
  return eventTypes ? events.filter((event) => eventTypes.includes(event.type)) : events;
}
