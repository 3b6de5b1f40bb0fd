// Not in the library's main index: only EVENT_STORE=kurrentdb processes should load the client's native module.
export { KurrentDbEventStore } from './kurrentdb-event-store';
