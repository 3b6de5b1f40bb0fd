export * from './pii-envelope';
export * from './pii-keyring';
export * from './pii-protecting-event-store';
export * from './pii-master-key-rotation';
export * from './pii-key-cache';
