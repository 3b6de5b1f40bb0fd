import { randomUUID } from 'node:crypto';
import { workerDatabaseUrl, workerRedisUrl, workerRuntimeDatabaseUrl } from './environment';
import { eventually } from './eventually';
import { freePort, startApp, type RunningApp } from './processes';

/**
 * The worker's timer clock: the real one, or one that stands still until the test moves it one
 * timer at a time (`TIMERS_CLOCK=manual`, ADR 0130; test/support/manual-clock.ts moves it).
 */
export type TimerClock = 'real' | 'manual';

export interface StackOptions {
  /** The worker's timer clock; the real one unless given. */
  clock?: TimerClock;
  /**
   * Who the apps connect to PostgreSQL as: the runtime role, as in production (it owns nothing and
   * only appends to the log, docs/adr/0080), unless a journey needs the owner.
   */
  database?: 'runtime' | 'owner';
  /** The API's port, when something started before it must know it (an identity provider's redirect). */
  port?: number;
  /** More of both apps' environment (a webhook allow-list, an identity provider, a proxied URL). */
  env?: Record<string, string>;
  /** More of the API's environment only (a quieter log level). */
  apiEnv?: Record<string, string>;
}

export interface WorkerOptions {
  clock?: TimerClock;
  env?: Record<string, string>;
}

export interface Stack {
  /** The API's base URL. */
  base: string;
  /** Both apps' environment (the worker's clock aside). */
  env: Record<string, string>;
  api: RunningApp;
  /** The running worker (it changes when restarted). */
  worker: () => RunningApp;
  /** Stops the worker with `signal` (SIGTERM unless given), resolving with its exit code. */
  stopWorker: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Starts a worker on `clock` (the last one's unless given) with more environment, once it is ready. */
  startWorker: (options?: WorkerOptions) => Promise<void>;
  /** stopWorker, then startWorker. */
  restartWorker: (options?: WorkerOptions & { signal?: NodeJS.Signals }) => Promise<number | null>;
  stop: () => Promise<void>;
}

const clockEnv = (clock: TimerClock): Record<string, string> =>
  clock === 'manual' ? { TIMERS_CLOCK: 'manual' } : {};

/** A wait for a process that says, when it never comes, what the process last wrote. */
async function until(app: RunningApp, ready: () => Promise<boolean>, what: string): Promise<void> {
  // A generous bound for a machine busy with other test runs, never a claim about speed.
  await eventually(ready, 120_000, what).catch((error: Error) => {
    throw new Error(`${error.message}\n${app.name} output (last lines):\n${app.output().slice(-3000)}`);
  });
}

/**
 * The real API and worker (compiled by the e2e global setup) for one end-to-end test file, on free
 * ports over the file's own database (test/support/database-per-file.ts) and Redis logical database,
 * resolved once the API answers /health and the worker says it is ready.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: options.database === 'owner' ? workerDatabaseUrl() : workerRuntimeDatabaseUrl(),
    REDIS_URL: workerRedisUrl(),
    // Another test run on this machine may use the same Redis database: its worker takes no job of ours.
    REDIS_QUEUE_PREFIX: `e2e-${randomUUID().slice(0, 8)}`,
    PORT: String(port),
    WORKER_METRICS_PORT: String(await freePort()),
    ...options.env,
  };
  let clock = options.clock ?? 'real';
  const api = startApp('api', { ...env, ...options.apiEnv });
  let worker = startApp('worker', { ...env, ...clockEnv(clock) });
  const workerReady = () =>
    until(worker, async () => worker.output().includes('worker ready'), `${clock}-clock worker ready`);
  try {
    await until(api, async () => (await fetch(`${base}/health`)).ok, 'API healthy');
    await workerReady();
  } catch (error) {
    await Promise.all([api.stop('SIGTERM'), worker.stop('SIGTERM')]);
    throw error;
  }
  const stopWorker = (signal: NodeJS.Signals = 'SIGTERM') => worker.stop(signal);
  const startWorker = async (start: WorkerOptions = {}) => {
    clock = start.clock ?? clock;
    worker = startApp('worker', { ...env, ...clockEnv(clock), ...start.env });
    await workerReady();
  };
  return {
    base,
    env,
    api,
    worker: () => worker,
    stopWorker,
    startWorker,
    restartWorker: async ({ signal, ...start } = {}) => {
      const code = await stopWorker(signal);
      await startWorker(start);
      return code;
    },
    stop: async () => {
      await Promise.all([api.stop('SIGTERM'), worker.stop('SIGTERM')]);
    },
  };
}
