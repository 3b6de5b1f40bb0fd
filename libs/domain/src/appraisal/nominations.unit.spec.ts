import { createdIdOf } from './created-ids';
import {
  AP,
  Scenario,
  as,
  happyPath,
  jan,
  scoreAppraisal,
  waiveUnscored,
} from '../testing/appraisal-scenario';
import type { AppraisalContext } from './appraisal.decide';

const dec = '2026-12-20T09:00:00.000Z';

/** A colleague from elsewhere in the directory: no relation to the appraisee, only a nomination. */
const nominee = (employeeId: string, now = dec): AppraisalContext => {
  const ctx = as('stranger', { now });
  return { ...ctx, actor: { id: `u-${employeeId}`, role: 'employee', employeeId } };
};

/** The appraisal's steps (an unopened appraisal has none). */
const stepsOf = (scenario: Scenario): Record<string, { open: boolean }> =>
  scenario.state.status === 'empty' ? {} : scenario.state.steps;

const nominate = (scenario: Scenario, employeeId: string, ctx: AppraisalContext) =>
  scenario.run({ type: 'NominateRater', data: { appraisalId: AP, group: 'peer', employeeId } }, ctx);

/** Each nominee's peer rating, in turn. */
const peersRate = (scenario: Scenario, ratings: [employeeId: string, rating: number][]) =>
  ratings.reduce(
    (year, [employeeId, rating]) =>
      year.run(
        { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating } },
        nominee(employeeId),
      ),
    scenario,
  );

/** The year's months scored or waived, self and manager ratings in, no peer has rated yet. */
function withoutPeers() {
  return waiveUnscored(happyPath().scored)
    .run({ type: 'SubmitSelfAssessment', data: { appraisalId: AP, rating: 90 } }, as('self', { now: dec }))
    .run(
      { type: 'SubmitRating', data: { appraisalId: AP, group: 'manager', rating: 80 } },
      as('manager', { now: dec }),
    );
}

