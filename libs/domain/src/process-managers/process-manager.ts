import type { AppraisalCommand } from '../appraisal/appraisal.commands';
import type { DomainEvent } from '../registry';
import type { CycleMembership, RecordedChange } from '../cycle/membership';
import { uuidV5 } from '../shared/uuid';

/** Namespace of the ids process managers give the commands they send (UUIDv5). */
export const PROCESS_MANAGER_NAMESPACE = '0b7e5c2a-4f3d-4e1b-8a6c-9d2f7e4b1c53';

/** An event as a process manager receives it: what happened, with its id and tenant. */
export type ReceivedEvent<Event extends DomainEvent = DomainEvent> = Event & {
  eventId: string;
  tenantId: string;
};

/**
 * A command a process manager sends. Its id is derived from the event that caused it, so an event
 * handed over twice (a crash before the checkpoint, a rebuild) sends the same command again, and the
 * sender recognises it as done.
 */
export interface SentCommand {
  commandId: string;
  command: AppraisalCommand;
}

/**
 * What a process manager may need beside the event, read by the worker before it reacts (the
 * manager stays pure: it never reads them itself). Only the facts a manager `needs` are read.
 */
export interface ProcessFacts {
  /** The tenant's open cycles, each with the membership rule of its pinned workflow (ADR 0146). */
  openCycles: readonly CycleMembership[];
  /**
   * The tenant's hires, transfers and leavers in the order recorded; a cycle's `changesBefore` says
   * how many of them were recorded before it opened (its catch-up, ADR 0146).
   */
  directoryChanges: readonly RecordedChange[];
}

/** The facts handed to a manager that needs none. */
export const NO_FACTS: ProcessFacts = { openCycles: [], directoryChanges: [] };

/**
 * A process manager (DESIGN.md, "Process managers"): a pure reactor, event in, commands out. It
 * holds no state of its own; the aggregate it commands decides whether the command still applies.
 */
export interface ProcessManager<Type extends DomainEvent['type'] = DomainEvent['type']> {
  readonly name: string;
  readonly eventTypes: readonly Type[];
  /** The facts the worker reads for it before each event (none when absent). */
  readonly needs?: readonly (keyof ProcessFacts)[];
  /** `facts` as the worker read them for `needs` (absent: `NO_FACTS`). */
  react(event: ReceivedEvent<Extract<DomainEvent, { type: Type }>>, facts?: ProcessFacts): SentCommand[];
}

/** The id of the command a process manager sends for one event (`key` tells its commands apart). */
export function commandIdFor(
  manager: string,
  event: { tenantId: string; eventId: string },
  key: string,
): string {
  return uuidV5(PROCESS_MANAGER_NAMESPACE, `${event.tenantId}/${manager}/${event.eventId}/${key}`);
}

/** The ids of the events a sent command records: the n-th event of command c is always the same id. */
export function eventIdFor(tenantId: string, commandId: string, index: number): string {
  return uuidV5(PROCESS_MANAGER_NAMESPACE, `${tenantId}/${commandId}/event/${index}`);
}
