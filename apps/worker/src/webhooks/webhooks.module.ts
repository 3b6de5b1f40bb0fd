import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type IORedis from 'ioredis';
import type { Pool } from 'pg';
import { ConsumerRunner, eventStoreOf } from '@verity/event-store';
import { CONFIG, PG_POOL, REDIS, type Config } from '@verity/platform';
import { parkedAlert } from '../projections/projections.module';
import { webhookDeliveriesConsumer } from './webhook-deliveries.consumer';
import { startWebhookDelivery, type WebhookDelivery } from './webhook-delivery.runtime';

/**
 * Webhook delivery in the worker: the `webhook-deliveries` consumer (rows committed with its
 * checkpoint), the dispatcher and the BullMQ processor.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private delivery: WebhookDelivery | undefined;
  private runner: ConsumerRunner | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const store = eventStoreOf(this.config, this.pool);
    this.delivery = await startWebhookDelivery({
      pool: this.pool,
      redis: this.redis,
      queuePrefix: this.config.REDIS_QUEUE_PREFIX,
      store,
      allowlist: this.config.WEBHOOK_ALLOWLIST,
    });
    this.runner = new ConsumerRunner({
      pool: this.pool,
      store,
      handler: webhookDeliveriesConsumer(this.delivery.deliveries),
      batchSize: 500,
      onParked: (notice) => this.logger.error(parkedAlert(notice)),
    });
    await this.runner.start();
    this.logger.log('webhook delivery started');
  }

  /** Before the platform closes the pool and Redis: stop taking events, finish in-flight attempts. */
  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
    await this.delivery?.close();
  }
}

@Module({ providers: [WebhookDeliveryService] })
export class WebhooksModule {}
