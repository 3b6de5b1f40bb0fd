import {
  AP,
  added,
  approvePlan,
  as,
  calendar,
  feb,
  fileReview,
  happyPath,
  openAppraisal,
  refusesEach,
  Scenario,
  submitPlan,
  types,
} from '../testing/appraisal-scenario';
import type { AppraisalCommand } from './appraisal.commands';

/** Ann's appraisal as the membership rule opens it for a joiner hired on 14 April. */
const joinerOpening: AppraisalCommand = {
  type: 'OpenJoinerAppraisal',
  data: { ...openAppraisal().data, joinedOn: '2026-04-14' },
};
const may = '2026-05-04T09:00:00.000Z';
const path = happyPath();
const withdraw: AppraisalCommand = {
  type: 'WithdrawAppraisal',
  data: { appraisalId: AP, cause: 'employee-left', effectiveFrom: '2026-05-31' },
};
const move: AppraisalCommand = {
  type: 'MoveAppraisalUnit',
  data: { appraisalId: AP, orgUnitId: 'west', effectiveFrom: '2026-06-01' },
};

describe('a joiner’s appraisal (membership rule, joiners)', () => {
  it('opens as any appraisal and waives the periods that ended before the hire, with the rule as the reason', () => {
    const joined = new Scenario().run(joinerOpening, as('system', { now: '2026-04-14T06:00:00.000Z' }));
    expect(types(joined.events)).toEqual([
      'AppraisalOpened',
      'StepOpened',
      'PeriodWaived',
      'PeriodWaived',
      'PeriodWaived',
    ]);
    expect(joined.events.slice(2).map((event) => event.data)).toEqual(
      ['2026-01', '2026-02', '2026-03'].map((periodId) =>
        expect.objectContaining({
          periodId,
          pii: {
            reason:
              "joined on 2026-04-14: the workflow's membership rule (joiners) waives the periods before",
          },
        }),
      ),
    );
    const state = joined.state;
    expect(state.status !== 'empty' && state.periods['2026-04'].status).toBe('pending');
  });

  it('the plan’s approval opens reviews only for the months from the hire on', () => {
    const approved = new Scenario()
      .run(joinerOpening, as('system', { now: '2026-04-14T06:00:00.000Z' }))
      .run(
        submitPlan({
          targets: [{ indicatorId: 'sales_volume', threshold: 800, target: 1000, stretch: 1200 }],
        }),
        as('self', { now: may }),
      )
      .run(approvePlan(), as('manager', { now: may }));
    const reviews = approved.events.filter(
      (event) => event.type === 'StepOpened' && event.data.kind === 'period-review',
    );
    expect(reviews.map((event) => event.type === 'StepOpened' && event.data.instance)).toEqual(
      calendar.periods.slice(3).map((period) => period.periodId),
    );
  });

  refusesEach([
    [
      'a joiner’s opening sent by HR (the worker’s command)',
      [],
      joinerOpening,
      as('hr'),
      'role-not-allowed',
      'forbidden',
    ],
    [
      'a joiner’s opening twice',
      path.opened.events,
      joinerOpening,
      as('system'),
      'appraisal-exists',
      'conflict',
    ],
  ]);
});

describe('a leaver’s appraisal (membership rule, leavers: withdraw)', () => {
  it('is withdrawn with the rule named, and every open step with it', () => {
    const { approved } = path;
    const state = approved.state;
    const open = state.status === 'empty' ? [] : Object.values(state.steps).filter((step) => step.open);
    expect(open.length).toBeGreaterThan(3);
    const withdrawn = approved.run(withdraw, as('system', { now: may }));
    const events = added(approved, withdrawn);
    expect(events[0]).toEqual({
      type: 'AppraisalWithdrawn',
      data: {
        appraisalId: AP,
        at: may,
        cause: 'employee-left',
        effectiveFrom: '2026-05-31',
        rule: 'membership.leavers',
      },
    });
    expect(
      events
        .slice(1)
        .map((event) => event.type === 'StepWithdrawn' && [event.data.stepKey, event.data.cause]),
    ).toEqual(open.map((step) => [step.stepKey, 'appraisal-withdrawn']));
    const after = withdrawn.state;
    expect(after.status).toBe('withdrawn');
    expect(after.status !== 'empty' && Object.values(after.steps).some((step) => step.open)).toBe(false);
  });

  it('refuses every further command, naming the rule; a timer firing late decides nothing', () => {
    const withdrawn = path.approved.run(withdraw, as('system', { now: may }));
    const state = withdrawn.state;
    expect(() =>
      withdrawn.run(fileReview({ actuals: [], attachments: [] }), as('self', { now: feb })),
    ).toThrow(
      expect.objectContaining({
        code: 'appraisal-withdrawn',
        intent: 'illegal-state',
        details: { rule: 'membership.leavers', cause: 'employee-left', effectiveFrom: '2026-05-31' },
        message: expect.stringContaining('membership.leavers: withdraw'),
      }),
    );
    expect(() => withdrawn.run(withdraw, as('system', { now: may }))).toThrow(
      expect.objectContaining({ code: 'appraisal-withdrawn' }),
    );
    const planStep = state.status === 'empty' ? undefined : Object.values(state.steps)[0];
    const fired = withdrawn.run(
      {
        type: 'FireTimer',
        data: {
          appraisalId: AP,
          kind: 'reminder',
          stepKey: planStep!.stepKey,
          occurrence: planStep!.occurrence,
          level: 0,
          dueAt: may,
        },
      },
      as('system', { now: may }),
    );
    expect(fired.events.length).toBe(withdrawn.events.length);
  });

  refusesEach([
    [
      'withdrawing a finalized appraisal',
      path.finalized.events,
      withdraw,
      as('system'),
      'appraisal-finalized',
      'illegal-state',
    ],
    [
      'withdrawing by HR (the worker’s command)',
      path.approved.events,
      withdraw,
      as('hr'),
      'role-not-allowed',
      'forbidden',
    ],
  ]);
});

describe('a mover’s appraisal (membership rule, movers: unitAt cycle-end)', () => {
  it('counts in the new unit; a move to the same unit records nothing', () => {
    const { approved } = path;
    const moved = approved.run(move, as('system', { now: may }));
    expect(moved.events.at(-1)).toEqual({
      type: 'AppraisalUnitChanged',
      data: {
        appraisalId: AP,
        at: may,
        fromOrgUnitId: 'east',
        orgUnitId: 'west',
        effectiveFrom: '2026-06-01',
        rule: 'membership.movers',
      },
    });
    const state = moved.state;
    expect(state.status !== 'empty' && state.subject).toEqual({
      kind: 'employee',
      employeeId: 'ann',
      orgUnitId: 'west',
    });
    expect(moved.run(move, as('system', { now: may })).events.length).toBe(moved.events.length);
  });

  refusesEach([
    [
      'moving a finalized appraisal',
      path.finalized.events,
      move,
      as('system'),
      'appraisal-finalized',
      'illegal-state',
    ],
  ]);
});
