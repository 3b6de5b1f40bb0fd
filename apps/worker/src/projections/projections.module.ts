import {
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import type { Pool } from 'pg';
import {
  ConsumerRunner,
  eventStoreOf,
  eventsAheadOfTransactionCounter,
  type EventStore,
  type ParkedNotice,
} from '@verity/event-store';
import { CONFIG, PG_POOL, createPool, type Config } from '@verity/platform';
import { PROJECTIONS, rowLevelSecurityProblems } from '@verity/projections';
import { registerConsumerLagGauges } from './consumer-lag.metrics';
import { errorLine } from '../log-error';

/** Each runner holds one connection for its lock and batches, and briefly one more to read the log. */
export const PROJECTION_POOL_SIZE = PROJECTIONS.length * 2;

/**
 * Projections in the worker: one ConsumerRunner per read model (audit, score, inbox), on a pool of
 * their own sized for them, so webhook delivery and timers never wait behind a runner's held
 * connection. At start it checks that row-level security applies to the app role (DESIGN.md
 * pitfall) and registers the consumer-lag gauges.
 */
@Injectable()
export class ProjectionsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  private readonly runners: ConsumerRunner[] = [];
  private projectionPool: Pool | undefined;
  private store: EventStore | undefined;
  private unregisterGauges: (() => void) | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const problem of await rowLevelSecurityProblems(this.pool))
      this.logger.error(`row-level security: ${problem}`);
    const ahead = await eventsAheadOfTransactionCounter(this.pool);
    if (ahead)
      this.logger.error(
        `event store: stored transaction ids reach ${ahead.newestStored} but the server's next is ${ahead.serverNext}; ` +
          'no consumer will see these events (a restore into another cluster? see docs/operations.md)',
      );
    this.unregisterGauges = registerConsumerLagGauges(this.pool);
  }

  async onApplicationBootstrap(): Promise<void> {
    const pool = createPool(this.config.DATABASE_URL, PROJECTION_POOL_SIZE, 'verity-worker-projections');
    this.projectionPool = pool;
    // The log from the configured store; checkpoints and read models are always in PostgreSQL.
    const store = eventStoreOf(this.config, pool);
    this.store = store;
    for (const handler of PROJECTIONS) {
      const runner = new ConsumerRunner({
        pool,
        store,
        handler,
        batchSize: 500,
        // A rebuild or a start behind the head reads 5,000 events per transaction (ADR 0156).
        catchUpBatchSize: handler.derivedOnly ? 5_000 : undefined,
        onError: (error) => this.logger.error(errorLine(`projection ${handler.name}`, error)),
        onParked: (notice) => this.logger.error(parkedAlert(notice)),
      });
      this.runners.push(runner);
      await runner.start();
    }
    this.logger.log(`projections started: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  }

  /** The runners' state, for tests and diagnostics. */
  status() {
    return this.runners.map((runner) => runner.status());
  }

  /** Before the platform closes its pool: finish the batches in hand, release locks and connections. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.runners.length = 0;
    await this.store?.close();
    await this.projectionPool?.end();
    this.unregisterGauges?.();
  }
}

/** The alert line for a parked stream: ids, the error and what to do (docs/operations.md). */
export function parkedAlert(notice: ParkedNotice): string {
  return (
    `ALERT consumer ${notice.consumer} parked stream ${notice.streamId} (tenant ${notice.tenantId}) at event ` +
    `${notice.eventId} (${notice.eventType}), attempt ${notice.attempts}: ${notice.error}; other streams go on. ` +
    `\`npm run parked -- list\`, then \`retry\` or \`skip\``
  );
}

@Module({ providers: [ProjectionsService], exports: [ProjectionsService] })
export class ProjectionsModule {}
