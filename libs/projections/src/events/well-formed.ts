import { eventSchemas, type EventType } from '@verity/domain';
import type { RecordedEvent } from '@verity/event-store';

/**
 * Whether an event's data matches its type's schema. A projection skips an event that does not
 * (tampered or corrupt in storage) rather than stop its consumer for every tenant on it; the audit
 * log still records it and `GET /audit/verify` names it.
 */
export function wellFormed(event: RecordedEvent): boolean {
  const entry = eventSchemas[event.type as EventType];
  return entry !== undefined && entry.schema.safeParse(event.data).success;
}
