import type { EventStore, RecordedEvent } from '@verity/event-store';

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
