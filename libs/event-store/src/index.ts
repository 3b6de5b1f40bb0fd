export * from './event-store.port';
export * from './errors';
export * from './hash-chain';
export * from './tenant-id';
export { MAX_EVENT_BYTES } from './validation';
export * from './consumers/consumer';
export * from './consumers/consumer-runner';
export * from './consumers/checkpoints';
export * from './consumers/parked-streams';
export { PostgresEventStore } from './postgres/postgres-event-store';
export {
  createEventStore,
  eventStoreOf,
  type EventStoreConfig,
  type EventStoreSettings,
} from './create-event-store';
export { readStreamHeads } from './postgres/stream-heads';
export { eventsAheadOfTransactionCounter } from './postgres/transaction-counter';
export * from './pii';
export * from './new-events';
