import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { createPool, inTenantTransaction } from '@verity/platform';
import { sales4232Workflow } from '@verity/domain';
import { readConsumerLag, requestRebuild } from '@verity/event-store';
import { WebhookReceiver } from '@verity/integrations/testing/webhook-receiver';
import { TestApiClient, type Caller } from '../support/api-client';
import { FaultProxy } from '../support/fault-proxy';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { workerDatabaseUrl, workerRedisUrl } from '../support/environment';

/**
 * The API and the worker as real processes, under a steady load of commands (each with its own
 * Idempotency-Key, retried by the client until acknowledged, as a client should) and with webhook
 * deliveries in flight, while PostgreSQL and Redis fail under them. The shared servers keep
 * running: the processes reach them through fault-injecting proxies that cut connections, refuse
 * new ones or add latency. After each fault: no process exited and /health came back; at the end:
 * no acknowledged write lost or doubled, every event delivered to the webhook, and the audit read
 * model equal to its rebuild. Recovery times and counts are printed, never asserted (a busy machine
 * must not fail the test).
 */
const TENANT = `outages-${randomUUID().slice(0, 8)}`;
const CLIENTS = 4;
const PAUSE_BETWEEN_COMMANDS_MS = 50;
const FAULT_MS = 3_000;

interface FaultReport {
  fault: string;
  healthBackMs: number | null;
  firstAckAfterMs: number | null;
  statuses: Record<string, number>;
}

