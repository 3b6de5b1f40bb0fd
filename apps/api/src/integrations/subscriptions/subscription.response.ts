import { z } from 'zod';

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
  failingSince: z.iso.datetime().nullable(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const SubscriptionListResponse = z.strictObject({ items: z.array(SubscriptionResponse) });
