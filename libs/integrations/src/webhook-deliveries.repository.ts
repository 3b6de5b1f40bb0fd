import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '@verity/event-store';
import type { RetryPolicy } from './retry-policy';
import { isSubscriptionId } from './webhook-subscriptions.repository';

/** Woken (LISTEN) by every transaction that created due deliveries; NOTIFY fires only on commit. */
export const DELIVERIES_CHANNEL = 'verity_webhook_deliveries';

export type DeliveryStatus = 'pending' | 'succeeded' | 'dead';

/** A delivery due now: the oldest pending one of its (subscription, stream), of an active subscription. */
export interface DueDelivery {
  deliveryId: string;
  /** The attempt the job makes (1-based). */
  attempt: number;
}

/** What the sender needs for one attempt. The event itself is read from the store, never copied here. */
export interface DeliveryToSend {
  deliveryId: string;
  tenantId: string;
  subscriptionId: string;
  streamId: string;
  streamRevision: bigint;
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  url: string;
  secret: string;
  includePii: boolean;
  subscriptionStatus: 'active' | 'paused';
}

export interface AttemptResult {
  startedAt: Date;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

export type AttemptOutcome =
  | { kind: 'succeeded' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead' }
  /** The attempt was already recorded, or the delivery moved on (redelivered, paused): nothing to do. */
  | { kind: 'stale' };

export interface DeliveryLogEntry {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  streamId: string;
  position: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  deliveredAt: string | null;
  createdAt: string;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function toLogEntry(row: Record<string, never>): DeliveryLogEntry {
  return {
    deliveryId: String(row.delivery_id),
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    streamId: row.stream_id,
    position: row.position,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastLatencyMs: row.last_latency_ms,
    deliveredAt: iso(row.delivered_at),
    createdAt: iso(row.created_at)!,
  };
}

const isDeliveryId = (value: string) => /^[1-9][0-9]{0,17}$/.test(value);

const HEADS = `
  SELECT DISTINCT ON (d.subscription_id, d.stream_id) d.delivery_id, d.attempts, d.next_attempt_at
  FROM webhook_deliveries d
  JOIN webhook_subscriptions s ON s.subscription_id = d.subscription_id AND s.status = 'active'
  WHERE d.status = 'pending' %FILTER%
  ORDER BY d.subscription_id, d.stream_id, d.stream_revision`;

/** The one place that knows the delivery tables. */
export class WebhookDeliveriesRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Creates a delivery per (matching subscription, event), inside the consumer's transaction, so
   * the rows commit with its checkpoint. Only subscriptions that existed when the event was
   * recorded get it (older history is a replay). Returns how many rows were created.
   */
  async recordEvents(tx: PoolClient, events: RecordedEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const { rowCount } = await tx.query(
      `INSERT INTO webhook_deliveries
         (subscription_id, tenant_id, event_id, event_type, stream_id, stream_revision, position, recorded_at)
       SELECT s.subscription_id, e.tenant_id, e.event_id, e.event_type, e.stream_id, e.stream_revision, e.position, e.recorded_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[])
         AS e(tenant_id, event_id, event_type, stream_id, stream_revision, position, recorded_at)
       JOIN webhook_subscriptions s ON s.tenant_id = e.tenant_id
         AND (cardinality(s.event_types) = 0 OR e.event_type = ANY (s.event_types))
         AND e.recorded_at >= s.created_at
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      columnsOf(events),
    );
    if (rowCount) await tx.query('SELECT pg_notify($1, $2)', [DELIVERIES_CHANNEL, String(rowCount)]);
    return rowCount ?? 0;
  }

  /**
   * Replays events to one subscription: new deliveries for events it never got, and finished
   * ones (succeeded or dead) reset to pending. Ordering per stream still holds (by revision).
   */
  async replay(tenantId: string, subscriptionId: string, events: RecordedEvent[]): Promise<number> {
    const mine = events.filter((event) => event.metadata.tenantId === tenantId);
    if (mine.length === 0) return 0;
    const client = await this.pool.connect();
    try {
      const { rowCount } = await client.query(
        `INSERT INTO webhook_deliveries AS d
           (subscription_id, tenant_id, event_id, event_type, stream_id, stream_revision, position, recorded_at)
         SELECT s.subscription_id, e.tenant_id, e.event_id, e.event_type, e.stream_id, e.stream_revision, e.position, e.recorded_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[])
           AS e(tenant_id, event_id, event_type, stream_id, stream_revision, position, recorded_at)
         JOIN webhook_subscriptions s ON s.tenant_id = e.tenant_id AND s.subscription_id = $8
           AND (cardinality(s.event_types) = 0 OR e.event_type = ANY (s.event_types))
         ON CONFLICT (subscription_id, event_id) DO UPDATE
           SET status = 'pending', next_attempt_at = now(), first_attempt_at = NULL
           WHERE d.status <> 'pending'`,
        [...columnsOf(mine), subscriptionId],
      );
      if (rowCount) await client.query('SELECT pg_notify($1, $2)', [DELIVERIES_CHANNEL, String(rowCount)]);
      return rowCount ?? 0;
    } finally {
      client.release();
    }
  }

  /** Deliveries due now, one per (subscription, stream): the stream's oldest pending one. */
  async dueHeads(limit: number): Promise<DueDelivery[]> {
    const { rows } = await this.pool.query(
      `SELECT delivery_id, attempts FROM (${HEADS.replace('%FILTER%', '')}) head
       WHERE next_attempt_at <= now() LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ deliveryId: String(row.delivery_id), attempt: row.attempts + 1 }));
  }

  /** The next delivery of one (subscription, stream) once the previous one finished, if it is due. */
  async headOf(subscriptionId: string, streamId: string): Promise<DueDelivery | null> {
    const { rows } = await this.pool.query(
      `SELECT delivery_id, attempts
       FROM (${HEADS.replace('%FILTER%', 'AND d.subscription_id = $1 AND d.stream_id = $2')}) head
       WHERE next_attempt_at <= now()`,
      [subscriptionId, streamId],
    );
    return rows.length ? { deliveryId: String(rows[0].delivery_id), attempt: rows[0].attempts + 1 } : null;
  }

  async toSend(deliveryId: string): Promise<DeliveryToSend | null> {
    const { rows } = await this.pool.query(
      `SELECT d.delivery_id, d.tenant_id, d.subscription_id, d.stream_id, d.stream_revision, d.event_id,
              d.status, d.attempts, s.url, s.secret, s.include_pii, s.status AS subscription_status
       FROM webhook_deliveries d JOIN webhook_subscriptions s USING (subscription_id)
       WHERE d.delivery_id = $1`,
      [deliveryId],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      deliveryId: String(row.delivery_id),
      tenantId: row.tenant_id,
      subscriptionId: row.subscription_id,
      streamId: row.stream_id,
      streamRevision: BigInt(row.stream_revision),
      eventId: row.event_id,
      status: row.status,
      attempts: row.attempts,
      url: row.url,
      secret: row.secret,
      includePii: row.include_pii,
      subscriptionStatus: row.subscription_status,
    };
  }

  /**
   * Records attempt `attempt` and decides what follows, in one transaction: success; a retry after
   * an exponential, jittered delay; dead letter once the retry window since the first attempt has
   * passed. A subscription failing with no success for `pauseAfterMs` (or answered 410 Gone) is
   * paused and its owner gets a notification.
   */
  async recordAttempt(
    deliveryId: string,
    attempt: number,
    result: AttemptResult,
    policy: RetryPolicy,
    retryDelayMs: (attempt: number) => number,
  ): Promise<AttemptOutcome & { paused: boolean }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT d.status, d.attempts, d.subscription_id, d.tenant_id,
                (now() - coalesce(d.first_attempt_at, $2::timestamptz)) >= make_interval(secs => $3::double precision / 1000) AS window_over
         FROM webhook_deliveries d WHERE d.delivery_id = $1 FOR UPDATE`,
        [deliveryId, result.startedAt, policy.retryWindowMs],
      );
      const row = rows[0];
      if (!row || row.status !== 'pending' || row.attempts !== attempt - 1) {
        await client.query('ROLLBACK');
        return { kind: 'stale', paused: false };
      }
      const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
      await client.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, status_code, error, latency_ms)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [deliveryId, attempt, result.startedAt, result.statusCode, result.error, result.latencyMs],
      );
      let outcome: AttemptOutcome;
      if (succeeded) outcome = { kind: 'succeeded' };
      else if (row.window_over) outcome = { kind: 'dead' };
      else outcome = { kind: 'retry', delayMs: retryDelayMs(attempt) };
      await client.query(
        `UPDATE webhook_deliveries SET
           status = $2, attempts = $3,
           first_attempt_at = coalesce(first_attempt_at, $4),
           last_attempt_at = $4, last_status_code = $5, last_error = $6, last_latency_ms = $7,
           delivered_at = CASE WHEN $2 = 'succeeded' THEN now() ELSE delivered_at END,
           next_attempt_at = now() + make_interval(secs => $8::double precision / 1000)
         WHERE delivery_id = $1`,
        [
          deliveryId,
          outcome.kind === 'retry' ? 'pending' : outcome.kind,
          attempt,
          result.startedAt,
          result.statusCode,
          result.error,
          result.latencyMs,
          outcome.kind === 'retry' ? outcome.delayMs : 0,
        ],
      );
      let paused = false;
      if (succeeded) {
        await client.query(
          'UPDATE webhook_subscriptions SET failing_since = NULL WHERE subscription_id = $1 AND failing_since IS NOT NULL',
          [row.subscription_id],
        );
      } else {
        paused = await this.noteFailure(client, row.subscription_id, result, policy);
      }
      await client.query('COMMIT');
      return { ...outcome, paused };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Starts the failure clock; pauses the subscription (and tells its owner) when it ran out or on 410. */
  private async noteFailure(
    tx: PoolClient,
    subscriptionId: string,
    result: AttemptResult,
    policy: RetryPolicy,
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `SELECT tenant_id, created_by, status,
              now() - coalesce(failing_since, $2) >= make_interval(secs => $3::double precision / 1000) AS failing_too_long
       FROM webhook_subscriptions WHERE subscription_id = $1 FOR UPDATE`,
      [subscriptionId, result.startedAt, policy.pauseAfterMs],
    );
    const subscription = rows[0];
    const reason =
      subscription?.status !== 'active'
        ? null
        : result.statusCode === 410
          ? 'the receiver answered 410 Gone'
          : subscription.failing_too_long
            ? `every delivery failed for ${(policy.pauseAfterMs / 3_600_000).toFixed(2)} h`
            : null;
    await tx.query(
      `UPDATE webhook_subscriptions SET failing_since = coalesce(failing_since, $2),
         status = CASE WHEN $3::text IS NULL THEN status ELSE 'paused' END,
         paused_reason = coalesce($3::text, paused_reason),
         updated_at = CASE WHEN $3::text IS NULL THEN updated_at ELSE now() END
       WHERE subscription_id = $1`,
      [subscriptionId, result.startedAt, reason],
    );
    if (!reason) return false;
    await tx.query(
      `INSERT INTO webhook_notifications (tenant_id, subscription_id, recipient, kind, detail)
       VALUES ($1, $2, $3, 'subscription-paused', $4)`,
      [
        subscription.tenant_id,
        subscriptionId,
        subscription.created_by,
        `Webhook subscription paused: ${reason}.`,
      ],
    );
    return true;
  }

  // ---- the API's view: the delivery log, manual redelivery ----

  async log(
    tenantId: string,
    subscriptionId: string,
    filter: { status?: DeliveryStatus; limit: number; before?: string },
  ): Promise<DeliveryLogEntry[]> {
    if (!isSubscriptionId(subscriptionId)) return [];
    const { rows } = await this.pool.query(
      `SELECT * FROM webhook_deliveries
       WHERE tenant_id = $1 AND subscription_id = $2 AND ($3::text IS NULL OR status = $3)
         AND ($4::bigint IS NULL OR delivery_id < $4)
       ORDER BY delivery_id DESC LIMIT $5`,
      [tenantId, subscriptionId, filter.status ?? null, filter.before ?? null, filter.limit],
    );
    return rows.map(toLogEntry);
  }

  async get(tenantId: string, deliveryId: string) {
    if (!isDeliveryId(deliveryId)) return null;
    const { rows } = await this.pool.query(
      'SELECT * FROM webhook_deliveries WHERE tenant_id = $1 AND delivery_id = $2',
      [tenantId, deliveryId],
    );
    if (rows.length === 0) return null;
    const attempts = await this.pool.query(
      `SELECT attempt, started_at, status_code, error, latency_ms FROM webhook_delivery_attempts
       WHERE delivery_id = $1 ORDER BY attempt`,
      [deliveryId],
    );
    return {
      ...toLogEntry(rows[0]),
      attemptLog: attempts.rows.map((row) => ({
        attempt: row.attempt as number,
        startedAt: (row.started_at as Date).toISOString(),
        statusCode: row.status_code as number | null,
        error: row.error as string | null,
        latencyMs: row.latency_ms as number,
      })),
    };
  }

  /** Manual redelivery: the delivery goes back to pending with a fresh retry window. */
  async redeliver(tenantId: string, deliveryId: string): Promise<DeliveryLogEntry | null> {
    if (!isDeliveryId(deliveryId)) return null;
    const { rows } = await this.pool.query(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), first_attempt_at = NULL
       WHERE tenant_id = $1 AND delivery_id = $2 RETURNING *`,
      [tenantId, deliveryId],
    );
    if (rows.length) await this.pool.query('SELECT pg_notify($1, $2)', [DELIVERIES_CHANNEL, '1']);
    return rows.length ? toLogEntry(rows[0]) : null;
  }
}

function columnsOf(events: RecordedEvent[]) {
  return [
    events.map((event) => event.metadata.tenantId),
    events.map((event) => event.eventId),
    events.map((event) => event.type),
    events.map((event) => event.streamId),
    events.map((event) => event.streamRevision.toString()),
    events.map((event) => event.position),
    events.map((event) => event.recordedAt),
  ];
}
