import { randomUUID } from 'node:crypto';
import { Inject, Param } from '@nestjs/common';
import { z } from 'zod';
import type { EventStore } from '@verity/event-store';
import { CONFIG, type Config } from '@verity/platform';
import {
  checkWebhookTarget,
  DEFAULT_RETRY_POLICY,
  sendWebhook,
  tenantSource,
  WebhookDeliveriesRepository,
  WebhookSubscriptionsRepository,
  WebhookTargetRefused,
} from '@verity/integrations';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/roles.decorator';
import { forbidden, notFound, Problem } from '../../errors/problem';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import { ValidBody, ValidQuery } from '../../validation/zod.pipe';
import { DeliveryLogEntryResponse, DeliveryLogResponse, DeliveryResponse } from './delivery-log.response';
import {
  CreatedSubscriptionResponse,
  ReplayResponse,
  SubscriptionListResponse,
  SubscriptionResponse,
  TestDeliveryResponse,
  WebhookNotificationsResponse,
} from './subscription.response';
import { readTenantEvents } from '../feed/tenant-events';
import {
  CreateSubscriptionRequest,
  DeliveriesQuery,
  NoOptions,
  ReplayRequest,
  UpdateSubscriptionRequest,
} from './webhook-subscription.request';
import { ApiController, routeSharing } from '../../openapi/route';

const EXAMPLE_URL = 'https://hooks.example.com/verity';
/** A route here: integrators whose key holds `webhooks:manage` (and admins) may call each. */
const WebhooksRoute = routeSharing({ roles: ['integrator'], scopes: ['webhooks:manage'] });
const noSuchSubscription = () => notFound('No such webhook subscription.');
const noSuchDelivery = () => notFound('No such delivery.');

/**
 * Webhook subscriptions of the caller's tenant, their delivery log, manual redelivery and replay.
 * Integrators need the `webhooks:manage` scope; admins may do everything.
 */
