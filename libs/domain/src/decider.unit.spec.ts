import { appraisalDecider, fold } from './index';
import { asDomainEvent } from './decider';

const counter = {
  initialState: () => ({ count: 0, last: '' }),
  evolve: (state: { count: number; last: string }, event: { type: string; data: unknown }) => ({
    count: state.count + 1,
    last: event.type,
  }),
};

describe('fold', () => {
  it('folds stored events from the initial state, keeping only their type and data', () => {
    const stored = [
      { type: 'A', data: {}, eventId: 'e-1', streamRevision: 0n },
      { type: 'B', data: {}, eventId: 'e-2', streamRevision: 1n },
    ];
    expect(fold(counter, stored)).toEqual({ count: 2, last: 'B' });
    expect(asDomainEvent(stored[1])).toEqual({ type: 'B', data: {} });
  });

  it('goes on from a state already folded (a cached fold plus the newer events)', () => {
    expect(fold(counter, [{ type: 'C', data: {} }], { count: 5, last: 'B' })).toEqual({
      count: 6,
      last: 'C',
    });
  });

  it("an aggregate's decider folds nothing to its initial state", () => {
    expect(fold(appraisalDecider, [])).toEqual(appraisalDecider.initialState());
  });
});
