import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { AGGREGATES, eventSchemas, sales4232Workflow, weeklyPlanSteps } from '@verity/domain';
import { happyPath } from '@verity/domain/testing/appraisal-scenario';
import { salesWithWeeklyPlans } from '@verity/domain/testing/behaviour-workflow';
import { PostgresEventStore, streamName, type EventStore } from '@verity/event-store';
import { createPool, loadConfig } from '@verity/platform';
import { newTenant, publishWorkflow } from '@verity/projections/timers/testing/timer-fixtures';
import { workerDatabaseUrl, workerRuntimeDatabaseUrl } from '../../test/support/environment';
import { manualClock } from '../../apps/worker/src/timers/clock';
import { runWeeklyStepsCatchUp } from './weekly-steps-catch-up';

/**
 * `npm run weekly-steps:catch-up` as it runs (docs/adr/0153): its own pool as the runtime role, the
 * configured store (personal data sealed), the log read to its head. An appraisal approved before
 * weekly steps gets its remaining weeks once; a second run records nothing.
 */
describe('npm run weekly-steps:catch-up', () => {
  let pool: Pool;
  let store: EventStore;

  beforeAll(() => {
    pool = createPool(workerDatabaseUrl(), 2, 'weekly-steps-catch-up-script-test');
    store = new PostgresEventStore(pool);
  });
  afterAll(() => pool.end());

  it('opens the remaining weeks of an appraisal approved before weekly steps, once', async () => {
    const tenantId = newTenant('weekly-script');
    await publishWorkflow(store, tenantId, 'weekly', {
      ...salesWithWeeklyPlans,
      steps: [...sales4232Workflow.steps, ...weeklyPlanSteps],
    });
    const streamId = streamName(AGGREGATES.appraisal, tenantId, 'ap-script');
    const approved = happyPath().approved.events.map((event) => ({
      eventId: randomUUID(),
      type: event.type,
      data: {
        ...(event.data as object),
        appraisalId: 'ap-script',
        ...(event.type === 'AppraisalOpened' ? { workflowId: 'weekly' } : {}),
      },
      metadata: {
        tenantId,
        actor: { id: 'u-hr', role: 'hr' },
        correlationId: `test-${tenantId}`,
        causationId: null,
        schemaVersion: eventSchemas[event.type].version,
      },
    }));
    await store.append(streamId, approved, { expectedRevision: 'no_stream' });

    const config = { ...loadConfig(), DATABASE_URL: workerRuntimeDatabaseUrl() };
    // Monday 30 November 2026 (2026-W49): W49–W53 are still to come.
    const clock = manualClock('2026-11-30T09:00:00.000Z');
    const first = await runWeeklyStepsCatchUp(config, { clock });
    expect(first).toMatchObject({ appraisalEvents: 1, recorded: 1, stepsOpened: 5, refused: {} });
    const instances = (await store.readStream(streamId)).flatMap((event) =>
      event.type === 'StepOpened' && (event.data as { kind: string }).kind === 'weekly-plan'
        ? [(event.data as { instance: string }).instance]
        : [],
    );
    expect(instances).toEqual(['2026-W49', '2026-W50', '2026-W51', '2026-W52', '2026-W53']);

    const second = await runWeeklyStepsCatchUp(config, { clock });
    expect(second).toMatchObject({ appraisalEvents: 1, recorded: 0, alreadySent: 1, stepsOpened: 0 });
  });
});
