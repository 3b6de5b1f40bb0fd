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
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly ids = new Set<string>();

  async append(streamId: string, events: NewEvent[], _options: AppendOptions): Promise<AppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    for (const event of events) {
      if (this.ids.has(event.eventId)) continue;
      this.ids.add(event.eventId);
      const recorded: RecordedEvent = {
        ...event,
        streamId,
        streamRevision: BigInt(stream.length),
        position: String(this.log.length + 1).padStart(12, '0'),
        recordedAt: new Date(),
      };
      this.log.push(recorded);
      stream.push(recorded);
    }
    return { nextRevision: BigInt(stream.length - 1), position: this.log[this.log.length - 1].position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId);
    if (!stream?.length) throw new Error(`stream ${streamId} not found`);
    const from = Number(options.fromRevision ?? 0n);
    return stream.slice(from, from + (options.maxCount ?? stream.length));
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
