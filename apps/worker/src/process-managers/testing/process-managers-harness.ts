import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { AGGREGATES, eventSchemas, type PinnedWorkflow } from '@verity/domain';
import { cycleOpened } from '@verity/domain/testing/cycle-scenario';
import {
  ConsumerRunner,
  streamName,
  type ConsumerHandler,
  type EventStore,
  type NewEvent,
} from '@verity/event-store';
import { WorkflowVersions } from '@verity/projections/timers';
import { systemClock } from '../../timers/clock';
import { ProcessCommandSender } from '../process-command.sender';
import { processManagersConsumer, type ProcessManagerReport } from '../process-managers.consumer';

/*
 * The worker's process managers over the real store and runner, for the integration tests of one
 * file (process-managers.int.spec.ts, cycle-membership.int.spec.ts): the tests share the file's
 * database, so each runs on tenants of its own and a runner sees only its tenant's events.
 */

/** Events as HR's requests append them in the tenant's name. */
export const asHr = (tenantId: string, events: { type: string; data: unknown }[]): NewEvent[] =>
  events.map((event) => ({
    eventId: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: {
      tenantId,
      actor: { id: 'u-hr', role: 'hr' },
      correlationId: `test-${tenantId}`,
      causationId: null,
      schemaVersion: eventSchemas[event.type as keyof typeof eventSchemas].version,
    },
  }));

/**
 * HR opens cycle c2026 of 2026 under `workflow` over the employees given (as the API does, one
 * appraisal each, its id new): resolves with the appraisals, in the order given.
 */
export async function openCycle(
  store: EventStore,
  tenantId: string,
  workflow: PinnedWorkflow,
  employees: { employeeId: string; orgUnitId: string }[],
): Promise<{ appraisalId: string; subject: { kind: 'employee'; employeeId: string; orgUnitId: string } }[]> {
  const appraisals = employees.map(({ employeeId, orgUnitId }) => ({
    appraisalId: randomUUID(),
    subject: { kind: 'employee' as const, employeeId, orgUnitId },
  }));
  const opened = cycleOpened({ workflow, appraisals, at: new Date().toISOString() });
  await store.append(streamName(AGGREGATES.cycle, tenantId, 'c2026'), asHr(tenantId, [opened]), {
    expectedRevision: 'no_stream',
  });
  return appraisals;
}

/**
 * The worker's process-managers consumer, its commands sent through `sendThrough` (the store
 * unless given one that fails) and read against the store's workflow versions.
 */
export const processManagers = (
  store: EventStore,
  report?: ProcessManagerReport,
  sendThrough: EventStore = store,
) =>
  processManagersConsumer(
    new ProcessCommandSender(sendThrough, new WorkflowVersions(store), systemClock),
    report,
  );

/** A runner of `handler` under a consumer name of its own (`name`), over the tenant's events only. */
export function tenantRunner(
  pool: Pool,
  store: EventStore,
  tenantId: string,
  handler: ConsumerHandler,
  name = tenantId,
): ConsumerRunner {
  return new ConsumerRunner({
    pool,
    store,
    batchSize: 100,
    idleDelayMs: { min: 5, max: 20 },
    handler: {
      name: `${handler.name}-${name}`,
      eventTypes: handler.eventTypes,
      handle: (events, tx) =>
        handler.handle(
          events.filter((event) => event.metadata.tenantId === tenantId),
          tx,
        ),
    },
  });
}
