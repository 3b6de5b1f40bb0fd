import { AP, as, added, useCaseSpec } from '../../testing/appraisal-scenario';

const { path, stepByStep, refusals } = useCaseSpec();
const open = path.opened.events;

stepByStep(() => {
  it('completes the rating steps as responses arrive', () => {
    const completed = added(path.scored, path.rated)
      .filter((event) => event.type === 'StepCompleted')
      .map((event) => event.type === 'StepCompleted' && event.data.stepKey);
    expect(completed).toEqual(['self-assessment', 'manager-rating', 'peer-rating']);
  });
});

refusals([
  [
    'a self-assessment during planning',
    open,
    { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 80 } },
    as('self'),
    'appraisal-planning',
    'illegal-state',
  ],
  [
    'a self-assessment twice',
    path.rated.events,
    { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 80 } },
    as('self'),
    'self-assessment-submitted',
    'conflict',
  ],
  [
    'a rating off the scale',
    path.approved.events,
    { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 101 } },
    as('self'),
    'rating-out-of-scale',
    'validation',
  ],
  [
    'a self-assessment by the manager',
    path.approved.events,
    { type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 80 } },
    as('manager'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'a peer rating by the manager',
    path.approved.events,
    { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 80 } },
    as('manager'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'a manager rating by a peer',
    path.approved.events,
    { type: 'SubmitRating', data: { appraisalId: AP, group: 'manager', rating: 80 } },
    as('peer'),
    'relation-not-allowed',
    'forbidden',
  ],
  [
    'rating twice',
    path.rated.events,
    { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 80 } },
    as('peer'),
    'already-rated',
    'conflict',
  ],
  [
    'a rater group the workflow lacks',
    path.approved.events,
    { type: 'SubmitRating', data: { appraisalId: AP, group: 'skip-level', rating: 80 } },
    as('skip'),
    'rater-group-not-defined',
    'forbidden',
  ],
  [
    'an expert rating by an employee',
    path.approved.events,
    { type: 'SubmitRating', data: { appraisalId: AP, group: 'expert', rating: 80 } },
    as('peer'),
    'role-not-allowed',
    'forbidden',
  ],
  [
    'rating after finalization',
    path.finalized.events,
    { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 80 } },
    as('peer2'),
    'appraisal-finalized',
    'illegal-state',
  ],
]);
