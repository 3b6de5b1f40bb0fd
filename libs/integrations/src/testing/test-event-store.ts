import type { Pool } from 'pg';
import * as eventStoreLibrary from '@verity/event-store';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
} from '@verity/event-store';

/**
 * A stand-in event store for the integrations tests while libs/event-store has no PostgreSQL
 * adapter: the log is kept in memory, in append order (it is never the thing under test here;
 * deliveries, BullMQ and HTTP are real). Positions are opaque zero-padded numbers.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];

  async append(streamId: string, events: NewEvent[], _options: AppendOptions): Promise<AppendResult> {
    let revision = BigInt(this.log.filter((event) => event.streamId === streamId).length) - 1n;
    for (const event of events) {
      if (this.log.some((stored) => stored.eventId === event.eventId)) continue;
      revision += 1n;
      this.log.push({
        ...event,
        streamId,
        streamRevision: revision,
        position: String(this.log.length + 1).padStart(12, '0'),
        recordedAt: new Date(),
      });
    }
    return { nextRevision: revision, position: this.log[this.log.length - 1].position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.log.filter(
      (event) => event.streamId === streamId && event.streamRevision >= (options.fromRevision ?? 0n),
    );
    if (stream.length === 0) throw new Error(`stream ${streamId} not found`);
    return stream.slice(0, options.maxCount ?? stream.length);
  }

  async readAll({ after, maxCount }: ReadAllOptions): Promise<ReadAllResult> {
    const from = after && after !== '0' ? Number(after) : 0;
    const events = this.log.slice(from, from + maxCount);
    return { events, next: events.length ? events[events.length - 1].position : (after ?? '0') };
  }

  async headPosition(): Promise<string> {
    return this.log.length ? this.log[this.log.length - 1].position : '0';
  }

  async close(): Promise<void> {}
}

type StoreConstructor = new (pool: Pool) => EventStore;

/** The real PostgreSQL store once libs/event-store exports it; until then the stand-in, said aloud. */
export function eventStoreForTests(pool: Pool): EventStore {
  const Postgres = (eventStoreLibrary as unknown as { PostgresEventStore?: StoreConstructor })
    .PostgresEventStore;
  if (Postgres) return new Postgres(pool);
  console.warn(
    'integrations tests: libs/event-store has no PostgresEventStore yet; using InMemoryEventStore',
  );
  return new InMemoryEventStore();
}
