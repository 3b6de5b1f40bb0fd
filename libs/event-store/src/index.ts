export * from './event-store.port';
export * from './consumers/consumer';
