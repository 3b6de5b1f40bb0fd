import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { ConsumerRunner, eventStoreOf, type EventStore } from '@verity/event-store';
import { CONFIG, createPool, type Config } from '@verity/platform';
import { WorkflowVersions } from '@verity/projections/timers';
import { PROCESS_MANAGERS } from '@verity/domain';
import { systemClock } from '../timers/clock';
import { ProcessCommandSender } from './process-command.sender';
import { processManagersConsumer } from './process-managers.consumer';
import { unitResultsConsumer } from '../unit-results/unit-results.consumer';
import { errorLine } from '../log-error';

/** The runners' lock connections and reads, plus the senders' reads and appends. */
const PROCESS_MANAGERS_POOL_SIZE = 6;

/**
 * The process managers of libs/domain (a cycle opened → its appraisals; a month assessed → its
 * score) as one consumer of the log on a pool of its own. Shutdown finishes the batch in hand.
 */
@Injectable()
export class ProcessManagersService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProcessManagers');
  private runner: ConsumerRunner | undefined;
  /** Units' results fed to their heads as actuals change (ADR 0125): a consumer of its own. */
  private unitResults: ConsumerRunner | undefined;
  private pool: Pool | undefined;
  private store: EventStore | undefined;

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  async onApplicationBootstrap(): Promise<void> {
    this.pool = createPool(
      this.config.DATABASE_URL,
      PROCESS_MANAGERS_POOL_SIZE,
      'verity-worker-process-managers',
    );
    this.store = eventStoreOf(this.config, this.pool);
    const workflows = new WorkflowVersions(this.store);
    const sender = new ProcessCommandSender(this.store, workflows, systemClock);
    const handler = processManagersConsumer(sender, {
      progress: ({ tenantId, cycleId }, opened, of) =>
        this.logger.log(`cycle ${tenantId}/${cycleId}: opening ${opened} of ${of}`),
      // Codes and ids only: a command's data may carry personal data.
      refused: (manager, command, { code }) =>
        this.logger.warn(`${manager}: ${command.command.type} ${command.commandId} refused (${code})`),
    });
    this.runner = new ConsumerRunner({
      pool: this.pool,
      store: this.store,
      handler,
      batchSize: 100,
      onError: (error) => this.logger.error(errorLine('process managers', error)),
    });
    await this.runner.start();
    this.unitResults = new ConsumerRunner({
      pool: this.pool,
      store: this.store,
      handler: unitResultsConsumer(this.store, workflows, sender, {
        refused: (command, { code }) =>
          this.logger.warn(`unit-results: ${command.command.type} ${command.commandId} refused (${code})`),
      }),
      batchSize: 100,
      onError: (error) => this.logger.error(errorLine('unit results', error)),
    });
    await this.unitResults.start();
    this.logger.log(
      `process managers started: ${PROCESS_MANAGERS.map((manager) => manager.name).join(', ')}`,
    );
  }

  status() {
    return this.runner?.status();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
    await this.unitResults?.stop();
    await this.store?.close();
    await this.pool?.end();
  }
}

@Module({ providers: [ProcessManagersService], exports: [ProcessManagersService] })
export class ProcessManagersModule {}