describe('outages of PostgreSQL and Redis under load', () => {
  let pgProxy: FaultProxy;
  let redisProxy: FaultProxy;
  let stack: Stack;
  let receiver: WebhookReceiver;
  let direct: Pool;
  let http: TestApiClient;

  beforeAll(async () => {
    const pg = new URL(workerDatabaseUrl());
    const redis = new URL(workerRedisUrl());
    pgProxy = await FaultProxy.start({ host: pg.hostname, port: Number(pg.port || 5432) });
    redisProxy = await FaultProxy.start({ host: redis.hostname, port: Number(redis.port || 6379) });
    direct = createPool(workerDatabaseUrl(), 4, 'outages-e2e');
    stack = await startStack({
      env: {
        DATABASE_URL: pgProxy.via(workerDatabaseUrl()),
        REDIS_URL: redisProxy.via(workerRedisUrl()),
        WEBHOOK_ALLOWLIST: '127.0.0.1/32',
      },
      // The API's request lines would fill the test's memory; the worker's 'worker ready' is at info.
      apiEnv: { LOG_LEVEL: 'warn' },
    });
    http = new TestApiClient(stack.base, TENANT);
  });

  afterAll(async () => {
    await pgProxy?.heal();
    await redisProxy?.heal();
    await stack?.stop();
    await receiver?.stop();
    await direct?.end();
    await Promise.all([pgProxy?.stop(), redisProxy?.stop()]);
  });

  const owner: Caller = { role: 'process-owner' };
  const admin: Caller = { role: 'admin' };
  /** A client gives up on one request after 30 s and sends it again. */
  const post = <T = Record<string, unknown>>(
    path: string,
    who: Caller,
    body: unknown,
    headers: Record<string, string> = {},
  ) => http.call<T>('POST', path, who, body, { headers, timeoutMs: 30_000 });

  // ---- the load: each client publishes version 1 of a new workflow, again and again ----

  const acknowledged = new Set<string>();
  /** Keys whose first answer was 503 outcome-unknown (the write may have happened). */
  const unknownOutcome = new Set<string>();
  let statuses: Record<string, number> = {};
  let firstAckAt: number | null = null;
  let loadRunning = false;

  async function publishUntilAcknowledged(workflowId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let status: string;
      let retryAfterMs = 200;
      try {
        const response = await post(
          `/workflows/${workflowId}/versions`,
          owner,
          { definition: sales4232Workflow },
          { 'idempotency-key': `publish-${workflowId}` },
        );
        status = response.status < 300 ? '2xx' : `${response.status} ${response.body.code}`;
        if (response.body.code === 'outcome-unknown') unknownOutcome.add(workflowId);
        const retryAfter = Number(response.headers.get('retry-after'));
        // A client honours Retry-After; capped here so a 30 s claim is retried as soon as it lapses.
        if (retryAfter > 0) retryAfterMs = Math.min(retryAfter, 2) * 1000;
      } catch (error) {
        status = `no answer (${(error as Error).name})`;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === '2xx') {
        acknowledged.add(workflowId);
        firstAckAt ??= Date.now();
        return;
      }
      if (attempt > 200) throw new Error(`${workflowId} never acknowledged: last ${status}`);
      await sleep(retryAfterMs);
    }
  }

  let load: Promise<void> | undefined;
  function startLoad(): void {
    loadRunning = true;
    load = Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let n = 0; loadRunning; n++) {
          await publishUntilAcknowledged(`wf-${client}-${n}`);
          await sleep(PAUSE_BETWEEN_COMMANDS_MS);
        }
      }),
    ).then(() => undefined);
  }

  async function healthBackMs(since: number): Promise<number | null> {
    try {
      await eventually(
        async () =>
          (await fetch(`${stack.base}/health`, { signal: AbortSignal.timeout(5_000) })).status === 200,
        60_000,
        'healthy again',
      );
      return Date.now() - since;
    } catch {
      return null;
    }
  }

  const reports: FaultReport[] = [];
  /** Runs one fault for FAULT_MS under load, heals it, and measures the way back. */
  async function underFault(fault: string, inject: () => Promise<unknown>, heal: () => Promise<void>) {
    statuses = {};
    await inject();
    await sleep(FAULT_MS);
    await heal();
    const healed = Date.now();
    firstAckAt = null;
    const health = await healthBackMs(healed);
    await eventually(async () => firstAckAt !== null, 60_000, `a command acknowledged after ${fault}`);
    reports.push({ fault, healthBackMs: health, firstAckAfterMs: firstAckAt! - healed, statuses });
    // Both processes are still the ones started: nothing exited.
    expect(stack.api.process.exitCode).toBeNull();
    expect(stack.worker().process.exitCode).toBeNull();
    expect(health).not.toBeNull();
    await sleep(1_000);
  }

  it('keeps both processes up, loses and doubles nothing, and delivers every event', async () => {
    expect((await post('/directory/tenant', admin, { name: 'Outages' })).status).toBe(201);
    const apiKey = await post<{ key: string }>('/api-keys', admin, {
      name: 'receiver',
      scopes: ['events:read', 'webhooks:manage'],
    });
    expect(apiKey.status).toBeLessThan(300);
    const integrator: Caller = { apiKey: apiKey.body.key };
    const subscription = await post<{ subscriptionId: string; secret: string }>(
      '/webhooks/subscriptions',
      integrator,
      {
        url: 'http://127.0.0.1:1/placeholder',
        eventTypes: [],
      },
    );
    expect(subscription.status).toBeLessThan(300);
    receiver = new WebhookReceiver(subscription.body.secret);
    await receiver.start();
    const patched = await http.call(
      'PATCH',
      `/webhooks/subscriptions/${subscription.body.subscriptionId}`,
      integrator,
      {
        url: receiver.url,
      },
    );
    expect(patched.status).toBe(200);

    startLoad();
    await eventually(async () => acknowledged.size >= 20, 60_000, 'the load running');

    await underFault(
      'PostgreSQL stopped (connections cut, new ones refused)',
      () => pgProxy.outage(),
      () => pgProxy.heal(),
    );
    await underFault(
      'PostgreSQL restarted (connections cut, new ones accepted)',
      async () => pgProxy.dropConnections(),
      async () => undefined,
    );
    await underFault(
      'PostgreSQL slow (300 ms each way)',
      async () => pgProxy.setLatency(300),
      () => pgProxy.heal(),
    );
    await underFault(
      'Redis stopped (connections cut, new ones refused)',
      () => redisProxy.outage(),
      () => redisProxy.heal(),
    );
    await underFault(
      'Redis paused (500 ms each way)',
      async () => redisProxy.setLatency(500),
      () => redisProxy.heal(),
    );

    loadRunning = false;
    await load;

    // Every acknowledged write is in the log exactly once; nothing else of this tenant is doubled.
    const { rows } = await direct.query<{ stream_id: string; events: number }>(
      `SELECT stream_id, count(*)::int AS events FROM events
       WHERE tenant_id = $1 AND type = 'WorkflowVersionPublished' GROUP BY stream_id`,
      [TENANT],
    );
    const stored = new Map(rows.map((row) => [row.stream_id.replace(`workflow-${TENANT}.`, ''), row.events]));
    const lost = [...acknowledged].filter((id) => !stored.has(id));
    const doubled = [...stored].filter(([, events]) => events > 1).map(([id]) => id);
    const unacknowledged = [...stored.keys()].filter((id) => !acknowledged.has(id));

    // Every event of the tenant since the subscription reaches the receiver (at least once).
    const { rows: tenantEvents } = await direct.query<{ event_id: string }>(
      `SELECT event_id::text FROM events e JOIN webhook_subscriptions s ON s.subscription_id = $2
       WHERE e.tenant_id = $1 AND e.recorded_at >= s.created_at`,
      [TENANT, subscription.body.subscriptionId],
    );
    await eventually(
      async () => {
        const received = new Set(receiver.received.map((delivery) => delivery.id));
        return tenantEvents.every((event) => received.has(event.event_id));
      },
      120_000,
      'every event delivered',
    );
    const deliveries = new Map<string, number>();
    for (const delivery of receiver.received)
      deliveries.set(delivery.id, (deliveries.get(delivery.id) ?? 0) + 1);
    const deliveredTwice = [...deliveries.values()].filter((count) => count > 1).length;

    // The audit read model equals its rebuild from the log.
    await eventually(
      async () => (await readConsumerLag(direct)).every((lag) => lag.events === 0),
      120_000,
      'consumers caught up',
    );
    const auditRows = () =>
      inTenantTransaction(direct, TENANT, async (client) =>
        (
          await client.query(
            `SELECT position::text, event_id, stream_id, stream_revision::text, type, actor_id, actor_role, correlation_id, appraisal_id
             FROM audit_entries ORDER BY position`,
          )
        ).rows.map((row) => JSON.stringify(row)),
      );
    const before = await auditRows();
    await requestRebuild(direct, 'audit');
    await eventually(
      async () => {
        const [audit] = await readConsumerLag(direct, ['audit']);
        return !audit.rebuildRequested && audit.events === 0;
      },
      120_000,
      'the audit rebuild',
    );
    const after = await auditRows();

    console.log(
      [
        'Outages under load (recovery measured from the moment the fault was healed):',
        ...reports.map(
          (report) =>
            `- ${report.fault}: /health 200 after ${report.healthBackMs} ms, first command acknowledged after ` +
            `${report.firstAckAfterMs} ms; answers during the fault and recovery: ${JSON.stringify(report.statuses)}`,
        ),
        `Totals: ${acknowledged.size} acknowledged, ${lost.length} lost, ${doubled.length} duplicated, ` +
          `${unacknowledged.length} stored but unacknowledged, ${unknownOutcome.size} answered outcome-unknown ` +
          `first; ${tenantEvents.length} events delivered, ${deliveredTwice} of them twice or more ` +
          `(same webhook-id); audit ${before.length} rows before and ${after.length} after the rebuild.`,
      ].join('\n'),
    );

    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
    expect(unacknowledged).toEqual([]);
    const { rows: all } = await direct.query<{ events: number }>(
      'SELECT count(*)::int AS events FROM events WHERE tenant_id = $1',
      [TENANT],
    );
    expect(before.length).toBe(all[0].events);
    expect(after).toEqual(before);
    expect(receiver.rejected).toEqual([]);
    expect(stack.api.process.exitCode).toBeNull();
    expect(stack.worker().process.exitCode).toBeNull();
    expect(stack.worker().output()).not.toContain("Unhandled 'error' event");
    // A dependency away is never a 500.
    for (const report of reports)
      expect(Object.keys(report.statuses).filter((status) => status.startsWith('500'))).toEqual([]);
  });
});
