/**
 * `npm run projections:rebuild -- <name>`: rebuilds one projection from position zero.
 *
 * It asks the consumer to rebuild (libs/event-store `requestRebuild`): the active runner — the
 * worker's, or, when no worker runs, the one this script starts — empties the read model and resets
 * the checkpoint in one transaction, then replays the log in its normal batches while new events
 * keep arriving. The bar follows the consumer's lag until it has caught up.
 *
 * `timers` is rebuilt by the running worker only: its consumer sets jobs in the worker's BullMQ
 * queue, so this script asks and watches. (The timer notifications are never rebuilt: they record
 * what was sent.)
 */
import { Presets, SingleBar } from 'cli-progress';
import {
  ConsumerRunner,
  createEventStore,
  readConsumerLag,
  requestRebuild,
  type ConsumerLag,
} from '@verity/event-store';
import { createPool, loadConfigOrExit, type Config } from '@verity/platform';
import { PROJECTIONS, projectionNamed } from '@verity/projections';

const POLL_MS = 250;
/** Consumers that only the worker runs (they need its queues); this script asks them to rebuild. */
export const WORKER_REBUILDS = ['timers'] as const;
/** How long a worker-only rebuild may wait for a worker to take the request. */
const WORKER_PICKUP_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RebuildOutcome {
  name: string;
  events: number;
  seconds: number;
  /** Whether this process's runner did the work (no other instance held the consumer). */
  byThisProcess: boolean;
}

export async function rebuildProjection(
  config: Pick<
    Config,
    'DATABASE_URL' | 'EVENT_STORE' | 'KURRENTDB_URL' | 'PII_MASTER_KEY' | 'PII_RETIRED_MASTER_KEYS'
  >,
  name: string,
  options: { progress?: boolean; timeoutMs?: number; workerPickupMs?: number } = {},
): Promise<RebuildOutcome> {
  const handler = projectionNamed(name);
  const byWorkerOnly = (WORKER_REBUILDS as readonly string[]).includes(name);
  if (!handler && !byWorkerOnly) throw new Error(`unknown projection "${name}"`);
  // The runner holds one connection and reads with another; the lag query takes a third.
  const pool = createPool(config.DATABASE_URL, 4, 'verity-rebuild');
  const store = createEventStore({
    kind: config.EVENT_STORE,
    pool,
    kurrentDbUrl: config.KURRENTDB_URL,
    piiMasterKey: config.PII_MASTER_KEY,
    piiRetiredMasterKeys: config.PII_RETIRED_MASTER_KEYS,
  });
  const runner = handler ? new ConsumerRunner({ pool, store, handler, batchSize: 1000 }) : undefined;
  const bar = options.progress
    ? new SingleBar(
        { format: `${name} rebuild [{bar}] {value}/{total} events | {rate} ev/s | {state}` },
        Presets.shades_classic,
      )
    : undefined;
  const began = Date.now();
  const deadline = began + (options.timeoutMs ?? 24 * 3600_000);
  try {
    await requestRebuild(pool, name);
    // Stands by if the worker's runner holds the consumer; takes it on if nobody does.
    await runner?.start();
    const pickupBy = Date.now() + (options.workerPickupMs ?? WORKER_PICKUP_MS);
    const lagOf = async (): Promise<ConsumerLag> => (await readConsumerLag(pool, [name]))[0];
    // The whole log is replayed: its size now, minus what is still behind, is what has been done.
    const logSize = async () => Number((await pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
    let total = 0;
    bar?.start(1, 0, { rate: 0, state: 'waiting for the reset' });
    for (;;) {
      const lag = await lagOf();
      if (!lag.rebuildRequested) {
        total = await logSize();
        const done = Math.max(0, total - lag.events);
        const seconds = (Date.now() - began) / 1000;
        bar?.setTotal(Math.max(1, total));
        bar?.update(done, {
          rate: Math.round(done / Math.max(seconds, 0.001)),
          state: lag.events === 0 ? 'caught up' : 'replaying',
        });
        if (lag.events === 0) break;
      } else if (!runner && Date.now() > pickupBy)
        throw new Error(
          `no running worker took the ${name} rebuild (start it: npm start); it stays requested`,
        );
      if (Date.now() > deadline) throw new Error(`rebuild of ${name} did not finish in time`);
      await sleep(POLL_MS);
    }
    bar?.stop();
    return {
      name,
      events: total,
      seconds: (Date.now() - began) / 1000,
      byThisProcess: runner?.status().active ?? false,
    };
  } finally {
    bar?.stop();
    await runner?.stop();
    await store.close();
    await pool.end();
  }
}

if (require.main === module) {
  const name = process.argv[2];
  const names = [...PROJECTIONS.map((projection) => projection.name), ...WORKER_REBUILDS];
  if (!name || !names.includes(name)) {
    process.stderr.write(`usage: npm run projections:rebuild -- <${names.join('|')}>\n`);
    process.exit(64); // EX_USAGE
  }
  const config = loadConfigOrExit();
  rebuildProjection(config, name, { progress: true })
    .then((outcome) => {
      console.log(
        `${outcome.name}: rebuilt from position zero, ${outcome.events} events in ${outcome.seconds.toFixed(1)} s ` +
          `(${Math.round(outcome.events / Math.max(outcome.seconds, 0.001))} events/s), by ${outcome.byThisProcess ? 'this process' : 'the running worker'}`,
      );
    })
    .catch((error: Error) => {
      console.error(`projections:rebuild: failed: ${error.message}`);
      process.exit(1);
    });
}
