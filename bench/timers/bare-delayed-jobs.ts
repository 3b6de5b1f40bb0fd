import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { createRedis } from '@verity/platform';

/**
 * The timers' baseline of the same run (issue 21's table): bare BullMQ delayed jobs due at the same
 * rate over the same window, on the same Redis, taken by a worker of the same concurrency whose
 * processor does nothing. Lateness is the processor's start minus the job's due time: what BullMQ
 * alone adds, below which the timers (read model → delayed job → FireTimer → append) cannot go.
 */
export async function bareDelayedJobsLateness(
  redisUrl: string,
  options: { jobs: number; windowS: number; leadS: number; concurrency: number },
): Promise<{ p50: number; p99: number; max: number; processed: number }> {
  const prefix = `bench-bare-${randomUUID().slice(0, 8)}`;
  const redis = createRedis(redisUrl);
  const queue = new Queue('bare', { connection: redis, prefix });
  const lateness: number[] = [];
  const windowStart = Date.now() + options.leadS * 1000;
  const dueAt = (n: number) => windowStart + Math.floor((n * options.windowS * 1000) / options.jobs);
  for (let from = 0; from < options.jobs; from += 1000) {
    const now = Date.now();
    await queue.addBulk(
      Array.from({ length: Math.min(1000, options.jobs - from) }, (_, i) => ({
        name: 'noop',
        data: { dueAt: dueAt(from + i) },
        opts: { delay: Math.max(0, dueAt(from + i) - now), removeOnComplete: true, removeOnFail: true },
      })),
    );
  }
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const worker = new Worker<{ dueAt: number }>(
    'bare',
    async (job) => {
      lateness.push(Date.now() - job.data.dueAt);
      if (lateness.length >= options.jobs) done();
    },
    { connection: createRedis(redisUrl), prefix, concurrency: options.concurrency },
  );
  const timeout = setTimeout(done, (options.leadS + options.windowS + 120) * 1000);
  await finished;
  clearTimeout(timeout);
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await redis.quit();
  const sorted = lateness.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? NaN, processed: sorted.length };
}
