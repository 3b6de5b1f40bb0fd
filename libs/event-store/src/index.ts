export * from './event-store.port';
export * from './errors';
export * from './hash-chain';
export { MAX_EVENT_BYTES } from './validation';
export * from './consumers/consumer';
export * from './consumers/consumer-runner';
export * from './consumers/checkpoints';
export { PostgresEventStore } from './postgres/postgres-event-store';
export { createEventStore, type EventStoreSettings } from './create-event-store';
