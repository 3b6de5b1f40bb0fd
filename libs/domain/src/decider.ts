import type { DomainContext } from './shared/context';

/**
 * What a write needs from an aggregate (STYLE.md habit 1; after EventSourcing.NodeJS's `Decider`):
 * pure decide, evolve and initial state. The API's command executor, the worker's senders and the
 * deciders' specifications all take this one type (docs/adr/0128-one-write-path.md).
 */
export interface Decider<
  Command,
  Event extends { type: string; data: unknown; eventId?: string },
  State,
  Context = DomainContext,
> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** What `fold` needs of a decider. */
export type Evolver<Event, State> = {
  evolve(state: State, event: Event): State;
  initialState(): State;
};

/** An event as stored (with metadata, ids, revisions) or as decided: only its type and data count. */
export interface StoredEvent {
  type: string;
  data: unknown;
}

/**
 * A stored event seen as the aggregate's own event: the stream holds only what its decider decided
 * (the write path appends nothing else), so the type is trusted here, in one place. Data from
 * outside (a feed, an import) goes through `parseEvent` instead.
 */
export function asDomainEvent<Event extends { type: string; data: unknown }>(stored: StoredEvent): Event {
  return { type: stored.type, data: stored.data } as Event;
}

/** The state after `events`, from `from` (default: the initial state). */
export function fold<Event extends { type: string; data: unknown }, State>(
  decider: Evolver<Event, State>,
  events: readonly StoredEvent[],
  from: State = decider.initialState(),
): State {
  let state = from;
  for (const event of events) state = decider.evolve(state, asDomainEvent<Event>(event));
  return state;
}
