import { AP, as, types, feb, added, useCaseSpec } from '../../testing/appraisal-scenario';

const { path, spec, otherCommands, refusals } = useCaseSpec();

otherCommands(() => {
  it('files and verifies an improvement (marked as good practice)', () => {
    const filed = path.scored.run(
      {
        type: 'FileImprovement',
        data: { appraisalId: AP, improvementId: 'imp-1', action: 'Two more key accounts' },
      },
      as('self', { now: feb }),
    );
    expect(types(added(path.scored, filed))).toEqual(['ImprovementFiled', 'StepCompleted', 'StepOpened']);
    spec
      .given(filed.events)
      .when(
        {
          type: 'VerifyImprovement',
          data: { appraisalId: AP, improvementId: 'imp-1', effective: true, goodPractice: true },
        },
        as('manager', { now: feb }),
      )
      .thenMatches([
        {
          type: 'ImprovementVerified',
          data: { improvementId: 'imp-1', effective: true, goodPractice: true },
        },
        { type: 'StepCompleted', data: { stepKey: 'improvement-verification.imp-1' } },
      ]);
  });
});

refusals([
  [
    'filing an improvement after closing',
    path.closed.events,
    { type: 'FileImprovement', data: { appraisalId: AP, improvementId: 'imp-1', action: 'a' } },
    as('self'),
    'appraisal-closed',
    'illegal-state',
  ],
  [
    'filing an unknown improvement',
    path.scored.events,
    { type: 'FileImprovement', data: { appraisalId: AP, improvementId: 'nope', action: 'a' } },
    as('self'),
    'improvement-not-found',
    'not-found',
  ],
  [
    'filing an improvement twice',
    path.scored.run(
      { type: 'FileImprovement', data: { appraisalId: AP, improvementId: 'imp-1', action: 'a' } },
      as('self'),
    ).events,
    { type: 'FileImprovement', data: { appraisalId: AP, improvementId: 'imp-1', action: 'a' } },
    as('self'),
    'improvement-filed',
    'illegal-state',
  ],
  [
    'verifying an unfiled improvement',
    path.scored.events,
    {
      type: 'VerifyImprovement',
      data: { appraisalId: AP, improvementId: 'imp-1', effective: true, goodPractice: false },
    },
    as('manager'),
    'improvement-not-filed',
    'illegal-state',
  ],
  [
    'verifying your own improvement',
    path.scored.events,
    {
      type: 'VerifyImprovement',
      data: { appraisalId: AP, improvementId: 'imp-1', effective: true, goodPractice: false },
    },
    as('self'),
    'relation-not-allowed',
    'forbidden',
  ],
]);
