import { z } from 'zod';
import { Count, listOf, Timestamp } from '../../openapi/answer-pieces';

/** A webhook subscription as GET /webhooks/subscriptions lists it; the secret is shown at creation only. */
export const SubscriptionResponse = z.strictObject({
  subscriptionId: z.string(),
  tenantId: z.string(),
  url: z.string(),
  /** Empty: every event type. */
  eventTypes: z.array(z.string()),
  includePii: z.boolean(),
  status: z.enum(['active', 'paused']),
  pausedReason: z.string().nullable(),
  failingSince: Timestamp.nullable(),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const SubscriptionListResponse = listOf(SubscriptionResponse);

/** POST /webhooks/subscriptions: the subscription and its signing secret, shown this once. */
export const CreatedSubscriptionResponse = SubscriptionResponse.extend({
  secret: z.string().describe('`whsec_…`: keep it to verify the signatures'),
});

/** POST /webhooks/subscriptions/{id}/test: the test event's id and whether the receiver took it (a 2xx). */
export const TestDeliveryResponse = z.strictObject({ webhookId: z.string(), delivered: z.boolean() });

/** POST /webhooks/subscriptions/{id}/replay: deliveries scheduled, and where the next page starts. */
export const ReplayResponse = z.strictObject({
  scheduled: Count,
  /** The position of the last event looked at: send it as `after` for the next page. */
  next: z.string(),
  complete: z.boolean(),
});

/** GET /webhooks/notifications: what subscription owners were told, newest first (at most 100). */
export const WebhookNotificationsResponse = listOf(
  z.strictObject({
    notificationId: z.string(),
    subscriptionId: z.string(),
    /** Who created the subscription. */
    recipient: z.string(),
    kind: z.literal('subscription-paused'),
    detail: z.string(),
    createdAt: Timestamp,
  }),
);
