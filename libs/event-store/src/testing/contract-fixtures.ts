import { randomUUID } from 'node:crypto';
import {
  EventStoreError,
  comparePositions,
  type EventMetadata,
  type EventStore,
  type ForeignStreamRead,
  type NewEvent,
  type RecordedEvent,
} from '../index';

/** What a topic of the contract runs against: the store (once built), its refused foreign reads, its options. */
export interface ContractContext {
  /** The adapter's name, as the suite's title gives it. */
  adapter: string;
  /** The store under test, resolved when a test runs (the suite builds it in its `beforeAll`). */
  store: EventStore;
  foreignReads: ForeignStreamRead[];
  globallyUnique: boolean;
}

export interface ContractSubject {
  store: EventStore;
  cleanup(): Promise<void>;
}

export function metadataFor(tenantId = 'tenant-a', extra: Partial<EventMetadata> = {}): EventMetadata {
  return {
    tenantId,
    actor: { id: 'user-1', role: 'hr' },
    correlationId: randomUUID(),
    causationId: null,
    schemaVersion: 1,
    ...extra,
  };
}

export function newEvent(type = 'PlanSubmitted', data: unknown = { n: 1 }, tenantId = 'tenant-a'): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: metadataFor(tenantId) };
}

/** A stream name no other test uses (stores under test may be shared between tests). */
export const freshStream = (category = 'appraisal', tenantId = 'tenant-a') =>
  `${category}-${tenantId}.${randomUUID()}`;

/** Every event of the global log after `after`, read in small batches. */
export async function readAllAfter(store: EventStore, after: string, batch = 7): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let position = after;
  for (;;) {
    const { events, next } = await store.readAll({ after: position, maxCount: batch });
    if (events.length === 0) return all;
    all.push(...events);
    position = next;
  }
}

/**
 * Every event after `after` up to and including `through` (a committed position): waits while an
 * older transaction elsewhere on the server still holds readers back (see docs/adr/0005).
 */
export async function readAllThrough(
  store: EventStore,
  after: string,
  through: string,
  batch = 100,
  timeoutMs = 20_000,
): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  let position = after;
  while (comparePositions(position, through) < 0) {
    if (Date.now() > deadline) throw new Error(`the log did not reach ${through} in ${timeoutMs} ms`);
    const { events, next } = await store.readAll({ after: position, maxCount: batch });
    all.push(...events);
    position = next;
    if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return all;
}

export async function expectError<T extends EventStoreError>(
  work: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

/** A store that resolves `built()` at each use: the suite's topics are declared before it exists. */
export function storeWhenBuilt(built: () => EventStore): EventStore {
  return new Proxy({} as EventStore, {
    get: (_target, name) => {
      const store = built();
      const value = store[name as keyof EventStore];
      return typeof value === 'function' ? value.bind(store) : value;
    },
  });
}
