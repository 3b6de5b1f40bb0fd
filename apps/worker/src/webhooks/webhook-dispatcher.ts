import type { Queue } from 'bullmq';
import type { Pool, PoolClient } from 'pg';
import { DELIVERIES_CHANNEL, type DueDelivery, WebhookDeliveriesRepository } from '@verity/integrations';

export interface DeliveryJob {
  deliveryId: string;
  attempt: number;
}

/** One job per attempt; the id makes a repeated enqueue of the same attempt a no-op while the job exists. */
export const deliveryJobId = ({ deliveryId, attempt }: DeliveryJob) => `dlv-${deliveryId}-${attempt}`;

/**
 * PostgreSQL owns the schedule (which delivery is due, which is the head of its stream); Redis only
 * holds the attempts due now. The dispatcher enqueues due heads when woken by NOTIFY (new
 * deliveries committed), on a timer (retries falling due, jobs lost with Redis), and right after a
 * delivery finishes (the next one of its stream), which keeps one attempt in flight per
 * (subscription, stream).
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private listener: PoolClient | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly queue: Queue<DeliveryJob>,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly options: { pollIntervalMs: number; batchSize?: number },
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => {
      if (!this.listener) void this.listen().catch(() => undefined);
      void this.dispatchDue();
    }, this.options.pollIntervalMs);
    await this.dispatchDue();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    if (this.listener) {
      this.listener.removeAllListeners('notification');
      await this.listener.query(`UNLISTEN ${DELIVERIES_CHANNEL}`).catch(() => undefined);
      this.listener.release();
      this.listener = undefined;
    }
  }

  /** Enqueues every due head; concurrent calls coalesce into one more pass. */
  dispatchDue(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          // Heads already queued are selected again until they finish; their job ids make that a no-op.
          await this.enqueue(await this.deliveries.dueHeads(this.options.batchSize ?? 1000));
        } while (this.again && !this.stopped);
      } catch {
        // The next tick retries; a database or Redis outage must not kill the worker.
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** The next delivery of a stream, as soon as the previous one succeeded or was dead-lettered. */
  async dispatchNext(subscriptionId: string, streamId: string): Promise<void> {
    const next = await this.deliveries.headOf(subscriptionId, streamId);
    if (next) await this.enqueue([next]);
  }

  private async enqueue(due: DueDelivery[]): Promise<void> {
    if (due.length === 0) return;
    await this.queue.addBulk(
      due.map((job) => ({ name: 'deliver', data: job, opts: { jobId: deliveryJobId(job) } })),
    );
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = await this.pool.connect();
    client.on('notification', () => void this.dispatchDue());
    client.on('error', () => {
      // The connection died: drop it; the timer listens again and polling covers the gap.
      if (this.listener === client) this.listener = undefined;
      client.release(true);
    });
    await client.query(`LISTEN ${DELIVERIES_CHANNEL}`);
    this.listener = client;
  }
}
