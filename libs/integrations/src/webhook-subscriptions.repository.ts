import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { newWebhookSecret } from './webhook-signature';

export type SubscriptionStatus = 'active' | 'paused';

export interface WebhookSubscription {
  subscriptionId: string;
  tenantId: string;
  url: string;
  /** Empty: every event type. */
  eventTypes: string[];
  includePii: boolean;
  status: SubscriptionStatus;
  pausedReason: string | null;
  failingSince: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface SubscriptionChanges {
  url?: string;
  eventTypes?: string[];
  includePii?: boolean;
  status?: SubscriptionStatus;
}

const COLUMNS = `subscription_id, tenant_id, url, event_types, include_pii, status, paused_reason,
  failing_since, created_by, created_at, updated_at`;

function toSubscription(row: Record<string, never>): WebhookSubscription {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    subscriptionId: row.subscription_id,
    tenantId: row.tenant_id,
    url: row.url,
    eventTypes: row.event_types,
    includePii: row.include_pii,
    status: row.status,
    pausedReason: row.paused_reason,
    failingSince: iso(row.failing_since),
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids that are not uuids name no subscription (and must never reach a uuid column). */
export const isSubscriptionId = (value: string) => UUID.test(value);

/** The one place that knows the webhook_subscriptions table. Every read is scoped by tenant. */
export class WebhookSubscriptionsRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates a subscription; the secret is returned here and never again. */
  async create(input: {
    tenantId: string;
    url: string;
    eventTypes: string[];
    includePii: boolean;
    createdBy: string;
  }): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const secret = newWebhookSecret();
    const { rows } = await this.pool.query(
      `INSERT INTO webhook_subscriptions (subscription_id, tenant_id, url, event_types, include_pii, secret, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [randomUUID(), input.tenantId, input.url, input.eventTypes, input.includePii, secret, input.createdBy],
    );
    return { subscription: toSubscription(rows[0]), secret };
  }

  async list(tenantId: string): Promise<WebhookSubscription[]> {
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM webhook_subscriptions WHERE tenant_id = $1 ORDER BY created_at, subscription_id`,
      [tenantId],
    );
    return rows.map(toSubscription);
  }

  async get(tenantId: string, subscriptionId: string): Promise<WebhookSubscription | null> {
    if (!isSubscriptionId(subscriptionId)) return null;
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM webhook_subscriptions WHERE tenant_id = $1 AND subscription_id = $2`,
      [tenantId, subscriptionId],
    );
    return rows.length ? toSubscription(rows[0]) : null;
  }

  /** The signing secret, for the API's test delivery (never returned to callers). */
  async secretOf(tenantId: string, subscriptionId: string): Promise<string | null> {
    if (!isSubscriptionId(subscriptionId)) return null;
    const { rows } = await this.pool.query(
      'SELECT secret FROM webhook_subscriptions WHERE tenant_id = $1 AND subscription_id = $2',
      [tenantId, subscriptionId],
    );
    return rows[0]?.secret ?? null;
  }

  /** Resuming (status → active) clears the pause reason and the failure clock. */
  async update(
    tenantId: string,
    subscriptionId: string,
    changes: SubscriptionChanges,
  ): Promise<WebhookSubscription | null> {
    if (!isSubscriptionId(subscriptionId)) return null;
    const { rows } = await this.pool.query(
      `UPDATE webhook_subscriptions SET
         url = coalesce($3::text, url),
         event_types = coalesce($4::text[], event_types),
         include_pii = coalesce($5::boolean, include_pii),
         status = coalesce($6::text, status),
         paused_reason = CASE WHEN $6::text IS NULL THEN paused_reason WHEN $6::text = 'paused' THEN 'paused by its owner' ELSE NULL END,
         failing_since = CASE WHEN $6::text = 'active' THEN NULL ELSE failing_since END,
         updated_at = now()
       WHERE tenant_id = $1 AND subscription_id = $2 RETURNING ${COLUMNS}`,
      [
        tenantId,
        subscriptionId,
        changes.url ?? null,
        changes.eventTypes ?? null,
        changes.includePii ?? null,
        changes.status ?? null,
      ],
    );
    return rows.length ? toSubscription(rows[0]) : null;
  }

  async remove(tenantId: string, subscriptionId: string): Promise<boolean> {
    if (!isSubscriptionId(subscriptionId)) return false;
    const { rowCount } = await this.pool.query(
      'DELETE FROM webhook_subscriptions WHERE tenant_id = $1 AND subscription_id = $2',
      [tenantId, subscriptionId],
    );
    return rowCount === 1;
  }

  async notifications(tenantId: string, limit = 100) {
    const { rows } = await this.pool.query(
      `SELECT notification_id, subscription_id, recipient, kind, detail, created_at
       FROM webhook_notifications WHERE tenant_id = $1 ORDER BY notification_id DESC LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map((row) => ({
      notificationId: String(row.notification_id),
      subscriptionId: row.subscription_id as string,
      recipient: row.recipient as string,
      kind: row.kind as string,
      detail: row.detail as string,
      createdAt: (row.created_at as Date).toISOString(),
    }));
  }
}
