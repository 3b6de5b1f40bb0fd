import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig, type Config } from '@verity/platform';
import type { EventStore } from '@verity/event-store';
import { newEvent } from '@verity/event-store/testing/event-store.contract';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { eventually } from '../../../../test/support/eventually';
import { WebhookReceiver } from '@verity/integrations/testing/webhook-receiver';
import { createApi, type HttpPlatform } from '../bootstrap';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { ApiKeysRepository } from '../auth/api-keys.repository';
import { bearer, tokenFor } from '../testing/api-test-kit';
import { openEventStream } from '../testing/event-stream';
import { CatalogueResponse } from './catalogue/event-catalogue.response';
import { CloudEventResponse, EventsPageResponse } from './feed/events-feed.response';
import {
  DeliveryLogEntryResponse,
  DeliveryLogResponse,
  DeliveryResponse,
} from './subscriptions/delivery-log.response';
import {
  CreatedSubscriptionResponse,
  ReplayResponse,
  SubscriptionListResponse,
  SubscriptionResponse,
  TestDeliveryResponse,
  WebhookNotificationsResponse,
} from './subscriptions/subscription.response';

const TENANT = 'intg-a';
const OTHER = 'intg-b';

interface SseMessage {
  id?: string;
  data?: string;
  comment?: string;
}

/** A minimal SSE client over node:http: collects messages until `stopWhen` holds, then disconnects. */
function readSse(
  port: number,
  headers: Record<string, string>,
  stopWhen: (messages: SseMessage[]) => boolean,
  path?: string,
): Promise<{ status: number; messages: SseMessage[] }> {
  return new Promise((resolve, reject) => {
    const messages: SseMessage[] = [];
    const giveUp = setTimeout(() => {
      req.destroy();
      resolve({ status: -1, messages });
    }, 60_000); // an upper bound for a loaded machine: it resolves as soon as `stopWhen` holds
    const req = openEventStream(
      port,
      headers,
      (res) => {
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const message: SseMessage = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) message.comment = line.slice(1).trim();
              else if (line.startsWith('id: ')) message.id = line.slice(4);
              else if (line.startsWith('data: ')) message.data = line.slice(6);
            }
            if (message.id || message.data || message.comment) messages.push(message);
            if (stopWhen(messages)) {
              req.destroy();
              resolve({ status: res.statusCode ?? 0, messages });
              return;
            }
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, messages }));
      },
      path,
    );
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.on('close', () => clearTimeout(giveUp));
  });
}

