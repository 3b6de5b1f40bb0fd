import type { Job } from 'bullmq';
import type { EventStore, RecordedEvent } from '@verity/event-store';
import {
  type AttemptOutcome,
  type RetryPolicy,
  retryDelayMs,
  sendWebhook,
  toCloudEvent,
  type Lookup,
  WebhookDeliveriesRepository,
} from '@verity/integrations';
import type { DeliveryJob, WebhookDispatcher } from './webhook-dispatcher';

export interface DeliveryProcessorOptions {
  allowlist: readonly string[];
  policy: RetryPolicy;
  lookup?: Lookup;
}

/**
 * One BullMQ job = one HTTP attempt of one delivery. Its effect is idempotent: the attempt is
 * recorded only if the delivery still waits for exactly that attempt (a stalled job run twice, or
 * a stale job after a redelivery, records nothing; the receiver de-duplicates by `webhook-id`).
 */
export class WebhookDeliveryProcessor {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly store: EventStore,
    private readonly dispatcher: WebhookDispatcher,
    private readonly options: DeliveryProcessorOptions,
  ) {}

  async process(job: Job<DeliveryJob>): Promise<AttemptOutcome['kind']> {
    const { deliveryId, attempt } = job.data;
    const delivery = await this.deliveries.toSend(deliveryId);
    if (
      !delivery ||
      delivery.status !== 'pending' ||
      delivery.attempts !== attempt - 1 ||
      delivery.subscriptionStatus !== 'active'
    ) {
      return 'stale';
    }
    const event = await this.readEvent(delivery.streamId, delivery.streamRevision, delivery.eventId);
    const result = event
      ? await sendWebhook(toCloudEvent(event, { includePii: delivery.includePii }), {
          url: delivery.url,
          secret: delivery.secret,
          allowlist: this.options.allowlist,
          timeoutMs: this.options.policy.timeoutMs,
          lookup: this.options.lookup,
        })
      : { startedAt: new Date(), statusCode: null, error: 'the event is not in the store', latencyMs: 0 };
    const outcome = await this.deliveries.recordAttempt(
      deliveryId,
      attempt,
      result,
      this.options.policy,
      (n) => retryDelayMs(n, this.options.policy),
    );
    if (outcome.kind === 'succeeded' || outcome.kind === 'dead') {
      await this.dispatcher.dispatchNext(delivery.subscriptionId, delivery.streamId);
    }
    return outcome.kind;
  }

  private async readEvent(
    streamId: string,
    revision: bigint,
    eventId: string,
  ): Promise<RecordedEvent | null> {
    try {
      const [event] = await this.store.readStream(streamId, { fromRevision: revision, maxCount: 1 });
      return event && event.eventId === eventId ? event : null;
    } catch {
      return null;
    }
  }
}
