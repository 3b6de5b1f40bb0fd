import { InvalidPosition, type EventStore, type RecordedEvent } from '@verity/event-store';
import { Problem } from '../../errors/problem';

/** How many of the tenant's events one request may look at (the rest is the next page). */
export const SCAN_BUDGET = 5000;
const PAGE = 500;

/**
 * Reads the global log after `after` and keeps the caller's tenant's events of `types` (all when
 * empty), up to `limit`. `end`: the log had nothing more. `next` is the position of the last event looked at, so a reader resumes
 * exactly there: nothing skipped, nothing twice, even when other tenants' events were passed over.
 */
export async function readTenantEvents(
  store: EventStore,
  filter: { tenantId: string; after: string; types: readonly string[]; limit: number },
  /** Where the caller gave `after`, named in the 400 when the store has no such position. */
  parameter = 'after',
): Promise<{ events: RecordedEvent[]; next: string; end: boolean }> {
  try {
    return await readFrom(store, filter);
  } catch (error) {
    if (!(error instanceof InvalidPosition)) throw error;
    throw new Problem(400, 'invalid-request', `${parameter} is not a position of this event log.`, {
      errors: [
        { path: parameter, rule: 'invalid_position', message: 'must be a position returned by this API' },
      ],
    });
  }
}

async function readFrom(
  store: EventStore,
  filter: { tenantId: string; after: string; types: readonly string[]; limit: number },
): Promise<{ events: RecordedEvent[]; next: string; end: boolean }> {
  const events: RecordedEvent[] = [];
  let position = filter.after;
  let scanned = 0;
  let end = false;
  while (events.length < filter.limit && scanned < SCAN_BUDGET) {
    const page = await store.readAll({
      after: position,
      maxCount: Math.min(PAGE, SCAN_BUDGET - scanned),
      tenantId: filter.tenantId,
    });
    if (page.events.length === 0) {
      end = true;
      break;
    }
    for (const event of page.events) {
      position = event.position;
      scanned++;
      if (
        event.metadata.tenantId === filter.tenantId &&
        (filter.types.length === 0 || filter.types.includes(event.type))
      ) {
        events.push(event);
        if (events.length === filter.limit) break;
      }
    }
  }
  return { events, next: position, end };
}
