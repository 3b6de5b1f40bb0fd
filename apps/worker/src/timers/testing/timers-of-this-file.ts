import { randomUUID } from 'node:crypto';
import {
  newTenant,
  publishWorkflow,
  workflowWithPlan,
} from '@verity/projections/timers/testing/timer-fixtures';
import { workerOfThisFile, type FileWorker } from '../../testing/worker-of-this-file';
import type { TimersRuntime, TimersRuntimeOptions } from '../timers.runtime';
import { startScopedTimers } from './tenant-scoped-consumers';

/** This test file's connections and the timers runtimes its tests start on them. */
export interface FileTimers extends FileWorker {
  /** The file's tenants start with it: its consumers and reconciler leave other files' appraisals alone. */
  scope: string;
  /** `startScopedTimers` on the file's pool, Redis, store and queue prefix, unless `options` name others. */
  start(options?: Partial<TimersRuntimeOptions>): Promise<TimersRuntime>;
  /**
   * A new tenant of the file's scope (`<scope>-<name>-…`) with the sales workflow, its plan step timed
   * by `plan`, published as `sales`: the tenant and that workflow pinned.
   */
  tenantTimedBy(tenantName: string, plan: PlanTiming): Promise<{ tenantId: string; workflow: PinnedSales }>;
}

type PlanTiming = Parameters<typeof workflowWithPlan>[0];
type PinnedSales = Awaited<ReturnType<typeof publishWorkflow>>;

/**
 * `workerOfThisFile` for the timers runtime. A runtime still running after the file's tests (started
 * for all of them, or left by a failed test) is closed before the connections it uses.
 */
export function timersOfThisFile(name: string, connections: number): FileTimers {
  const running = new Set<TimersRuntime>();
  // Registered before the connections' hooks: afterAll hooks run in the order they are registered.
  afterAll(() => Promise.all([...running].map((runtime) => runtime.close())));
  const file = workerOfThisFile(name, connections) as FileTimers;
  file.scope = `s${randomUUID().slice(0, 8)}`;
  file.start = async (options = {}) => {
    const { pool, redis, store, queuePrefix } = file;
    const runtime = await startScopedTimers({ pool, redis, store, queuePrefix, ...options }, file.scope);
    running.add(runtime);
    return {
      ...runtime,
      async close() {
        running.delete(runtime);
        await runtime.close();
      },
    };
  };
  file.tenantTimedBy = async (tenantName, plan) => {
    const tenantId = newTenant(`${file.scope}-${tenantName}`);
    const workflow = await publishWorkflow(file.store, tenantId, 'sales', workflowWithPlan(plan));
    return { tenantId, workflow };
  };
  return file;
}
