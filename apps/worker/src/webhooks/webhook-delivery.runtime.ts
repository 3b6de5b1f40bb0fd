import { Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import type { Pool } from 'pg';
import type { EventStore } from '@verity/event-store';
import {
  DEFAULT_RETRY_POLICY,
  type Lookup,
  type RetryPolicy,
  WebhookDeliveriesRepository,
} from '@verity/integrations';
import { type DeliveryJob, WebhookDispatcher } from './webhook-dispatcher';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';

export const DELIVERY_QUEUE = 'webhook-deliveries';

export interface WebhookDeliveryOptions {
  pool: Pool;
  /** A connection with `maxRetriesPerRequest: null`; BullMQ duplicates it for its blocking reads. */
  redis: IORedis;
  store: EventStore;
  allowlist: readonly string[];
  policy?: RetryPolicy;
  /** Parallel HTTP attempts (each on a different (subscription, stream)). */
  concurrency?: number;
  pollIntervalMs?: number;
  lookup?: Lookup;
  /** BullMQ key prefix (default `bull`); tests use their own so no other process takes their jobs. */
  queuePrefix?: string;
}

export interface WebhookDelivery {
  deliveries: WebhookDeliveriesRepository;
  dispatcher: WebhookDispatcher;
  queue: Queue<DeliveryJob>;
  worker: Worker<DeliveryJob>;
  close(): Promise<void>;
}

/** The delivery side of webhooks, as plain objects: the worker module, the tests and the benchmark start it the same way. */
export async function startWebhookDelivery(options: WebhookDeliveryOptions): Promise<WebhookDelivery> {
  const deliveries = new WebhookDeliveriesRepository(options.pool);
  // Finished jobs are removed at once: the delivery log lives in PostgreSQL, and a kept job would
  // make a later enqueue of the same attempt id a silent no-op.
  const prefix = options.queuePrefix ?? 'bull';
  const queue = new Queue<DeliveryJob>(DELIVERY_QUEUE, {
    connection: options.redis,
    prefix,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
  });
  // Redis going away fails the call in hand (the dispatcher retries every second); unheard, each
  // reconnection error would be printed by BullMQ as an unhandled 'error' event.
  queue.on('error', () => undefined);
  const dispatcher = new WebhookDispatcher(options.pool, queue, deliveries, {
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  });
  const processor = new WebhookDeliveryProcessor(deliveries, options.store, dispatcher, {
    allowlist: options.allowlist,
    policy: options.policy ?? DEFAULT_RETRY_POLICY,
    lookup: options.lookup,
  });
  const worker = new Worker<DeliveryJob>(DELIVERY_QUEUE, (job) => processor.process(job), {
    connection: options.redis,
    prefix,
    concurrency: options.concurrency ?? 32,
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  await dispatcher.start();
  return {
    deliveries,
    dispatcher,
    queue,
    worker,
    async close() {
      await dispatcher.stop();
      await worker.close();
      await queue.close();
    },
  };
}
