import { Presets, SingleBar } from 'cli-progress';
import {
  ConsumerRunner,
  type ConsumerHandler,
  type EventStore,
  type RecordedEvent,
} from '@verity/event-store';
import type { createPool } from '@verity/platform';
import { auditProjection, inboxProjection, scoreProjection, type Projection } from '@verity/projections';
import { commandsOf, histories, publishWorkflows, type Command } from './generated-log';

/** bench:projections' second measure: the projection lag while commands are appended at a steady rate. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Paced appends at `load.rate` commands/s for `load.seconds` with the three runners live; lag per
 * event and projection.
 */
export async function lagUnderLoad(
  pool: ReturnType<typeof createPool>,
  store: EventStore,
  load: { rate: number; seconds: number },
) {
  const committed = new Map<string, number>();
  const handled: Record<string, Map<string, number>> = {
    audit: new Map(),
    score: new Map(),
    inbox: new Map(),
  };
  const timed = (projection: Projection): ConsumerHandler => ({
    name: projection.name,
    eventTypes: projection.eventTypes,
    derivedOnly: projection.derivedOnly,
    async handle(events: RecordedEvent[], tx) {
      await projection.handle(events, tx);
      // Measured when the batch is written, just before the runner commits it with its checkpoint.
      const now = performance.now();
      for (const event of events) handled[projection.name].set(event.eventId, now);
    },
    caughtUp: projection.caughtUp?.bind(projection),
  });
  const runners = [auditProjection, scoreProjection, inboxProjection].map(
    (projection) => new ConsumerRunner({ pool, store, handler: timed(projection), batchSize: 500 }),
  );
  for (const runner of runners) await runner.start();
  for (const runner of runners) await runner.caughtUp(600_000);

  const total = load.rate * load.seconds;
  const commands: Command[] = [];
  // Many appraisals at once, each advancing one command at a time, as a busy tenant's users would.
  const live = histories(Math.ceil(total / 40), 900_000).map((history, i) =>
    commandsOf('load', `l${i}`, history, 'live'),
  );
  for (let round = 0; commands.length < total; round++) {
    let any = false;
    for (const appraisal of live)
      if (round < appraisal.length && commands.length < total) {
        commands.push(appraisal[round]);
        any = true;
      }
    if (!any) break;
  }
  await publishWorkflows(store, ['load']);
  const revisions = new Map<string, bigint>();
  const pending = new Map<string, Promise<void>>();
  const latencies: number[] = [];
  const began = performance.now();
  let sent = 0;
  let inFlight = 0;
  const bar = new SingleBar(
    { format: 'load      [{bar}] {value}/{total} commands | {rate} cmd/s' },
    Presets.shades_classic,
  );
  bar.start(commands.length, 0, { rate: 0 });
  await new Promise<void>((resolve, reject) => {
    const tick = () => {
      const due = Math.min(commands.length, Math.floor(((performance.now() - began) / 1000) * load.rate));
      while (sent < due && inFlight < 64) {
        const command = commands[sent++];
        const revision = revisions.get(command.streamId);
        revisions.set(command.streamId, (revision ?? -1n) + BigInt(command.events.length));
        inFlight++;
        // A stream's next command waits for its previous one: sent side by side, the later could
        // commit first and meet a stream that is not there yet (as no user's next step can).
        const previous = pending.get(command.streamId) ?? Promise.resolve();
        const appended = previous.then(async () => {
          const start = performance.now();
          await store.append(command.streamId, command.events, {
            expectedRevision: revision ?? 'no_stream',
          });
          const at = performance.now();
          latencies.push(at - start);
          for (const event of command.events) committed.set(event.eventId, at);
          inFlight--;
        });
        pending.set(command.streamId, appended);
        appended.catch(reject);
      }
      bar.update(sent, { rate: Math.round(sent / ((performance.now() - began) / 1000)) });
      if (sent >= commands.length && inFlight === 0) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const seconds = (performance.now() - began) / 1000;
  bar.stop();
  for (const runner of runners) await runner.caughtUp(600_000);
  for (const runner of runners) await runner.stop();
  latencies.sort((a, b) => a - b);
  return {
    commands: commands.length,
    events: commands.reduce((n, c) => n + c.events.length, 0),
    rate: commands.length / seconds,
    append: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    lag: Object.fromEntries(
      Object.entries(handled).map(([name, times]) => {
        // From the append's reply (its commit) to the batch written; a reply may arrive after the runner saw it.
        const sorted = [...times]
          .filter(([id]) => committed.has(id))
          .map(([id, at]) => Math.max(0, at - committed.get(id)!))
          .sort((a, b) => a - b);
        return [
          name,
          {
            n: sorted.length,
            p50: percentile(sorted, 50),
            p99: percentile(sorted, 99),
            max: sorted[sorted.length - 1],
          },
        ];
      }),
    ),
  };
}
