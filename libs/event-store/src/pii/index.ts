export * from './pii-envelope';
export * from './pii-keyring';
export * from './pii-protecting-event-store';
