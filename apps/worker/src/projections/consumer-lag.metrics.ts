import type { Pool } from 'pg';
import { Gauge, register } from 'prom-client';
import { countParkedStreams, readConsumerLag, type ConsumerLag } from '@verity/event-store';

const EVENTS = 'verity_consumer_lag_events';
const SECONDS = 'verity_consumer_lag_seconds';
const PARKED = 'verity_consumer_parked_streams';

/**
 * `verity_consumer_lag_events` and `verity_consumer_lag_seconds{consumer}` on the default registry
 * (served at /metrics), read from the checkpoints at scrape time. One read serves both gauges.
 * `verity_consumer_parked_streams{consumer}`: streams held back after an event the consumer could
 * not apply (docs/adr/0071); alert on any above 0.
 */
export function registerConsumerLagGauges(pool: Pool): () => void {
  let pending: Promise<ConsumerLag[]> | undefined;
  const lag = () => {
    // A scrape collects both gauges at once: they share the one query in flight.
    pending ??= readConsumerLag(pool).finally(() => (pending = undefined));
    return pending;
  };
  for (const name of [EVENTS, SECONDS, PARKED]) register.removeSingleMetric(name);
  new Gauge({
    name: PARKED,
    help: 'Streams a consumer holds back after an event it could not apply (retried with back-off).',
    labelNames: ['consumer'],
    async collect() {
      this.reset();
      for (const row of await lag()) this.set({ consumer: row.name }, 0);
      for (const [consumer, { streams }] of await countParkedStreams(pool)) this.set({ consumer }, streams);
    },
  });
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
    for (const name of [EVENTS, SECONDS, PARKED]) register.removeSingleMetric(name);
  };
}
