import { newEvent } from '@verity/event-store/testing/event-store.contract';
import { eventually } from '../../../../test/support/eventually';
import { type RetryPolicy, WebhookSubscriptionsRepository } from '@verity/integrations';
import { WebhookReceiver, type ReceivedDelivery } from '@verity/integrations/testing/webhook-receiver';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { workerOfThisFile } from '../testing/worker-of-this-file';
import { webhookDeliveriesConsumer } from './webhook-deliveries.consumer';
import { startWebhookDelivery, type WebhookDelivery } from './webhook-delivery.runtime';
import { DeliveryResponse } from '../../../api/src/integrations/subscriptions/delivery-log.response';
import { WebhookNotificationsResponse } from '../../../api/src/integrations/subscriptions/subscription.response';

const FAST: RetryPolicy = {
  initialDelayMs: 50,
  maxDelayMs: 400,
  retryWindowMs: 60_000,
  pauseAfterMs: 60_000,
  timeoutMs: 2000,
};

/** Every stream's deliveries arrived in append order, each event exactly once. */
function expectOrderedExactlyOnce(received: ReceivedDelivery[], appended: Map<string, string[]>) {
  const ids = received.map((delivery) => delivery.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [stream, expected] of appended) {
    expect(received.filter((delivery) => delivery.subject === stream).map((delivery) => delivery.id)).toEqual(
      expected,
    );
  }
}

