import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import { PostgresEventStore } from '@verity/event-store';
import { createPool, createRedis, loadConfigOrExit } from '@verity/platform';
import { startTimers, TIMERS_POOL_IDLE_MS } from '../timers.runtime';
import { startTenantScopedConsumers } from './tenant-scoped-consumers';

/**
 * The timers runtime as a process of its own, for the crash test and the benchmark: real consumers
 * (PostgreSQL checkpoints), BullMQ and the real clock. SIGTERM closes it gracefully; SIGKILL is the
 * crash under test. Prints `timers ready` once it takes work.
 */
const options = z
  .object({
    TIMERS_CONCURRENCY: z.coerce.number().int().min(1).max(5000).default(128),
    TIMERS_STALL_MS: z.coerce.number().int().min(500).default(30_000),
    TIMERS_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
    /** Tests: consume only the tenants starting with this (their database holds other files' appraisals). */
    TIMERS_TENANT_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
  })
  .parse(process.env);

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const pool = createPool(
    config.DATABASE_URL,
    options.TIMERS_POOL_SIZE,
    'verity-timers',
    TIMERS_POOL_IDLE_MS,
  );
  const redis = createRedis(config.REDIS_URL);
  const store = new PostgresEventStore(pool);
  const runtime = await startTimers({
    pool,
    redis,
    store,
    consumers: options.TIMERS_TENANT_PREFIX === undefined,
    tenants: options.TIMERS_TENANT_PREFIX
      ? (tenantId) => tenantId.startsWith(options.TIMERS_TENANT_PREFIX!)
      : undefined,
    queuePrefix: config.REDIS_QUEUE_PREFIX,
    concurrency: options.TIMERS_CONCURRENCY,
    consumerBatchSize: 1_000,
    stall: {
      lockDurationMs: options.TIMERS_STALL_MS,
      stalledIntervalMs: Math.max(500, options.TIMERS_STALL_MS / 2),
    },
    onError: (error, where) => process.stderr.write(`${where}: ${String(error)}\n`),
  });
  const scoped = options.TIMERS_TENANT_PREFIX
    ? await startTenantScopedConsumers(runtime, {
        pool,
        store,
        tenantPrefix: options.TIMERS_TENANT_PREFIX,
        name: options.TIMERS_TENANT_PREFIX,
      })
    : undefined;
  // How long the event loop was held at a time: a timer due meanwhile waits that long.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  process.once('SIGTERM', () => {
    const cpu = process.cpuUsage();
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    process.stderr.write(
      `timers process cpu: user ${Math.round(cpu.user / 1000)} ms, system ${Math.round(cpu.system / 1000)} ms; event loop delay p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms\n`,
    );
    void Promise.resolve(scoped?.stop())
      .then(() => runtime.close())
      .then(() => Promise.all([redis.quit(), pool.end()]))
      .then(() => process.exit(0));
  });
  process.stdout.write('timers ready\n');
}

void main();
