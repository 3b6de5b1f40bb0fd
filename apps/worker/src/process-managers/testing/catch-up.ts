import { START, type EventStore } from '@verity/event-store';
import { WorkflowVersions } from '@verity/projections/timers';
import { systemClock } from '../../timers/clock';
import { ProcessCommandSender } from '../process-command.sender';
import { processManagersConsumer } from '../process-managers.consumer';

/**
 * Hands one tenant's log to the process managers, as the worker's consumer would (API tests run
 * no worker), again until `done` holds: the log hands out an event only once every older
 * transaction of the server has ended, so a test's last command may not be readable at once.
 * Safe to repeat, like the consumer. The time limit only turns a hang into a clear message: a
 * long transaction anywhere on the server (another test run, a rebuild) holds the log back, so it
 * is generous.
 */
export async function catchUpProcessManagers(
  store: EventStore,
  tenantId: string,
  done: () => Promise<boolean>,
  timeoutMs = 45_000,
): Promise<void> {
  const handler = processManagersConsumer(
    new ProcessCommandSender(store, new WorkflowVersions(store), systemClock),
  );
  const types = new Set(handler.eventTypes);
  const deadline = Date.now() + timeoutMs;
  let after = START;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new Error(`process managers of ${tenantId}: not done in ${timeoutMs} ms`);
    const page = await store.readAll({ after, maxCount: 500, tenantId });
    // The process managers write through the store, never in the consumer's transaction.
    await handler.handle(
      page.events.filter((event) => types.has(event.type)),
      undefined as never,
    );
    if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    after = page.next;
  }
}
