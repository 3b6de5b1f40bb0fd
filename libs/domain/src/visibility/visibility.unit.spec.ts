import type { Relation, Role } from '../shared/context';
import {
  anonymousRatersOf,
  seesActor,
  seesAppraisal,
  seesName,
  seesPersonalData,
  visibleEventData,
  visibleRatings,
  type Viewer,
  type VisibleEvent,
} from './visibility';

const viewer = (
  role: Role,
  relation: Relation,
  userId = `u-${role}-${relation}`,
  scopes: string[] = [],
): Viewer => ({
  role,
  relation,
  userId,
  scopes,
});

const returned: VisibleEvent = {
  type: 'PlanReturned',
  data: { appraisalId: 'a', pii: { annotations: [{ text: 'aim higher' }] } },
  actorId: 'u-mgr',
};
const peerRating: VisibleEvent = {
  type: 'RatingSubmitted',
  data: {
    appraisalId: 'a',
    raterId: 'u-bob',
    group: 'peer',
    rating: '61.5',
    anonymous: true,
    pii: { comment: 'x' },
  },
  actorId: 'u-bob',
};
const stepDone: VisibleEvent = {
  type: 'StepCompleted',
  data: { appraisalId: 'a', stepKey: 'peer-rating', by: 'u-bob' },
  actorId: 'u-bob',
};

it('personal data: the author, HR, admins and the pii scope; the appraisee and manager chain for words on the appraisal', () => {
  const matrix: [Viewer, boolean][] = [
    [viewer('manager', 'manager', 'u-mgr'), true], // the author
    [viewer('employee', 'self'), true],
    [viewer('manager', 'manager'), true],
    [viewer('manager', 'skip-level'), true],
    [viewer('hr', 'none'), true],
    [viewer('admin', 'none'), true],
    [viewer('integrator', 'none', 'key', ['pii']), true],
    [viewer('integrator', 'none', 'key'), false],
    [viewer('auditor', 'none'), false],
    [viewer('process-owner', 'none'), false],
    [viewer('employee', 'peer'), false],
    [viewer('manager', 'none'), false],
  ];
  for (const [who, sees] of matrix)
    expect({ who, sees: seesPersonalData(who, returned) }).toEqual({ who, sees });
  expect(visibleEventData(viewer('auditor', 'none'), returned, new Set())).toMatchObject({ pii: 'redacted' });
});

it('an anonymous rater and their single rating reach neither the appraisee nor the manager chain', () => {
  const raters = anonymousRatersOf([returned, peerRating, stepDone]);
  expect([...raters]).toEqual(['u-bob']);
  for (const who of [
    viewer('employee', 'self'),
    viewer('manager', 'manager'),
    viewer('manager', 'skip-level'),
  ]) {
    expect(seesActor(who, peerRating, raters)).toBe(false);
    expect(seesActor(who, stepDone, raters)).toBe(false);
    expect(visibleEventData(who, peerRating, raters)).toMatchObject({
      raterId: 'anonymous',
      rating: 'withheld',
      pii: 'redacted',
    });
    expect(visibleEventData(who, stepDone, raters)).toMatchObject({ by: 'anonymous' });
  }
  expect(seesActor(viewer('employee', 'peer', 'u-bob'), peerRating, raters)).toBe(true);
  for (const who of [
    viewer('hr', 'none'),
    viewer('auditor', 'none'),
    viewer('integrator', 'none', 'k', ['pii']),
  ])
    expect(visibleEventData(who, peerRating, raters)).toMatchObject({ raterId: 'u-bob', rating: '61.5' });
});

it('folds an anonymous group into its average once the minimum is met', () => {
  const groups = [
    { group: 'peer' as const, anonymous: true, minResponses: 2 },
    { group: 'manager' as const, anonymous: false, minResponses: 1 },
  ];
  const rounding = { mode: 'half-up' as const, places: 2 };
  const one = [
    { raterId: 'u-mgr', group: 'manager' as const, rating: '80' },
    { raterId: 'u-bob', group: 'peer' as const, rating: '61.5' },
  ];
  const self = viewer('employee', 'self');
  expect(visibleRatings(self, one, groups, rounding)).toEqual([
    { raterId: 'u-mgr', group: 'manager', rating: '80' },
    { group: 'peer', anonymous: true, responses: 1, minResponses: 2, average: null },
  ]);
  const two = [...one, { raterId: 'u-cai', group: 'peer' as const, rating: '78.5' }];
  expect(visibleRatings(self, two, groups, rounding)[1]).toMatchObject({ responses: 2, average: '70.00' });
  expect(visibleRatings(viewer('hr', 'none'), two, groups, rounding)).toEqual(two);
});

describe('who may know an appraisal exists, and whose names reach whom', () => {
  it('an appraisal is seen by the appraisee, the manager chain and the roles that read every appraisal', () => {
    for (const relation of ['self', 'manager', 'skip-level'] as const)
      expect(seesAppraisal(viewer('manager', relation))).toBe(true);
    for (const role of ['hr', 'admin', 'process-owner', 'auditor'] as const)
      expect(seesAppraisal(viewer(role, 'none'))).toBe(true);
    expect(seesAppraisal(viewer('employee', 'peer'))).toBe(false);
    expect(seesAppraisal(viewer('manager', 'none'))).toBe(false);
    expect(seesAppraisal(viewer('integrator', 'none', 'i', ['pii']))).toBe(false);
  });

  it("a person's name reaches them, their unit's managers, HR, admins and the pii scope; nobody else", () => {
    for (const relation of ['self', 'manager', 'skip-level'] as const)
      expect(seesName(viewer('manager', relation))).toBe(true);
    expect(seesName(viewer('hr', 'none'))).toBe(true);
    expect(seesName(viewer('admin', 'none'))).toBe(true);
    expect(seesName(viewer('integrator', 'none', 'i', ['pii']))).toBe(true);
    expect(seesName(viewer('employee', 'peer'))).toBe(false);
    expect(seesName(viewer('manager', 'none'))).toBe(false);
    expect(seesName(viewer('process-owner', 'none'))).toBe(false);
    expect(seesName(viewer('auditor', 'none'))).toBe(false);
    expect(seesName(viewer('integrator', 'none'))).toBe(false);
  });
});
