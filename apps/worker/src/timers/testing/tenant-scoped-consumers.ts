import type { Pool } from 'pg';
import { ConsumerRunner, type ConsumerHandler, type EventStore } from '@verity/event-store';
import { startTimers, type TimersRuntime, type TimersRuntimeOptions } from '../timers.runtime';

/**
 * Runs the runtime's consumers over the tenants a test made only, under names of their own: the
 * per-worker test database holds other test files' appraisals, whose timers are not this test's.
 */
export async function startTenantScopedConsumers(
  runtime: TimersRuntime,
  options: { pool: Pool; store: EventStore; tenantPrefix: string; name: string },
): Promise<{ stop(): Promise<void> }> {
  const scoped = (handler: ConsumerHandler): ConsumerHandler => ({
    name: `${handler.name}-${options.name}`,
    eventTypes: handler.eventTypes,
    reset: handler.reset,
    handle: (events, tx) =>
      handler.handle(
        events.filter((event) => event.metadata.tenantId.startsWith(options.tenantPrefix)),
        tx,
      ),
  });
  const runners = [runtime.handlers.timers, runtime.handlers.notifications].map(
    (handler) => new ConsumerRunner({ pool: options.pool, store: options.store, handler: scoped(handler) }),
  );
  for (const runner of runners) await runner.start();
  return { stop: async () => void (await Promise.all(runners.map((runner) => runner.stop()))) };
}

/** `startTimers` with its consumers and its reconciler scoped to the tenants starting with `scope`. */
export async function startScopedTimers(
  options: TimersRuntimeOptions,
  scope: string,
): Promise<TimersRuntime> {
  const runtime = await startTimers({
    ...options,
    consumers: false,
    tenants: (tenantId) => tenantId.startsWith(scope),
  });
  const consumers = await startTenantScopedConsumers(runtime, {
    pool: options.pool,
    store: options.store,
    tenantPrefix: scope,
    name: scope,
  });
  return {
    ...runtime,
    async close() {
      await consumers.stop();
      await runtime.close();
    },
  };
}