@ApiController('integrations', 'webhooks')
export class WebhookSubscriptionsController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The secret (`whsec_…`) is in this response only; keep it to verify signatures. */
  @WebhooksRoute('POST', 'subscriptions', { answer: CreatedSubscriptionResponse })
  async create(
    @CurrentPrincipal() principal: Principal,
    @ValidBody(CreateSubscriptionRequest, { url: EXAMPLE_URL, eventTypes: ['PlanApproved'] })
    body: z.output<typeof CreateSubscriptionRequest>,
  ) {
    const url = await this.checkUrl(body.url);
    this.checkPii(principal, body.includePii);
    const { subscription, secret } = await this.subscriptions.create({
      tenantId: principal.tenantId,
      url,
      eventTypes: body.eventTypes,
      includePii: body.includePii,
      createdBy: principal.subject,
    });
    return { ...subscription, secret };
  }

  @WebhooksRoute('GET', 'subscriptions', { answer: SubscriptionListResponse })
  async list(@CurrentPrincipal() principal: Principal) {
    return { items: await this.subscriptions.list(principal.tenantId) };
  }

  @WebhooksRoute('GET', 'subscriptions/:subscriptionId', { answer: SubscriptionResponse })
  async get(@CurrentPrincipal() principal: Principal, @Param('subscriptionId') subscriptionId: string) {
    return this.subscription(principal, subscriptionId);
  }

  /** Change the URL or filter, pause, or resume (`status: active`, which also restarts delivery). */
  @WebhooksRoute('PATCH', 'subscriptions/:subscriptionId', { answer: SubscriptionResponse })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('subscriptionId') subscriptionId: string,
    @ValidBody(UpdateSubscriptionRequest, { status: 'active' })
    body: z.output<typeof UpdateSubscriptionRequest>,
  ) {
    await this.subscription(principal, subscriptionId);
    const url = body.url === undefined ? undefined : await this.checkUrl(body.url);
    if (body.includePii) this.checkPii(principal, true);
    const updated = await this.subscriptions.update(principal.tenantId, subscriptionId, {
      ...body,
      ...(url === undefined ? {} : { url }),
    });
    if (!updated) throw noSuchSubscription();
    return updated;
  }

  @WebhooksRoute('DELETE', 'subscriptions/:subscriptionId', {
    answerDescription: 'Deleted; its pending deliveries are dropped',
    status: 204,
  })
  async remove(@CurrentPrincipal() principal: Principal, @Param('subscriptionId') subscriptionId: string) {
    if (!(await this.subscriptions.remove(principal.tenantId, subscriptionId))) throw noSuchSubscription();
  }

  /**
   * Sends a signed `verity.WebhookTest.v1` CloudEvent now and says whether the receiver accepted
   * it (a 2xx), nothing more: a status code, a connection error or a latency would let the caller
   * scan the addresses the allow-list opens. The delivery log of real events keeps the details.
   */
  @WebhooksRoute('POST', 'subscriptions/:subscriptionId/test', { answer: TestDeliveryResponse, status: 200 })
  async test(
    @CurrentPrincipal() principal: Principal,
    @Param('subscriptionId') subscriptionId: string,
    @ValidBody(NoOptions, {}) _body: object,
  ) {
    const subscription = await this.subscription(principal, subscriptionId);
    const secret = await this.subscriptions.secretOf(principal.tenantId, subscriptionId);
    if (!secret) throw noSuchSubscription();
    const envelope = {
      specversion: '1.0' as const,
      id: randomUUID(),
      source: tenantSource(principal.tenantId),
      type: 'verity.WebhookTest.v1',
      subject: `webhook-subscription/${subscriptionId}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json' as const,
      data: { subscriptionId },
    };
    const result = await sendWebhook(envelope, {
      url: subscription.url,
      secret,
      allowlist: this.config.WEBHOOK_ALLOWLIST,
      timeoutMs: DEFAULT_RETRY_POLICY.timeoutMs,
    });
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    return { webhookId: envelope.id, delivered };
  }

  /** Schedules the tenant's events after `after` again (ordered per stream); pages by `next` when `complete` is false. */
  @WebhooksRoute('POST', 'subscriptions/:subscriptionId/replay', { answer: ReplayResponse, status: 202 })
  async replay(
    @CurrentPrincipal() principal: Principal,
    @Param('subscriptionId') subscriptionId: string,
    @ValidBody(ReplayRequest, { after: '0' }) body: z.output<typeof ReplayRequest>,
  ) {
    const subscription = await this.subscription(principal, subscriptionId);
    const page = await readTenantEvents(this.store, {
      tenantId: principal.tenantId,
      after: body.after,
      types: subscription.eventTypes,
      limit: 1000,
    });
    const scheduled = await this.deliveries.replay(principal.tenantId, subscriptionId, page.events);
    return { scheduled, next: page.next, complete: page.end };
  }

  /** The delivery log, newest first: status, attempts, last response and latency. */
  @WebhooksRoute('GET', 'subscriptions/:subscriptionId/deliveries', { answer: DeliveryLogResponse })
  async deliveryLog(
    @CurrentPrincipal() principal: Principal,
    @Param('subscriptionId') subscriptionId: string,
    @ValidQuery(DeliveriesQuery) query: z.output<typeof DeliveriesQuery>,
  ) {
    await this.subscription(principal, subscriptionId);
    return { items: await this.deliveries.log(principal.tenantId, subscriptionId, query) };
  }

  /** One delivery with every attempt. */
  @WebhooksRoute('GET', 'deliveries/:deliveryId', { answer: DeliveryResponse })
  async delivery(@CurrentPrincipal() principal: Principal, @Param('deliveryId') deliveryId: string) {
    return (await this.deliveries.get(principal.tenantId, deliveryId)) ?? Promise.reject(noSuchDelivery());
  }

  /** Manual redelivery (e.g. of a dead letter): back to pending with a fresh retry window. */
  @WebhooksRoute('POST', 'deliveries/:deliveryId/redeliver', {
    answer: DeliveryLogEntryResponse,
    status: 202,
  })
  async redeliver(
    @CurrentPrincipal() principal: Principal,
    @Param('deliveryId') deliveryId: string,
    @ValidBody(NoOptions, {}) _body: object,
  ) {
    return (
      (await this.deliveries.redeliver(principal.tenantId, deliveryId)) ?? Promise.reject(noSuchDelivery())
    );
  }

  /** What the tenant's subscription owners were told (e.g. a subscription paused after failing for hours). */
  @WebhooksRoute('GET', 'notifications', { answer: WebhookNotificationsResponse })
  async notifications(@CurrentPrincipal() principal: Principal) {
    return { items: await this.subscriptions.notifications(principal.tenantId) };
  }

  /** The caller's tenant's subscription, or 404. */
  private async subscription(principal: Principal, subscriptionId: string) {
    const subscription = await this.subscriptions.get(principal.tenantId, subscriptionId);
    if (!subscription) throw noSuchSubscription();
    return subscription;
  }

  /** The URL as checked and as it is stored (normalised), or a 400 naming the rule it breaks. */
  private async checkUrl(url: string): Promise<string> {
    try {
      return (await checkWebhookTarget(url, this.config.WEBHOOK_ALLOWLIST)).url.href;
    } catch (error) {
      if (!(error instanceof WebhookTargetRefused)) throw error;
      throw new Problem(400, error.code, `The webhook URL is refused: ${error.message}.`, {
        errors: [{ path: 'url', rule: error.code, message: error.message }],
      });
    }
  }

  private checkPii(principal: Principal, includePii: boolean): void {
    if (includePii && !principal.scopes.includes('pii')) {
      throw forbidden('Delivering personal data (includePii) needs the pii scope.', 'scope-missing');
    }
  }
}
