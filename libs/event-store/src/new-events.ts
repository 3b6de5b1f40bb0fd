import type { Actor, NewEvent } from './event-store.port';

/** How a writer records what a decider decided: who, in which conversation, with which ids. */
export interface Recording {
  tenantId: string;
  actor: Actor;
  correlationId: string;
  /** The event that caused this write (a process manager's), or null for a person's request or a timer. */
  causationId: string | null;
  /** The id of the decided event at `index` when the decider did not name one itself. */
  eventIdOf(index: number): string;
  /** The version of the type's data schema (the domain's event registry). */
  schemaVersionOf(type: string): number;
  /** Whose data key seals an event's `pii` (docs/adr/0115-crypto-shredding.md); only asked for events with one. */
  piiSubjectOf?(data: unknown): string;
}

/**
 * Decided events as the store appends them, with the metadata every writer records the same way:
 * the API's command executor, the worker's timers and its process managers
 * (docs/adr/0128-one-write-path.md).
 */
export function toNewEvents(
  decided: readonly { type: string; data: unknown; eventId?: string }[],
  recording: Recording,
): NewEvent[] {
  return decided.map((event, index) => {
    const sealed = recording.piiSubjectOf && hasPii(event.data);
    return {
      eventId: event.eventId ?? recording.eventIdOf(index),
      type: event.type,
      data: event.data,
      metadata: {
        tenantId: recording.tenantId,
        actor: recording.actor,
        correlationId: recording.correlationId,
        causationId: recording.causationId,
        schemaVersion: recording.schemaVersionOf(event.type),
        ...(sealed ? { piiSubject: recording.piiSubjectOf!(event.data) } : {}),
      },
    };
  });
}

const hasPii = (data: unknown) => !!data && typeof data === 'object' && 'pii' in data;
