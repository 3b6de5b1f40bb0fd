import { z } from 'zod';
import { Count, listOf, Timestamp } from '../../openapi/answer-pieces';

/** One delivery of the log (GET /webhooks/subscriptions/{id}/deliveries), as OpenAPI describes it. */
export const DeliveryLogEntryResponse = z.strictObject({
  deliveryId: z.string(),
  subscriptionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  streamId: z.string(),
  position: z.string(),
  status: z.enum(['pending', 'succeeded', 'dead']),
  attempts: Count,
  nextAttemptAt: Timestamp.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastLatencyMs: z.number().nullable(),
  deliveredAt: Timestamp.nullable(),
  createdAt: Timestamp,
});

export const DeliveryLogResponse = listOf(DeliveryLogEntryResponse);

/** GET /webhooks/deliveries/{deliveryId}: the delivery as the log shows it, with every attempt. */
export const DeliveryResponse = DeliveryLogEntryResponse.extend({
  attemptLog: z.array(
    z.strictObject({
      attempt: z.number().int(),
      startedAt: Timestamp,
      /** The receiver's status code; null when no answer came (refused connection, timeout). */
      statusCode: z.number().int().nullable(),
      error: z.string().nullable(),
      latencyMs: z.number(),
    }),
  ),
});
