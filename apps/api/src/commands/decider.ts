import type { DomainContext } from '@verity/domain';

/** What a write needs from an aggregate of libs/domain: pure decide/evolve/initialState (STYLE.md habit 1). */
export interface Decider<Command, Event extends { type: string; data: unknown; eventId?: string }, State> {
  decide(command: Command, state: State, context: DomainContext): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}
