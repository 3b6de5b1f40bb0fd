import { evolveAppraisal, initialAppraisalState, type AppraisalEvent } from '../index';
import { AP, as, happyPath, pinnedV1, refusesEach } from '../testing/appraisal-scenario';

const path = happyPath();

describe('appraisal: every refusal is a typed error', () => {
  const open = path.opened.events;
  refusesEach([
    [
      'a command on an unopened appraisal',
      [],
      { type: 'ApprovePlan', data: { appraisalId: AP } },
      as('manager'),
      'appraisal-not-found',
      'not-found',
    ],
    [
      'deciding under a version other than the pinned one',
      open,
      { type: 'SubmitPlan', data: { appraisalId: AP, targets: [], actions: [] } },
      as('self', { workflow: { ...pinnedV1, version: 2 } }),
      'workflow-version-mismatch',
      'conflict',
    ],
  ]);
});

describe('appraisal: evolve', () => {
  it('ignores events for an appraisal that was never opened', () => {
    expect(evolveAppraisal(initialAppraisalState(), path.submitted.events[2])).toEqual({ status: 'empty' });
  });
});

describe('appraisal: crypto-shredding readiness', () => {
  it('rebuilds the same state when every pii field is erased', () => {
    const all = [...path.closed.events, ...path.appealed.events.slice(path.finalized.events.length)];
    const erased = all.map((event) =>
      'pii' in event.data ? { ...event, data: { ...event.data, pii: {} } } : event,
    ) as AppraisalEvent[];
    const fold = (events: AppraisalEvent[]) => events.reduce(evolveAppraisal, initialAppraisalState());
    expect(fold(erased)).toEqual(fold(all));
    expect(erased.filter((event) => 'pii' in event.data).length).toBeGreaterThan(5);
  });
});
