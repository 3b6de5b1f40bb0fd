import type { z } from 'zod';
import { eventSchemas, type EventType } from '@verity/domain';
import { isErasedPii, type RecordedEvent } from '@verity/event-store';

/**
 * Whether an event's data matches its type's schema. A projection skips an event that does not
 * (tampered or corrupt in storage) rather than stop its consumer for every tenant on it; the audit
 * log still records it and `GET /audit/verify` names it. An event whose person was erased reads with
 * `pii: { erased: true }` (docs/adr/0115) and is checked without its `pii`: it still counts.
 */
export function wellFormed(event: RecordedEvent): boolean {
  const entry = eventSchemas[event.type as EventType];
  if (entry === undefined) return false;
  const pii = (event.data as { pii?: unknown } | null)?.pii;
  if (isErasedPii(pii) && 'omit' in entry.schema)
    return (entry.schema as z.ZodObject).omit({ pii: true } as never).safeParse(event.data).success;
  return entry.schema.safeParse(event.data).success;
}