describe('integrations API: subscriptions, pull feed, SSE, event catalogue', () => {
  let app: INestApplication;
  let config: Config;
  let store: EventStore;
  let port: number;
  let feedKey: Record<string, string>;
  let piiKey: Record<string, string>;
  let otherAdmin: Record<string, string>;
  const receiver = new WebhookReceiver(
    'whsec_' + Buffer.from('placeholder-secret-0123456789').toString('base64'),
  );

  beforeAll(async () => {
    config = loadConfig({
      DATABASE_URL: workerDatabaseUrl(),
      REDIS_URL: workerRedisUrl(),
      LOG_LEVEL: 'silent',
      WEBHOOK_ALLOWLIST: '127.0.0.1/32',
    });
    app = await createApi(config, { platform: process.env.API_TEST_PLATFORM as HttpPlatform | undefined });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    store = app.get(EVENT_STORE);
    otherAdmin = bearer(await tokenFor(config, { role: 'admin', tenant: OTHER, sub: 'admin-2' }));
    const keys = app.get(ApiKeysRepository);
    feedKey = { 'x-api-key': (await keys.create(TENANT, 'feed', ['events:read', 'webhooks:manage'])).key };
    piiKey = { 'x-api-key': (await keys.create(TENANT, 'feed+pii', ['events:read', 'pii'])).key };
    await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await app.close();
  });
  const api = () => request(app.getHttpServer());
  /** Subscribes with the feed's key; the caller says what status to expect. */
  const subscribe = (body: object) => api().post('/webhooks/subscriptions').set(feedKey).send(body);

  it('refuses bad subscriptions with a 400 naming the problem', async () => {
    const cases: [object, string, RegExp][] = [
      [{ url: 'http://hooks.example.com/verity' }, 'url-scheme-not-allowed', /must use https/],
      [{ url: 'https://10.0.0.5/hook' }, 'url-address-not-public', /10\.0\.0\.5, a private address/],
      [{ url: 'https://[::1]/hook' }, 'url-address-not-public', /::1, a loopback address/],
      [{ url: 'https://169.254.169.254/latest' }, 'url-address-not-public', /linkLocal/],
      [{ url: 'https://user:pw@hooks.example.com/' }, 'url-credentials-not-allowed', /credentials/],
      [{ url: 'not a url' }, 'url-invalid', /absolute URL/],
    ];
    for (const [body, code, message] of cases) {
      const response = await subscribe(body).expect(400);
      expect(response.headers['content-type']).toMatch(/problem\+json|json/);
      expect(response.body).toMatchObject({ code, errors: [{ path: 'url', rule: code }] });
      expect(response.body.detail).toMatch(message);
    }
    const unknownType = await subscribe({
      url: receiver.url,
      eventTypes: ['PlanApproved', 'PlanTeleported'],
    }).expect(400);
    expect(unknownType.body.errors).toEqual([
      expect.objectContaining({
        path: 'eventTypes.1',
        message: '"PlanTeleported" is not a Verity event type',
      }),
    ]);
    // includePii needs the pii scope.
    await subscribe({ url: receiver.url, includePii: true }).expect(403);
  });

  it('creates a subscription (secret shown once), tests it with a signed delivery, pauses and resumes it, scoped to the tenant', async () => {
    const created = await subscribe({ url: receiver.url, eventTypes: ['PlanApproved'] }).expect(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(CreatedSubscriptionResponse.safeParse(created.body).error?.issues).toBeUndefined();
    const id = created.body.subscriptionId;
    const shown = await api().get(`/webhooks/subscriptions/${id}`).set(feedKey).expect(200);
    expect(shown.body).toMatchObject({ url: receiver.url, eventTypes: ['PlanApproved'], status: 'active' });
    expect(shown.body.secret).toBeUndefined();
    expect(SubscriptionResponse.safeParse(shown.body).error?.issues).toBeUndefined();
    const listed = (await api().get('/webhooks/subscriptions').set(feedKey).expect(200)).body;
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    // The list is what the OpenAPI document (and the web app's generated types) says it is.
    expect(SubscriptionListResponse.safeParse(listed).error?.issues).toBeUndefined();

    // Test delivery: the receiver verifies it with the secret from the create response.
    const testReceiver = new WebhookReceiver(created.body.secret);
    await testReceiver.start();
    await api()
      .patch(`/webhooks/subscriptions/${id}`)
      .set(feedKey)
      .send({ url: testReceiver.url })
      .expect(200);
    const test = await api().post(`/webhooks/subscriptions/${id}/test`).set(feedKey).send({}).expect(200);
    expect(test.body).toEqual({ webhookId: expect.any(String), delivered: true });
    expect(TestDeliveryResponse.safeParse(test.body).error?.issues).toBeUndefined();
    expect(testReceiver.rejected).toEqual([]);
    expect(testReceiver.received).toEqual([
      expect.objectContaining({
        id: test.body.webhookId,
        type: 'verity.WebhookTest.v1',
        source: `/tenants/${TENANT}`,
      }),
    ]);
    await testReceiver.stop();

    const paused = await api()
      .patch(`/webhooks/subscriptions/${id}`)
      .set(feedKey)
      .send({ status: 'paused' })
      .expect(200);
    expect(paused.body).toMatchObject({ status: 'paused', pausedReason: 'paused by its owner' });
    expect(SubscriptionResponse.safeParse(paused.body).error?.issues).toBeUndefined();
    const resumed = await api()
      .patch(`/webhooks/subscriptions/${id}`)
      .set(feedKey)
      .send({ status: 'active' })
      .expect(200);
    expect(resumed.body).toMatchObject({ status: 'active', pausedReason: null });
    // Pausing by hand tells nobody: only the worker's pause after failures does (checked in its own test).
    const notifications = await api().get('/webhooks/notifications').set(feedKey).expect(200);
    expect(notifications.body).toEqual({ items: [] });
    expect(WebhookNotificationsResponse.safeParse(notifications.body).error?.issues).toBeUndefined();

    // Another tenant sees none of it.
    await api().get(`/webhooks/subscriptions/${id}`).set(otherAdmin).expect(404);
    await api().post(`/webhooks/subscriptions/${id}/test`).set(otherAdmin).send({}).expect(404);
    expect((await api().get('/webhooks/subscriptions').set(otherAdmin).expect(200)).body.items).toEqual([]);
    await api().get(`/webhooks/subscriptions/${id}/deliveries`).set(feedKey).expect(200);
    await api().delete(`/webhooks/subscriptions/${id}`).set(otherAdmin).expect(404);
    await api().delete(`/webhooks/subscriptions/${id}`).set(feedKey).expect(204);
  });

  it('serves the feed as CloudEvents pages with the next position, filtered by tenant, type and pii scope', async () => {
    const mine: string[] = [];
    for (let n = 0; n < 7; n++) {
      const event = newEvent(
        n % 2 ? 'PlanApproved' : 'AnnotationAdded',
        { n, pii: { comment: 'secret words' } },
        TENANT,
      );
      await store.append(`appraisal-${TENANT}.feed`, [event], { expectedRevision: 'any' });
      await store.append(`appraisal-${OTHER}.feed`, [newEvent('PlanApproved', { n }, OTHER)], {
        expectedRevision: 'any',
      });
      mine.push(event.eventId);
    }
    const seen: string[] = [];
    let after = '0';
    // Page until all of ours came; an empty page is retried (another test database's open
    // transaction can keep committed events unreadable for a moment, docs/adr/0005).
    await eventually(
      async () => {
        const response = await api().get(`/events?after=${after}&limit=3`).set(feedKey).expect(200);
        expect(EventsPageResponse.safeParse(response.body).error?.issues).toBeUndefined();
        const events = response.body.events as { id: string; source: string; data: { pii?: unknown } }[];
        for (const event of events) {
          expect(event.source).toBe(`/tenants/${TENANT}`);
          expect(event.data.pii).toBeUndefined();
        }
        seen.push(...events.map((event) => event.id));
        after = response.body.next;
        return mine.every((id) => seen.includes(id));
      },
      30_000,
      'every event of ours in the feed',
    );
    expect(seen.filter((id) => mine.includes(id))).toEqual(mine);

    const plans = await api().get('/events?types=PlanApproved&limit=100').set(piiKey).expect(200);
    expect(EventsPageResponse.safeParse(plans.body).error?.issues).toBeUndefined();
    const planEvents = plans.body.events.filter((e: { id: string }) => mine.includes(e.id));
    expect(planEvents).toHaveLength(3);
    expect(planEvents[0]).toMatchObject({
      specversion: '1.0',
      type: 'verity.PlanApproved.v1',
      subject: `appraisal-${TENANT}.feed`,
      data: { n: 1, pii: { comment: 'secret words' } },
    });
    const bad = await api().get('/events?types=PlanTeleported').set(feedKey).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ path: 'types' });
    expect(bad.body.errors[0].message).toMatch(/PlanTeleported/);
    // Callers without events:read (an integrator key lacking the scope) or the right role are refused.
    const keys = app.get(ApiKeysRepository);
    const noScope = { 'x-api-key': (await keys.create(TENANT, 'no-scope', ['webhooks:manage'])).key };
    await api().get('/events').set(noScope).expect(403);
    const employee = bearer(await tokenFor(config, { role: 'employee', tenant: TENANT, sub: 'e-1' }));
    await api().get('/events').set(employee).expect(403);
  });

  it('streams SSE with heartbeats; a client that disconnects mid-stream resumes with Last-Event-ID without gap or duplicate', async () => {
    const stream = `appraisal-${TENANT}.sse`;
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) {
      const event = newEvent('AnnotationAdded', { n }, TENANT);
      await store.append(stream, [event], { expectedRevision: 'any' });
      ids.push(event.eventId);
    }
    const isOurs = (m: SseMessage) => m.data !== undefined && ids.includes(JSON.parse(m.data).id);
    // First connection: leave after 4 of ours.
    const first = await readSse(port, feedKey, (messages) => messages.filter(isOurs).length === 4);
    expect(first.status).toBe(200);
    const firstOurs = first.messages.filter(isOurs);
    const lastId = firstOurs[3].id!;
    // Meanwhile more events are appended.
    for (let n = 10; n < 14; n++) {
      const event = newEvent('AnnotationAdded', { n }, TENANT);
      await store.append(stream, [event], { expectedRevision: 'any' });
      ids.push(event.eventId);
    }
    const second = await readSse(
      port,
      { ...feedKey, 'last-event-id': lastId },
      (messages) => messages.filter(isOurs).length === 10 && messages.some((m) => m.comment === 'heartbeat'),
    );
    const received = [...firstOurs, ...second.messages.filter(isOurs)].map((m) => JSON.parse(m.data!).id);
    expect(received).toEqual(ids);
    // Each event's data line is the CloudEvent OpenAPI describes for the stream.
    for (const message of [...first.messages, ...second.messages].filter((m) => m.data !== undefined))
      expect(CloudEventResponse.safeParse(JSON.parse(message.data!)).error?.issues).toBeUndefined();
    expect(second.messages.some((m) => m.comment === 'heartbeat')).toBe(true);
    // Every message's id is the position to resume from; a stream for another tenant sees none of ours.
    const other = await readSse(port, otherAdmin, (messages) =>
      messages.some((m) => m.comment === 'heartbeat'),
    );
    expect(other.messages.filter(isOurs)).toEqual([]);
    // Without Accept: text/event-stream → 406, not a hanging request.
    await api().get('/events/stream').set(feedKey).expect(406);
  }, 200_000);

  it('publishes the event catalogue: a JSON Schema per event type and version', async () => {
    const response = await api().get('/events/schemas').set(feedKey).expect(200);
    expect(CatalogueResponse.safeParse(response.body).error?.issues).toBeUndefined();
    const plan = response.body.items.find((item: { type: string }) => item.type === 'PlanApproved');
    expect(plan).toMatchObject({
      version: 1,
      cloudEventType: 'verity.PlanApproved.v1',
      current: true,
      aggregate: 'appraisal',
    });
    expect(plan.schema).toMatchObject({ type: 'object' });
    expect(response.body.items.length).toBeGreaterThan(40);
  });

  it('replays a subscription from a position (deliveries created in the worker’s table, ordered per stream)', async () => {
    const created = await subscribe({ url: receiver.url, eventTypes: ['PlanApproved'] }).expect(201);
    const replay = await api()
      .post(`/webhooks/subscriptions/${created.body.subscriptionId}/replay`)
      .set(feedKey)
      .send({ after: '0' })
      .expect(202);
    expect(replay.body).toMatchObject({ scheduled: 3, complete: true });
    expect(ReplayResponse.safeParse(replay.body).error?.issues).toBeUndefined();
    const log = await api()
      .get(`/webhooks/subscriptions/${created.body.subscriptionId}/deliveries`)
      .set(feedKey)
      .expect(200);
    expect(log.body.items).toHaveLength(3);
    // The answer is what the OpenAPI document (and the web app's generated types) says it is.
    expect(DeliveryLogResponse.safeParse(log.body).error?.issues).toBeUndefined();
    expect(
      log.body.items.every(
        (item: { status: string; eventType: string }) =>
          item.status === 'pending' && item.eventType === 'PlanApproved',
      ),
    ).toBe(true);
    const one = await api()
      .get(`/webhooks/deliveries/${log.body.items[0].deliveryId}`)
      .set(feedKey)
      .expect(200);
    expect(one.body).toMatchObject({ attempts: 0, attemptLog: [] });
    expect(DeliveryResponse.safeParse(one.body).error?.issues).toBeUndefined();
    await api().get(`/webhooks/deliveries/${log.body.items[0].deliveryId}`).set(otherAdmin).expect(404);
    await api()
      .post(`/webhooks/deliveries/${log.body.items[0].deliveryId}/redeliver`)
      .set(otherAdmin)
      .send({})
      .expect(404);
    const redelivered = await api()
      .post(`/webhooks/deliveries/${log.body.items[0].deliveryId}/redeliver`)
      .set(feedKey)
      .send({})
      .expect(202);
    expect(DeliveryLogEntryResponse.safeParse(redelivered.body).error?.issues).toBeUndefined();
    expect(redelivered.body).toMatchObject({ deliveryId: log.body.items[0].deliveryId, status: 'pending' });
  });
});
