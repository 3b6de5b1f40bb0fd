import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type IORedis from 'ioredis';
import type { Pool } from 'pg';
import { eventStoreOf } from '@verity/event-store';
import { CONFIG, createPool, REDIS, type Config } from '@verity/platform';
import { NodemailerEmailSender } from '../notifications/nodemailer-email-sender';
import { timerTablesWithoutForcedRls } from '@verity/projections/timers';
import { startTimers, TIMERS_POOL_IDLE_MS, type TimersRuntime } from './timers.runtime';
import { manualClock, systemClock } from './clock';
import { listenForManualClock } from './manual-clock.control';
import { errorLine } from '../log-error';

/** Two consumers (a lock connection and a read each) plus FireTimer loads and appends. */
const TIMERS_POOL_SIZE = 12;

/**
 * Reminders, deadlines and escalations in the worker (DESIGN.md, "Time"): the timers and
 * notifications consumers, the BullMQ alarm clock, FireTimer, the reconcile job, e-mail when
 * SMTP_URL is set. Shutdown stops taking jobs and finishes the ones in hand.
 */
@Injectable()
export class TimersService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Timers');
  private runtime: TimersRuntime | undefined;
  private pool: Pool | undefined;
  private stopManualClock: (() => Promise<void>) | undefined;

  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.pool = createPool(
      this.config.DATABASE_URL,
      TIMERS_POOL_SIZE,
      'verity-worker-timers',
      TIMERS_POOL_IDLE_MS,
    );
    for (const table of await timerTablesWithoutForcedRls(this.pool))
      this.logger.error(`row-level security: table ${table} lacks ENABLE + FORCE ROW LEVEL SECURITY`);
    const manual = this.config.TIMERS_CLOCK === 'manual' ? manualClock(new Date().toISOString()) : undefined;
    const clock = manual ?? systemClock;
    this.runtime = await startTimers({
      pool: this.pool,
      redis: this.redis,
      queuePrefix: this.config.REDIS_QUEUE_PREFIX,
      store: eventStoreOf(this.config, this.pool),
      clock,
      email: this.config.SMTP_URL
        ? { sender: new NodemailerEmailSender(this.config.SMTP_URL, this.config.MAIL_FROM) }
        : undefined,
      onError: (error, where) => this.logger.error(errorLine(where, error)),
    });
    if (manual)
      this.stopManualClock = await listenForManualClock(this.redis, manual, this.runtime, (error) =>
        this.logger.error(errorLine('manual clock', error)),
      );
    this.logger.log(`timers started${this.config.SMTP_URL ? ' (e-mail on)' : ' (in-app inbox only)'}`);
  }

  /** Before the platform closes Redis: stop taking jobs, finish those in hand, stop the consumers. */
  async onModuleDestroy(): Promise<void> {
    await this.stopManualClock?.();
    await this.runtime?.close();
    await this.pool?.end();
  }
}

@Module({ providers: [TimersService] })
export class TimersModule {}
