import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { WrongExpectedRevision, eventStoreOf, storedEventsOf, type EventStore } from '@verity/event-store';
import { CONFIG, PG_POOL, type Config } from '@verity/platform';
import { CheckpointSigner, signCheckpoint } from '@verity/projections';

/**
 * Signs each tenant's audit checkpoint every AUDIT_CHECKPOINT_INTERVAL_SECONDS (docs/adr/0075), so
 * the window in which hashes could be recomputed unseen is bounded without anyone asking. A tenant
 * whose log did not grow gets no new checkpoint. One worker at a time signs: a concurrent signer
 * loses on the checkpoint stream's expected revision and leaves it to the other.
 */
@Injectable()
export class AuditCheckpointsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditCheckpoints');
  private readonly signer: CheckpointSigner;
  private readonly store: EventStore;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.signer = new CheckpointSigner(config.AUDIT_SIGNING_KEY, config.AUDIT_RETIRED_PUBLIC_KEYS);
    // Checkpoints are over what is stored (ciphertext of pii included): no key is read for them.
    this.store = storedEventsOf(eventStoreOf(config, pool));
  }

  onApplicationBootstrap(): void {
    const seconds = this.config.AUDIT_CHECKPOINT_INTERVAL_SECONDS;
    if (seconds === 0) return;
    this.timer = setInterval(() => {
      this.running = this.signAll().catch((error: Error) =>
        this.logger.error(`audit checkpoints: ${error.message}`),
      );
    }, seconds * 1000);
    this.timer.unref();
  }

  /** Signs a checkpoint for each of `tenants` (default: every tenant with a stream) whose log grew. */
  async signAll(tenants?: string[], now = new Date()): Promise<{ tenantId: string; treeSize: number }[]> {
    const ids =
      tenants ??
      (
        await this.pool.query<{ tenant_id: string }>('SELECT tenant_id FROM streams GROUP BY tenant_id')
      ).rows.map((row) => row.tenant_id);
    const signed: { tenantId: string; treeSize: number }[] = [];
    for (const tenantId of ids) {
      try {
        const result = await signCheckpoint(this.store, this.signer, {
          tenantId,
          eventId: randomUUID(),
          now,
          actor: { id: 'audit-checkpoints', role: 'system' },
          correlationId: randomUUID(),
        });
        if (result?.signed) signed.push({ tenantId, treeSize: result.checkpoint.treeSize });
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
      }
    }
    return signed;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

@Module({ providers: [AuditCheckpointsService], exports: [AuditCheckpointsService] })
export class AuditCheckpointsModule {}
