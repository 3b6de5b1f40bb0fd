import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@verity/event-store';
import { fold, type Decider } from '@verity/domain';
import { EVENT_STORE } from './event-store.provider';

/** A stream folded into its aggregate's state, with the revision it was read at and its events. */
export interface Loaded<State> {
  state: State;
  revision: bigint | null;
  events: RecordedEvent[];
}

/**
 * Loads and folds one aggregate's stream: the write path before it decides, and the reads that
 * replay a stream (an appraisal, a workflow, a cycle) without going through the write path.
 */
@Injectable()
export class StreamLoader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * The stream folded, read on behalf of `tenantId`: a stream of another tenant fails as
   * TenantMismatch (404, logged), never as data (docs/adr/0070). A missing stream is the initial state.
   */
  async load<Event extends { type: string; data: unknown }, State>(
    tenantId: string,
    streamId: string,
    decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  ): Promise<Loaded<State>> {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamId, { tenantId });
    } catch (error) {
      if (isStreamNotFound(error)) return { state: decider.initialState(), revision: null, events: [] };
      throw error;
    }
    const state = fold(decider, events);
    return { state, revision: events.length ? events[events.length - 1].streamRevision : null, events };
  }
}

const codeOf = (error: unknown) => {
  const tagged = error as { code?: unknown; name?: unknown } | null;
  return [String(tagged?.code), String(tagged?.name)];
};
/** The store's StreamNotFound, from either adapter (its code or its class name). */
export const isStreamNotFound = (error: unknown) =>
  codeOf(error).some((code) => code === 'stream-not-found' || code === 'StreamNotFound');
/** The store's WrongExpectedRevision, from either adapter (its code or its class name). */
export const isWrongExpectedRevision = (error: unknown) =>
  codeOf(error).some((code) => code === 'wrong-expected-revision' || code === 'WrongExpectedRevision');
