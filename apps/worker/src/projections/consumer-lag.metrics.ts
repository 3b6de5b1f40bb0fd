import type { Pool } from 'pg';
import { Gauge, register } from 'prom-client';
import { readConsumerLag, type ConsumerLag } from '@verity/event-store';

const EVENTS = 'verity_consumer_lag_events';
const SECONDS = 'verity_consumer_lag_seconds';

/**
 * `verity_consumer_lag_events` and `verity_consumer_lag_seconds{consumer}` on the default registry
 * (served at /metrics), read from the checkpoints at scrape time. One read serves both gauges.
 */
export function registerConsumerLagGauges(pool: Pool): () => void {
  let pending: Promise<ConsumerLag[]> | undefined;
  const lag = () => {
    // A scrape collects both gauges at once: they share the one query in flight.
    pending ??= readConsumerLag(pool).finally(() => (pending = undefined));
    return pending;
  };
  for (const name of [EVENTS, SECONDS]) register.removeSingleMetric(name);
  new Gauge({
    name: EVENTS,
    help: 'Committed events a consumer has not handled yet (head minus checkpoint).',
    labelNames: ['consumer'],
    async collect() {
      this.reset();
      for (const row of await lag()) this.set({ consumer: row.name }, row.events);
    },
  });
  new Gauge({
    name: SECONDS,
    help: 'Age in seconds of the oldest event a consumer has not handled yet (0 when caught up).',
    labelNames: ['consumer'],
    async collect() {
      this.reset();
      for (const row of await lag()) this.set({ consumer: row.name }, row.seconds);
    },
  });
  return () => {
    for (const name of [EVENTS, SECONDS]) register.removeSingleMetric(name);
  };
}
