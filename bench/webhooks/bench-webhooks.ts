/**
 * bench:webhooks — signed webhook deliveries to a local receiver (which verifies every signature
 * with the standardwebhooks package), end to end: append → consumer → deliveries table → BullMQ →
 * HTTP POST → receipt. Runs in its own database (verity_bench_webhooks, recreated) and its own
 * BullMQ prefix. Two phases:
 *   burst: BENCH_WEBHOOK_EVENTS events over BENCH_WEBHOOK_STREAMS streams appended first, then the
 *          consumer started → deliveries/s from its start to the last receipt (order per stream checked);
 *   paced: BENCH_WEBHOOK_RATE events/s for BENCH_WEBHOOK_SECONDS → append-to-receipt latency p50/p99.
 * The store is the PostgreSQL adapter and the consumer the worker's ConsumerRunner.
 */
import { randomUUID } from 'node:crypto';
import { freshBenchDatabase } from '../support/bench-database';
import { ConsumerRunner, PostgresEventStore, type NewEvent } from '@verity/event-store';
import { createPool, createRedis, loadConfig } from '@verity/platform';
import { WebhookSubscriptionsRepository } from '@verity/integrations';
import { WebhookReceiver } from '@verity/integrations/testing/webhook-receiver';
import { startWebhookDelivery, webhookDeliveriesConsumer } from '../../apps/worker/src';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 5000);
const STREAMS = Number(process.env.BENCH_WEBHOOK_STREAMS ?? 200);
const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 32);
const TENANT = 'bench';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newEvent(n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'AnnotationAdded',
    data: { n, pii: { comment: 'not delivered' } },
    metadata: {
      tenantId: TENANT,
      actor: { id: 'bench', role: 'hr' },
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = createPool(await freshBenchDatabase('verity_bench_webhooks'), 20, 'bench-webhooks');
  const redis = createRedis(config.REDIS_URL);

  const store = new PostgresEventStore(pool);

  const subscriptions = new WebhookSubscriptionsRepository(pool);
  const created = await subscriptions.create({
    tenantId: TENANT,
    url: 'http://127.0.0.1:1/',
    eventTypes: [],
    includePii: false,
    createdBy: 'bench',
  });
  const receiver = new WebhookReceiver(created.secret);
  await receiver.start();
  await subscriptions.update(TENANT, created.subscription.subscriptionId, { url: receiver.url });

  const delivery = await startWebhookDelivery({
    pool,
    redis,
    store,
    allowlist: ['127.0.0.1/32'],
    concurrency: CONCURRENCY,
    queuePrefix: `bench-${randomUUID().slice(0, 8)}`,
  });
  const runner = new ConsumerRunner({
    pool,
    store,
    handler: webhookDeliveriesConsumer(delivery.deliveries),
    batchSize: 500,
  });

  const appendedAt = new Map<string, number>();
  const order = new Map<string, string[]>();
  const append = async (n: number) => {
    const stream = `appraisal-${TENANT}.s${n % STREAMS}`;
    const event = newEvent(n);
    await store.append(stream, [event], { expectedRevision: 'any' });
    appendedAt.set(event.eventId, Date.now());
    const ids = order.get(stream) ?? [];
    ids.push(event.eventId);
    order.set(stream, ids);
  };

  // Burst: the log holds EVENTS undelivered events (appended by 8 writers), then the consumer starts.
  const appendStart = Date.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, writer) => {
      for (let n = writer; n < EVENTS; n += 8) await append(n);
    }),
  );
  const appendedIn = Date.now() - appendStart;
  const began = Date.now();
  await runner.start();
  await receiver.waitFor((received) => received.length >= EVENTS, 600_000);
  const burstSeconds = (receiver.received[EVENTS - 1].receivedAt - began) / 1000;
  const outOfOrder = [...order].filter(
    ([stream, ids]) =>
      receiver.received
        .filter((d) => d.subject === stream)
        .map((d) => d.id)
        .join() !== ids.join(),
  ).length;
  const ids = receiver.received.map((d) => d.id);
  console.log(
    `burst: ${EVENTS} events on ${STREAMS} streams (appended in ${appendedIn} ms), delivered in ${burstSeconds.toFixed(2)} s = ` +
      `${Math.round(EVENTS / burstSeconds)} deliveries/s; concurrency ${CONCURRENCY}; ` +
      `bad signatures ${receiver.rejected.length}, duplicates ${ids.length - new Set(ids).size}, streams out of order ${outOfOrder}`,
  );

  // Paced.
  const before = receiver.received.length;
  const total = RATE * SECONDS;
  const pacedStart = Date.now();
  for (let n = 0; n < total; n++) {
    const due = pacedStart + (n * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    await append(EVENTS + n);
  }
  await receiver.waitFor((received) => received.length >= before + total, 120_000);
  const latencies = receiver.received
    .slice(before)
    .map((d) => d.receivedAt - appendedAt.get(d.id)!)
    .sort((a, b) => a - b);
  console.log(
    `paced: ${total} events at ${RATE}/s → append-to-receipt latency p50 ${percentile(latencies, 50)} ms, ` +
      `p99 ${percentile(latencies, 99)} ms, max ${latencies[latencies.length - 1]} ms`,
  );

  await runner.stop();
  await delivery.close();
  await receiver.stop();
  await redis.quit();
  await pool.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