describe('webhook delivery (PostgreSQL, BullMQ, a real HTTP receiver)', () => {
  const file = workerOfThisFile('webhook-delivery-test', 10);
  let subscriptions: WebhookSubscriptionsRepository;
  let pump: ConsumerPump;
  let delivery: WebhookDelivery | undefined;
  const receivers: WebhookReceiver[] = [];

  beforeAll(() => {
    subscriptions = new WebhookSubscriptionsRepository(file.pool);
  });
  afterEach(async () => {
    await delivery?.close();
    delivery = undefined;
    await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
  });

  async function start(
    policy: RetryPolicy = FAST,
    lookup?: Parameters<typeof startWebhookDelivery>[0]['lookup'],
    allowlist = ['127.0.0.1/32'],
  ) {
    pump = new ConsumerPump(
      file.pool,
      file.store,
      webhookDeliveriesConsumer(
        (delivery = await startWebhookDelivery({
          pool: file.pool,
          redis: file.redis,
          store: file.store,
          allowlist,
          queuePrefix: file.queuePrefix,
          policy,
          pollIntervalMs: 50,
          concurrency: 8,
          lookup,
        })).deliveries,
      ),
    );
    await pump.drain(); // skip what earlier tests appended
  }

  async function subscribe(
    tenantId: string,
    eventTypes: string[] = [],
    url?: (receiver: WebhookReceiver) => string,
  ) {
    const created = await subscriptions.create({
      tenantId,
      url: 'http://127.0.0.1:1/',
      eventTypes,
      includePii: false,
      createdBy: 'owner-1',
    });
    const receiver = new WebhookReceiver(created.secret);
    await receiver.start();
    receivers.push(receiver);
    await subscriptions.update(tenantId, created.subscription.subscriptionId, {
      url: url ? url(receiver) : receiver.url,
    });
    return { receiver, subscriptionId: created.subscription.subscriptionId };
  }

  /** Appends `perStream` events to each of `streams` streams, interleaved, and returns the expected order. */
  async function appendInterleaved(
    tenantId: string,
    streams: number,
    perStream: number,
    type = 'AnnotationAdded',
  ) {
    const appended = new Map<string, string[]>();
    for (let n = 0; n < perStream; n++) {
      for (let s = 0; s < streams; s++) {
        const stream = `appraisal-${tenantId}.s${s}`;
        const event = newEvent(type, { n, pii: { comment: 'private words' } }, tenantId);
        await file.store.append(stream, [event], { expectedRevision: 'any' });
        appended.set(stream, [...(appended.get(stream) ?? []), event.eventId]);
      }
    }
    return appended;
  }

  it('delivers every event once, signed, in order per stream, as a CloudEvent without pii', async () => {
    await start();
    const all = await subscribe('t-order');
    const onlyPlans = await subscribe('t-order', ['PlanApproved']);
    const appended = await appendInterleaved('t-order', 4, 15);
    const plan = newEvent('PlanApproved', { appraisalId: 'a1' }, 't-order');
    await file.store.append('appraisal-t-order.s0', [plan], { expectedRevision: 'any' });
    appended.get('appraisal-t-order.s0')!.push(plan.eventId);
    await pump.drain();

    await all.receiver.waitFor((received) => received.length === 61);
    await onlyPlans.receiver.waitFor((received) => received.length === 1);
    expect(all.receiver.rejected).toEqual([]);
    expectOrderedExactlyOnce(all.receiver.received, appended);
    expect(onlyPlans.receiver.received.map((d) => d.id)).toEqual([plan.eventId]);
    const first = all.receiver.received[0];
    expect(first).toMatchObject({
      type: 'verity.AnnotationAdded.v1',
      source: '/tenants/t-order',
      signatureValid: true,
    });
    expect(first.data).toEqual({ n: 0 });

    // The receiver answers before the worker records the attempt: wait for the log to settle.
    const settled = async () =>
      (
        await file.pool.query(
          `SELECT count(*) FILTER (WHERE status = 'succeeded' AND attempts = 1 AND last_latency_ms >= 0)::int AS ok
           FROM webhook_deliveries WHERE subscription_id = $1`,
          [all.subscriptionId],
        )
      ).rows[0].ok;
    await eventually(async () => (await settled()) >= 61, 30_000, '61 deliveries recorded');
    expect(await settled()).toBe(61);
    // Nothing more arrives later (no duplicate from a stale job).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(all.receiver.received).toHaveLength(61);
  });

  it('keeps retrying while the receiver is down, then delivers everything in order per stream', async () => {
    await start();
    const { receiver, subscriptionId } = await subscribe('t-down');
    await receiver.stop();
    const appended = await appendInterleaved('t-down', 3, 8);
    await pump.drain();
    // Several failed attempts on each stream's head, none on the rest.
    const counts = await eventually(
      async () => {
        const { rows } = await file.pool.query<{ retried: number; tried: number }>(
          `SELECT count(*) FILTER (WHERE attempts >= 3)::int AS retried, count(*) FILTER (WHERE attempts > 0)::int AS tried
           FROM webhook_deliveries WHERE subscription_id = $1`,
          [subscriptionId],
        );
        return rows[0].retried === 3 && rows[0];
      },
      30_000,
      'the three stream heads retried',
    );
    expect(counts.tried).toBe(3);
    const attempts = await file.pool.query(
      `SELECT a.status_code, a.error FROM webhook_delivery_attempts a JOIN webhook_deliveries d USING (delivery_id)
       WHERE d.subscription_id = $1 LIMIT 1`,
      [subscriptionId],
    );
    expect(attempts.rows[0]).toEqual({ status_code: null, error: 'ECONNREFUSED' });

    await receiver.start();
    await receiver.waitFor((received) => received.length === 24);
    expect(receiver.rejected).toEqual([]);
    expectOrderedExactlyOnce(receiver.received, appended);
  });

  it('dead-letters after the retry window, releases the stream, redelivers by hand, and pauses a subscription failing too long', async () => {
    await start({ ...FAST, retryWindowMs: 300, pauseAfterMs: 60_000 });
    const { receiver, subscriptionId } = await subscribe('t-dead');
    let refuse = true;
    receiver.answer = (d) => ((d.data as { n: number }).n === 0 && refuse ? 422 : 200);
    const appended = await appendInterleaved('t-dead', 1, 3);
    await pump.drain();
    const [poison, ...rest] = appended.get('appraisal-t-dead.s0')!;
    await receiver.waitFor((received) => received.length === 2, 10_000);
    expect(receiver.received.map((d) => d.id)).toEqual(rest);
    const dead = await file.pool.query(
      `SELECT delivery_id, status, attempts, last_status_code FROM webhook_deliveries WHERE event_id = $1`,
      [poison],
    );
    expect(dead.rows[0]).toMatchObject({ status: 'dead', last_status_code: 422 });
    expect(dead.rows[0].attempts).toBeGreaterThan(1);

    // GET /webhooks/deliveries/{id} answers `deliveries.get`: the dead letter with its refused attempts.
    const shown = await delivery!.deliveries.get('t-dead', String(dead.rows[0].delivery_id));
    expect(shown!.attemptLog[0]).toMatchObject({ attempt: 1, statusCode: 422 });
    expect(DeliveryResponse.safeParse(shown).error?.issues).toBeUndefined();

    refuse = false;
    await delivery!.deliveries.redeliver('t-dead', String(dead.rows[0].delivery_id));
    await receiver.waitFor((received) => received.length === 3, 10_000);
    expect(receiver.received[2].id).toBe(poison);

    // A subscription with no success for longer than pauseAfterMs is paused and its owner told.
    await delivery!.close();
    await start({ ...FAST, pauseAfterMs: 200 });
    receiver.answer = () => 500;
    await appendInterleaved('t-dead', 1, 1);
    await pump.drain();
    await eventually(
      async () => (await subscriptions.get('t-dead', subscriptionId))!.status === 'paused',
      30_000,
      'the subscription paused',
    );
    const notes = await subscriptions.notifications('t-dead');
    expect(notes).toEqual([
      expect.objectContaining({ subscriptionId, recipient: 'owner-1', kind: 'subscription-paused' }),
    ]);
    expect(notes[0].detail).toMatch(/every delivery failed/);
    // GET /webhooks/notifications answers `{ items: notifications(tenant) }`: as OpenAPI describes it.
    expect(WebhookNotificationsResponse.safeParse({ items: notes }).error?.issues).toBeUndefined();
  });

  it('checks the address again at delivery time and pins the request to it', async () => {
    // hooks.verity.test is resolved by the injected lookup only: the request reaching the local
    // receiver proves it went to the checked address; the second name now points inside.
    const answers: Record<string, string> = {
      'hooks.verity.test': '127.0.0.1',
      'moved.verity.test': '10.1.2.3',
    };
    await start(FAST, async (host) => [{ address: answers[host], family: 4 }], [
      '127.0.0.1/32',
      'hooks.verity.test',
      'moved.verity.test',
    ]);
    const pinned = await subscribe('t-ssrf', ['PlanApproved'], (r) =>
      r.url.replace('127.0.0.1', 'hooks.verity.test'),
    );
    const moved = await subscribe('t-ssrf', ['PlanSubmitted'], (r) =>
      r.url.replace('127.0.0.1', 'moved.verity.test'),
    );
    const approved = newEvent('PlanApproved', {}, 't-ssrf');
    const submitted = newEvent('PlanSubmitted', {}, 't-ssrf');
    await file.store.append('appraisal-t-ssrf.a', [submitted, approved], { expectedRevision: 'any' });
    await pump.drain();
    await pinned.receiver.waitFor((received) => received.length === 1);
    const refusal = async () =>
      (
        await file.pool.query(
          `SELECT a.error FROM webhook_delivery_attempts a JOIN webhook_deliveries d USING (delivery_id)
           WHERE d.subscription_id = $1 ORDER BY a.attempt LIMIT 1`,
          [moved.subscriptionId],
        )
      ).rows[0]?.error;
    expect(await eventually(refusal, 30_000, 'the refused attempt recorded')).toMatch(
      /^refused: url resolves to 10\.1\.2\.3, a private address/,
    );
    expect(moved.receiver.received).toEqual([]);
  });
});
