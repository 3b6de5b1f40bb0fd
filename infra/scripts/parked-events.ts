/**
 * `npm run parked -- list [--consumer <name>] [--tenant <id>]`: the streams consumers hold back
 * after an event they could not apply (docs/adr/0071), with the error.
 * `npm run parked -- retry --consumer <name> --event <eventId> --by <operator> [--reason <text>]`:
 * the consumer tries the stream again at its next round (within a second), not after its back-off.
 * `npm run parked -- skip --consumer <name> --event <eventId> --by <operator> --reason <text>`:
 * the consumer never applies that event; the stream's later events follow, in order.
 *
 * Each retry and skip is recorded first as an event of the parked stream's tenant
 * (`ParkedEventRetried` / `ParkedEventSkipped` in `operations-<tenant>.<consumer>`), so the audit
 * trail shows who set a read model aside from the log, and why.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
import { AGGREGATES, eventSchemas } from '@verity/domain';
import {
  eventStoreOf,
  listParkedStreams,
  retryParkedEvent,
  skipParkedEvent,
  streamName,
  type EventStore,
  type ParkedStream,
} from '@verity/event-store';
import { createPool, loadConfigOrExit } from '@verity/platform';

export type ParkedAction = 'retry' | 'skip';

export interface ParkedActionRequest {
  consumer: string;
  eventId: string;
  action: ParkedAction;
  /** Who acts (recorded as the event's actor, role `operator`). */
  by: string;
  reason?: string;
  now: Date;
}

/**
 * Records the operator's action as an event of the stream's tenant, then applies it. Null (and
 * nothing recorded) when that consumer has no stream parked at that event.
 */
export async function actOnParkedEvent(
  pool: Pool,
  store: EventStore,
  request: ParkedActionRequest,
): Promise<ParkedStream | null> {
  const parked = (await listParkedStreams(pool, { consumer: request.consumer, limit: 10_000 })).find(
    (stream) => stream.eventId === request.eventId,
  );
  if (!parked) return null;
  const type = request.action === 'retry' ? 'ParkedEventRetried' : 'ParkedEventSkipped';
  const data = eventSchemas[type].schema.parse({
    consumer: parked.consumer,
    streamId: parked.streamId,
    eventId: parked.eventId,
    eventType: parked.eventType,
    error: parked.error,
    at: request.now.toISOString(),
    pii: request.reason === undefined ? {} : { reason: request.reason },
  });
  const streamId = streamName(AGGREGATES.operations, parked.tenantId, parked.consumer);
  const [last] = await store
    .readStream(streamId, { direction: 'backwards', maxCount: 1, tenantId: parked.tenantId })
    .catch((error: { code?: string }) => {
      if (error.code === 'stream-not-found') return [];
      throw error;
    });
  const correlationId = randomUUID();
  await store.append(
    streamId,
    [
      {
        eventId: randomUUID(),
        type,
        data,
        metadata: {
          tenantId: parked.tenantId,
          actor: { id: request.by, role: 'operator' },
          correlationId,
          causationId: null,
          schemaVersion: eventSchemas[type].version,
        },
      },
    ],
    { expectedRevision: last ? last.streamRevision : 'no_stream' },
  );
  return request.action === 'retry'
    ? retryParkedEvent(pool, request.consumer, request.eventId)
    : skipParkedEvent(pool, request.consumer, request.eventId);
}

const describe = (stream: ParkedStream) =>
  `${stream.consumer}\t${stream.tenantId}\t${stream.streamId}\tevent ${stream.eventId} (${stream.eventType})\t` +
  `${stream.held} held\tattempt ${stream.attempts}, next ${stream.nextAttemptAt.toISOString()}\t${stream.error}`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      consumer: { type: 'string' },
      tenant: { type: 'string' },
      event: { type: 'string' },
      by: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const [command] = positionals;
  const config = loadConfigOrExit();
  const pool = createPool(config.DATABASE_URL, 2, 'verity-parked');
  const store = eventStoreOf(config, pool);
  try {
    if (command === 'list' || command === undefined) {
      const streams = await listParkedStreams(pool, { consumer: values.consumer, tenantId: values.tenant });
      console.log(streams.length ? streams.map(describe).join('\n') : 'parked: nothing is parked');
      return 0;
    }
    if (command !== 'retry' && command !== 'skip') {
      console.error('parked: the command is list, retry or skip');
      return 2;
    }
    if (!values.consumer || !values.event || !values.by || (command === 'skip' && !values.reason)) {
      console.error(
        `parked: ${command} needs --consumer, --event, --by${command === 'skip' ? ' and --reason' : ''}`,
      );
      return 2;
    }
    const done = await actOnParkedEvent(pool, store, {
      consumer: values.consumer,
      eventId: values.event,
      action: command,
      by: values.by,
      reason: values.reason,
      now: new Date(),
    });
    if (!done) {
      console.error(`parked: consumer ${values.consumer} has no stream parked at event ${values.event}`);
      return 1;
    }
    console.log(`parked: ${command} recorded for ${describe(done)}`);
    return 0;
  } finally {
    await store.close();
    await pool.end();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`parked: failed: ${error.message}`);
      process.exit(1);
    },
  );
}
