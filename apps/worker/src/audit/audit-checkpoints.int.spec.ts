import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PostgresEventStore, streamName, type EventStore } from '@verity/event-store';
import { createPool, loadConfig } from '@verity/platform';
import { readCheckpoints, verifyTenantChains, CheckpointSigner } from '@verity/projections';
import { newTenant } from '@verity/projections/timers/testing/timer-fixtures';
import { eventually } from '../../../../test/support/eventually';
import { workerDatabaseUrl } from '../../../../test/support/environment';
import { AuditCheckpointsService } from './audit-checkpoints.service';

/** The worker's periodic signing, called explicitly (no timer in the test). */
describe('AuditCheckpointsService', () => {
  let pool: Pool;
  let store: EventStore;
  let service: AuditCheckpointsService;
  const config = loadConfig({ ...process.env, AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0' });

  beforeAll(() => {
    pool = createPool(workerDatabaseUrl(), 4, 'audit-checkpoints-test');
    store = new PostgresEventStore(pool);
    service = new AuditCheckpointsService(pool, config);
  });
  afterAll(() => pool.end());

  const record = (tenantId: string, n: number) =>
    store.append(
      streamName('note', tenantId, 'n'),
      [
        {
          eventId: randomUUID(),
          type: 'NoteRecorded',
          data: { n },
          metadata: {
            tenantId,
            actor: { id: 'u', role: 'hr' },
            correlationId: randomUUID(),
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'any' },
    );

  it("signs a tenant whose log grew, nothing for a quiet one, and /audit/verify's check accepts it", async () => {
    const busy = newTenant('ckpt-busy');
    const quiet = newTenant('ckpt-quiet');
    await record(busy, 1);
    await record(quiet, 1);
    // Signed only once the global read hands out the new events (older transactions ended).
    const signed = new Set<string>();
    await eventually(
      async () => {
        for (const { tenantId } of await service.signAll([busy, quiet])) signed.add(tenantId);
        return signed.size === 2;
      },
      30_000,
      'both tenants signed',
    );
    expect(await service.signAll([quiet])).toEqual([]);
    await record(busy, 2);
    const grown = await eventually(
      async () => {
        const signed = await service.signAll([busy, quiet]);
        return signed.length > 0 && signed;
      },
      30_000,
      'the grown tenant signed',
    );
    expect(grown).toEqual([{ tenantId: busy, treeSize: 3 }]);
    expect((await readCheckpoints(store, busy)).map((c) => c.treeSize)).toEqual([1, 3]);
    const signer = new CheckpointSigner(config.AUDIT_SIGNING_KEY);
    const report = await verifyTenantChains(store, busy, undefined, signer);
    expect(report).toMatchObject({ ok: true });
  });
});
