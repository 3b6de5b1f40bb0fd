import type { ConsumerHandler } from '@verity/event-store';
import type { WebhookDeliveriesRepository } from '@verity/integrations';

/**
 * Turns events into webhook deliveries (one row per matching subscription). Runs under the
 * consumer runner, so the rows commit with its checkpoint: a crash never loses or doubles one.
 */
export function webhookDeliveriesConsumer(deliveries: WebhookDeliveriesRepository): ConsumerHandler {
  return {
    name: 'webhook-deliveries',
    handle: async (events, tx) => {
      await deliveries.recordEvents(tx, events);
    },
  };
}
