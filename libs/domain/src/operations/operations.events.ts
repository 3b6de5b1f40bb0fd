import { z } from 'zod';
import { Id, Instant } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';

/** What an operator did about an event a consumer parked (docs/adr/0071); stream `operations-<tenant>.<consumer>`. */
const ParkedEvent = {
  /** The consumer (read model, timers, webhooks) that could not apply the event. */
  consumer: Id,
  /** The parked stream (it names the tenant and the aggregate, never a person). */
  streamId: z.string().min(1).max(200),
  eventId: z.uuid(),
  eventType: z.string().min(1).max(100),
  /** The error the consumer met, as it was shown to the operator. */
  error: z.string().max(500),
  at: Instant,
};

export const operationsEventSchemas = {
  /** The consumer tries the parked stream again now, instead of after its back-off. */
  ParkedEventRetried: {
    version: 1,
    schema: z.object({ ...ParkedEvent, pii: z.object({ reason: z.string().max(4000).optional() }) }),
  },
  /** The consumer will never apply this event; the parked stream's later events follow in order. */
  ParkedEventSkipped: {
    version: 1,
    schema: z.object({ ...ParkedEvent, pii: z.object({ reason: z.string().trim().min(1).max(4000) }) }),
  },
};

export type OperationsEvent = EventsOf<typeof operationsEventSchemas>;