describe('nominating raters for the 360', () => {
  it('the appraisee proposes, the manager approves, HR assigns: the nomination ids come back with the events', () => {
    const proposed = nominate(withoutPeers(), 'e-kim', as('self', { ids: ['nom-1'] }));
    const event = proposed.events.at(-2)!;
    expect(event).toMatchObject({
      type: 'RaterNominated',
      data: {
        nominationId: 'nom-1',
        group: 'peer',
        employeeId: 'e-kim',
        status: 'proposed',
        nominatedBy: 'u-ann',
      },
    });
    expect(createdIdOf(event)).toEqual({ nominationId: 'nom-1' });
    const approved = proposed.run(
      { type: 'ApproveNomination', data: { appraisalId: AP, nominationId: 'nom-1' } },
      as('manager'),
    );
    expect(approved.state).toMatchObject({ nominations: { 'nom-1': { status: 'approved' } } });
    const assigned = nominate(approved, 'e-lou', as('hr', { ids: ['nom-2'] }));
    expect(assigned.events.at(-1)).toMatchObject({ type: 'RaterNominated', data: { status: 'approved' } });
  });

  it('a team lead whose manager has no other reports gets an annual score from nominated raters', () => {
    let year = nominate(withoutPeers(), 'e-kim', as('self', { ids: ['nom-1'] }));
    year = year.run(
      { type: 'ApproveNomination', data: { appraisalId: AP, nominationId: 'nom-1' } },
      as('manager'),
    );
    year = nominate(year, 'e-lou', as('hr', { ids: ['nom-2'] }));
    year = peersRate(year, [
      ['e-kim', 70],
      ['e-lou', 90],
    ]);
    const scored = year.run(scoreAppraisal(), as('hr', { now: jan }));
    expect(scored.state.status).toBe('scored');
    expect(scored.events.at(-2)).toMatchObject({
      type: 'AppraisalScored',
      data: { groups: expect.arrayContaining([expect.objectContaining({ group: 'peer', responses: 2 })]) },
    });
  });

  it('without enough nominees the annual score names the peer group short of its minimum', () => {
    const year = peersRate(nominate(withoutPeers(), 'e-lou', as('hr', { ids: ['nom-2'] })), [['e-lou', 90]]);
    expect(() => year.run(scoreAppraisal(), as('hr', { now: jan }))).toThrow(
      expect.objectContaining({ code: 'ratings-incomplete', message: 'missing ratings: peer 1/2' }),
    );
  });

  it('a proposed or rejected nominee may not rate; a stranger never may', () => {
    const proposed = nominate(withoutPeers(), 'e-kim', as('self', { ids: ['nom-1'] }));
    const rate = { type: 'SubmitRating', data: { appraisalId: AP, group: 'peer', rating: 70 } } as const;
    expect(() => proposed.run(rate, nominee('e-kim'))).toThrow(
      expect.objectContaining({ code: 'relation-not-allowed' }),
    );
    const rejected = proposed.run(
      {
        type: 'RejectNomination',
        data: { appraisalId: AP, nominationId: 'nom-1', reason: 'Works in another region' },
      },
      as('manager'),
    );
    expect(rejected.events.at(-2)).toMatchObject({
      type: 'NominationRejected',
      data: { nominationId: 'nom-1', pii: { reason: 'Works in another region' } },
    });
    expect(() => rejected.run(rate, nominee('e-kim'))).toThrow(
      expect.objectContaining({ code: 'relation-not-allowed' }),
    );
    expect(() => rejected.run(rate, nominee('e-zed'))).toThrow(
      expect.objectContaining({ code: 'relation-not-allowed' }),
    );
  });

  it('refuses a peer, a stranger or an auditor nominating, the appraisee nominating themselves, and a second standing nomination', () => {
    const year = withoutPeers();
    for (const who of ['peer', 'stranger', 'auditor'] as const)
      expect(() => nominate(year, 'e-kim', as(who))).toThrow(
        expect.objectContaining({ name: 'ForbiddenError' }),
      );
    expect(() => nominate(year, 'ann', as('self'))).toThrow(
      expect.objectContaining({
        code: 'invalid-nomination',
        issues: [expect.objectContaining({ path: 'employeeId', rule: 'not-the-appraisee' })],
      }),
    );
    const once = nominate(year, 'e-kim', as('self', { ids: ['nom-1'] }));
    expect(() => nominate(once, 'e-kim', as('hr'))).toThrow(
      expect.objectContaining({ code: 'already-nominated' }),
    );
  });

  it("a proposal is a step of the manager's until decided; HR's assignment opens none", () => {
    const proposed = nominate(withoutPeers(), 'e-kim', as('self', { ids: ['nom-1'] }));
    expect(proposed.events.at(-1)).toMatchObject({
      type: 'StepOpened',
      data: {
        stepKey: 'nomination-approval.nom-1',
        kind: 'nomination-approval',
        instance: 'nom-1',
        assignee: { actor: 'manager', employeeId: null },
      },
    });
    expect(stepsOf(proposed)['nomination-approval.nom-1']).toMatchObject({ open: true });
    const approved = proposed.run(
      { type: 'ApproveNomination', data: { appraisalId: AP, nominationId: 'nom-1' } },
      as('manager'),
    );
    expect(approved.events.slice(-2).map((e) => e.type)).toEqual(['NominationApproved', 'StepCompleted']);
    expect(stepsOf(approved)['nomination-approval.nom-1']).toMatchObject({ open: false });
    const rejected = proposed.run(
      { type: 'RejectNomination', data: { appraisalId: AP, nominationId: 'nom-1', reason: 'Not this year' } },
      as('hr'),
    );
    expect(stepsOf(rejected)['nomination-approval.nom-1']).toMatchObject({ open: false });
    const assigned = nominate(withoutPeers(), 'e-lou', as('hr', { ids: ['nom-2'] }));
    expect(assigned.events.at(-1)).toMatchObject({ type: 'RaterNominated' });
    expect(stepsOf(assigned)['nomination-approval.nom-2']).toBeUndefined();
  });

  it('only the manager or HR decides a proposal, and only once', () => {
    const proposed = nominate(withoutPeers(), 'e-kim', as('self', { ids: ['nom-1'] }));
    const approve = { type: 'ApproveNomination', data: { appraisalId: AP, nominationId: 'nom-1' } } as const;
    expect(() => proposed.run(approve, as('self'))).toThrow(
      expect.objectContaining({ code: 'relation-not-allowed' }),
    );
    const approved = proposed.run(approve, as('hr'));
    expect(() => approved.run(approve, as('manager'))).toThrow(
      expect.objectContaining({ code: 'nomination-decided' }),
    );
    expect(() =>
      approved.run(
        { type: 'ApproveNomination', data: { appraisalId: AP, nominationId: 'nom-9' } },
        as('manager'),
      ),
    ).toThrow(expect.objectContaining({ code: 'nomination-not-found' }));
  });

  it("a proposal still undecided when the appraisal is scored leaves the manager's inbox: its step is withdrawn, saying why", () => {
    let year = nominate(withoutPeers(), 'e-kim', as('self', { ids: ['nom-1'] }));
    year = nominate(year, 'e-lou', as('hr', { ids: ['nom-2'] }));
    year = nominate(year, 'e-max', as('hr', { ids: ['nom-3'] }));
    year = peersRate(year, [
      ['e-lou', 70],
      ['e-max', 90],
    ]);
    expect(stepsOf(year)['nomination-approval.nom-1']).toMatchObject({ open: true });
    const scored = year.run(scoreAppraisal(), as('hr', { now: jan }));
    expect(scored.events.slice(-3).map((e) => e.type)).toEqual([
      'AppraisalScored',
      'StepOpened',
      'StepWithdrawn',
    ]);
    expect(scored.events.at(-1)).toMatchObject({
      data: { stepKey: 'nomination-approval.nom-1', occurrence: 1, cause: 'appraisal-scored', at: jan },
    });
    expect(stepsOf(scored)['nomination-approval.nom-1']).toMatchObject({ open: false });
    // Never decided: the proposal stays a proposal, and nobody may decide it now.
    expect(scored.state).toMatchObject({ nominations: { 'nom-1': { status: 'proposed' } } });
    expect(() =>
      scored.run(
        { type: 'ApproveNomination', data: { appraisalId: AP, nominationId: 'nom-1' } },
        as('manager'),
      ),
    ).toThrow(expect.objectContaining({ code: 'appraisal-scored' }));
    // Scored again (HR re-scores): nothing left to withdraw.
    const again = scored.run(scoreAppraisal(), as('hr', { now: jan }));
    expect(again.events.slice(scored.events.length).map((e) => e.type)).toEqual(['AppraisalScored']);
    // An appraisal scored before scoring withdrew proposals still holds the step: finalizing withdraws it.
    const scoredBefore = new Scenario(scored.events.filter((e) => e.type !== 'StepWithdrawn'));
    expect(stepsOf(scoredBefore)['nomination-approval.nom-1']).toMatchObject({ open: true });
    const finalized = scoredBefore.run(
      { type: 'FinalizeAppraisal', data: { appraisalId: AP } },
      as('hr', { now: jan }),
    );
    expect(finalized.events.at(-1)).toMatchObject({
      type: 'StepWithdrawn',
      data: { stepKey: 'nomination-approval.nom-1', cause: 'appraisal-scored' },
    });
    expect(stepsOf(finalized)['nomination-approval.nom-1']).toMatchObject({ open: false });
  });
});
