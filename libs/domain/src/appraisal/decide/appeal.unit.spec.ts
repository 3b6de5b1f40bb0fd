import { AP, as, types, jan, added, useCaseSpec } from '../../testing/appraisal-scenario';

const { path, spec, stepByStep, refusals } = useCaseSpec();

stepByStep(() => {
  it('handles an appeal: filed, then resolved with a new result', () => {
    expect(types(added(path.finalized, path.appealed))).toEqual([
      'AppealFiled',
      'StepCompleted',
      'StepOpened',
    ]);
    spec
      .given(path.appealed.events)
      .when(
        {
          type: 'ResolveAppeal',
          data: { appraisalId: AP, outcome: 'upheld', score: 90.5, reason: 'Q4 evidence accepted' },
        },
        as('hr', { now: jan }),
      )
      .thenMatches([
        {
          type: 'AppealResolved',
          data: {
            appealId: 'appeal-1',
            outcome: 'upheld',
            to: { score: '90.50', grade: 'A', bonusCoefficient: '1.5' },
          },
        },
        { type: 'StepCompleted', data: { stepKey: 'appeal-resolution' } },
        { type: 'AppraisalClosed', data: { score: '90.50', grade: 'A', bonusCoefficient: '1.5' } },
      ]);
    spec
      .given(path.appealed.events)
      .when(
        { type: 'ResolveAppeal', data: { appraisalId: AP, outcome: 'rejected', reason: 'Ratings stand' } },
        as('hr', { now: jan }),
      )
      .thenMatches([
        { type: 'AppealResolved', data: { to: null } },
        { type: 'StepCompleted' },
        { type: 'AppraisalClosed', data: { score: '85.71', grade: 'B' } },
      ]);
  });
});

refusals([
  [
    'acknowledging before finalization',
    path.annual.events,
    { type: 'AcknowledgeAppraisal', data: { appraisalId: AP } },
    as('self'),
    'appraisal-scored',
    'illegal-state',
  ],
  [
    'acknowledging for someone else',
    path.finalized.events,
    { type: 'AcknowledgeAppraisal', data: { appraisalId: AP } },
    as('manager'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'appealing a closed appraisal',
    path.closed.events,
    { type: 'FileAppeal', data: { appraisalId: AP, reason: 'r' } },
    as('self'),
    'appraisal-closed',
    'illegal-state',
  ],
  [
    'appealing for someone else',
    path.finalized.events,
    { type: 'FileAppeal', data: { appraisalId: AP, reason: 'r' } },
    as('peer'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'resolving without an appeal',
    path.finalized.events,
    { type: 'ResolveAppeal', data: { appraisalId: AP, outcome: 'rejected', reason: 'r' } },
    as('hr'),
    'appraisal-finalized',
    'illegal-state',
  ],
  [
    'upholding an appeal without a result',
    path.appealed.events,
    { type: 'ResolveAppeal', data: { appraisalId: AP, outcome: 'upheld', reason: 'r' } },
    as('hr'),
    'result-required',
    'validation',
  ],
  [
    'a manager resolving an appeal',
    path.appealed.events,
    { type: 'ResolveAppeal', data: { appraisalId: AP, outcome: 'rejected', reason: 'r' } },
    as('manager'),
    'role-not-allowed',
    'forbidden',
  ],
]);
