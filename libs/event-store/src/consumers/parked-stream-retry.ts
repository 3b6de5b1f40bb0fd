import type { PoolClient } from 'pg';
import type { EventStore, RecordedEvent } from '../event-store.port';
import type { ConsumerHandler } from './consumer';
import {
  lockDueParkedStream,
  releaseHeldEvent,
  retryDelayMs,
  retryLater,
  unparkStream,
  type ParkingPolicy,
} from './parked-streams';

/** What one retry of a parked stream did. */
export type ParkedStreamRetry =
  /** Another instance took it, or an operator moved it: nothing was tried. */
  | { outcome: 'not-due' }
  | { outcome: 'unparked'; applied: number }
  | { outcome: 'failed-again'; applied: number; event: RecordedEvent; error: unknown; attempts: number };

/**
 * Retries one due parked stream of a consumer in a transaction of its own (docs/adr/0071): its held
 * events in stream order, each in a savepoint. The first that fails again stays at the head with a
 * longer back-off; when all apply, the stream is unparked.
 */
export async function retryParkedStream(
  client: PoolClient,
  consumer: { name: string; store: EventStore; handler: ConsumerHandler; parking: ParkingPolicy },
  streamId: string,
): Promise<ParkedStreamRetry> {
  await client.query('BEGIN');
  try {
    const due = await lockDueParkedStream(client, consumer.name, streamId);
    if (!due) {
      await client.query('COMMIT');
      return { outcome: 'not-due' };
    }
    const wanted = new Set(due.held.map((held) => held.eventId));
    const events = due.held.length
      ? (await consumer.store.readStream(streamId, { fromRevision: due.held[0].revision })).filter((event) =>
          wanted.has(event.eventId),
        )
      : [];
    let applied = 0;
    for (const event of events) {
      await client.query('SAVEPOINT consumer_event');
      try {
        await consumer.handler.handle([event], client);
        await client.query('RELEASE SAVEPOINT consumer_event');
        await releaseHeldEvent(client, consumer.name, event);
        applied++;
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT consumer_event');
        const attempts = due.attempts + 1;
        await retryLater(client, consumer.name, event, error, retryDelayMs(consumer.parking, attempts));
        await client.query('COMMIT');
        return { outcome: 'failed-again', applied, event, error, attempts };
      }
    }
    await unparkStream(client, consumer.name, streamId);
    await client.query('COMMIT');
    return { outcome: 'unparked', applied };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
