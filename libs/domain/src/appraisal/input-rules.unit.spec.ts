import { sales4232Workflow } from '../examples/sales-4232.workflow';
import {
  appraisalSpec,
  as,
  AP,
  definitionOf,
  happyPath,
  mixCampaign,
  workedActuals,
} from '../testing/appraisal-scenario';
import type { AppraisalContext } from './appraisal.decide';

const path = happyPath();

describe('input rules: a period review is filed once the period is over', () => {
  const file = {
    type: 'FilePeriodReview' as const,
    data: {
      appraisalId: AP,
      periodId: '2026-01',
      actuals: workedActuals,
      attachments: [{ indicatorId: 'product_mix', ref: 'doc-17' }],
      gapReasons: 'Slow mix uptake',
    },
  };

  it('refuses a review of a month not yet over (422, naming periodId and when it opens)', () => {
    appraisalSpec
      .given(path.approved.events)
      .when(file, as('self', { now: '2026-01-20T09:00:00.000Z' }))
      .thenThrows('period-not-ended', 'illegal-state');
    let refused: unknown;
    try {
      appraisalSpec
        .given(path.approved.events)
        .when(file, as('self', { now: '2026-01-20T09:00:00.000Z' }))
        .events();
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      message: expect.stringMatching(/^periodId: .*2026-02-01T00:00:00.000Z/),
      details: { path: 'periodId', opensAt: '2026-02-01T00:00:00.000Z' },
    });
  });

  it('files it once the month is over, or within the early window the workflow allows', () => {
    appraisalSpec
      .given(path.approved.events)
      .when(file, as('self', { now: '2026-02-01T00:00:00.000Z' }))
      .thenMatches([{ type: 'PeriodReviewFiled' }, { type: 'StepCompleted' }, { type: 'StepOpened' }]);
    const early = {
      workflowId: 'sales',
      version: 1,
      definition: definitionOf({ ...sales4232Workflow, earlyFilingDays: 15 }),
    };
    appraisalSpec
      .given(path.approved.events)
      .when(file, as('self', { now: '2026-01-20T09:00:00.000Z', workflow: early }))
      .thenMatches([{ type: 'PeriodReviewFiled' }, { type: 'StepCompleted' }, { type: 'StepOpened' }]);
  });
});

/** The cycle and directory an appraisal HR opens by hand is checked against (as the API loads them). */
function openingFactsFor(data: Record<string, unknown>): NonNullable<AppraisalContext['opening']> {
  const subject = data.subject as { employeeId: string; orgUnitId: string };
  const since = '2020-01-01';
  return {
    cycle: {
      status: 'open',
      id: String(data.cycleId),
      workflowId: String(data.workflowId),
      workflowVersion: Number(data.workflowVersion),
      startsAt: String(data.cycleStartsAt),
      endsAt: String(data.cycleEndsAt),
      appraisalIds: [],
      unitOf: {},
    },
    directory: {
      status: 'active',
      tenantId: 't1',
      name: 'T1',
      orgUnits: {
        [subject.orgUnitId]: {
          kind: 'team',
          createdFrom: since,
          parent: [{ from: since, value: null }],
          name: [{ from: since, value: 'Sales' }],
        },
      },
      employees: {
        [subject.employeeId]: {
          hiredFrom: since,
          leftFrom: null,
          orgUnit: [{ from: since, value: subject.orgUnitId }],
          manager: [{ from: since, value: null }],
          position: null,
        },
      },
      processOwners: [],
      hrPartners: [],
    },
  };
}

describe('input rules: an appraisal is opened with dates that make a cycle', () => {
  const opened = path.opened.events[0] as { data: Record<string, unknown> };
  const facts = openingFactsFor(opened.data);
  const open = (data: Record<string, unknown>, opening = facts) =>
    appraisalSpec
      .given([])
      .when({ type: 'OpenAppraisal', data: { ...opened.data, ...data } as never }, as('hr', { opening }));
  const issues = (data: Record<string, unknown>) => {
    try {
      open(data).events();
    } catch (error) {
      return (error as { code: string; issues: { path: string; rule: string }[] }).issues;
    }
    return [];
  };

  it('refuses years 0000 and 9999, an end before the start and periods outside the cycle, naming each field', () => {
    open({ cycleStartsAt: '0000-01-01T00:00:00.000Z' }).thenThrows('invalid-cycle-dates', 'validation');
    expect(
      issues({ cycleStartsAt: '0000-01-01T00:00:00.000Z', cycleEndsAt: '9999-12-31T00:00:00.000Z' }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'cycleStartsAt', rule: 'year-range' }),
        expect.objectContaining({ path: 'cycleEndsAt', rule: 'year-range' }),
      ]),
    );
    expect(issues({ cycleEndsAt: '2025-06-30T00:00:00.000Z' })).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'cycleEndsAt', rule: 'end-after-start' })]),
    );
    expect(
      issues({
        periods: [
          { periodId: '2031-01', startsAt: '2031-01-01T00:00:00.000Z', endsAt: '2031-02-01T00:00:00.000Z' },
        ],
      }),
    ).toEqual([expect.objectContaining({ path: 'periods[0]', rule: 'period-in-cycle' })]);
  });

  it('opens an appraisal whose dates make a cycle', () => {
    expect(issues({})).toEqual([]);
    expect(open({}).events()[0]).toMatchObject({ type: 'AppraisalOpened' });
  });
});

describe("input rules: HR's appraisal opened by hand agrees with its cycle and the directory", () => {
  const opened = path.opened.events[0] as { data: Record<string, unknown> };
  const facts = openingFactsFor(opened.data);
  const subject = opened.data.subject as { employeeId: string; orgUnitId: string };
  const refusal = (data: Record<string, unknown>, opening = facts) => {
    try {
      appraisalSpec
        .given([])
        .when({ type: 'OpenAppraisal', data: { ...opened.data, ...data } as never }, as('hr', { opening }))
        .events();
    } catch (error) {
      return error as { code: string; issues: { path: string; rule: string }[] };
    }
    throw new Error('the opening was accepted');
  };

  it('refuses an unknown or closed cycle, naming cycleId', () => {
    const unknown = refusal({}, { ...facts, cycle: { status: 'empty' } });
    expect(unknown.code).toBe('opening-disagrees-with-cycle');
    expect(unknown.issues).toEqual([expect.objectContaining({ path: 'cycleId', rule: 'known-cycle' })]);
    const closed = refusal(
      {},
      { ...facts, cycle: { ...facts.cycle, status: 'closed' } as typeof facts.cycle },
    );
    expect(closed.issues).toEqual([expect.objectContaining({ path: 'cycleId', rule: 'cycle-open' })]);
  });

  it("refuses another workflow, version or dates than the cycle's, naming each field", () => {
    expect(refusal({ workflowId: 'other-flow' }).issues).toEqual([
      expect.objectContaining({ path: 'workflowId', rule: 'matches-cycle' }),
    ]);
    expect(refusal({ workflowVersion: 2 }).issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'workflowVersion', rule: 'matches-cycle' })]),
    );
    expect(
      refusal({ cycleStartsAt: '2026-02-01T00:00:00.000Z', periods: [] }).issues.map((issue) => issue.path),
    ).toEqual(['cycleStartsAt']);
  });

  it('refuses an employee the directory does not know, or in another unit, and an unknown org unit', () => {
    expect(refusal({ subject: { ...subject, employeeId: 'e-nobody' } }).issues).toEqual([
      expect.objectContaining({ path: 'subject.employeeId', rule: 'known-employee' }),
    ]);
    expect(refusal({ subject: { ...subject, orgUnitId: 'elsewhere' } }).issues).toEqual([
      expect.objectContaining({ path: 'subject.orgUnitId', rule: 'employee-unit' }),
    ]);
    expect(refusal({ subject: { kind: 'org-unit', orgUnitId: 'no-such-unit' } }).issues).toEqual([
      expect.objectContaining({ path: 'subject.orgUnitId', rule: 'known-org-unit' }),
    ]);
  });

  it("the cycle's process manager opens from the cycle itself, without these facts", () => {
    expect(
      appraisalSpec
        .given([])
        .when({ type: 'OpenAppraisal', data: opened.data as never }, as('system'))
        .events()[0],
    ).toMatchObject({ type: 'AppraisalOpened' });
  });
});

describe('input rules: an approved key action leaves the plan only by explicit removal with a reason', () => {
  const change = (extra: {
    actions?: unknown[];
    removedActions?: { actionId: string; reason: string }[];
  }) => ({
    type: 'RequestPlanChange' as const,
    data: {
      appraisalId: AP,
      targets: [],
      actions: [],
      removedActions: [],
      reason: 'New warehouse',
      ...extra,
    } as never,
  });
  const refusal = (command: ReturnType<typeof change>) => {
    try {
      appraisalSpec
        .given(path.approved.events)
        .when(command, as('self', { ids: ['chg-1'] }))
        .events();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('refuses a change that silently drops an approved action (422, naming actions and the action)', () => {
    appraisalSpec
      .given(path.approved.events)
      .when(change({}), as('self', { ids: ['chg-1'] }))
      .thenThrows('approved-action-dropped', 'illegal-state');
    expect(refusal(change({}))).toMatchObject({
      message: expect.stringMatching(/^actions: approved key action act-1 missing/),
      details: { path: 'actions', rule: 'approved-action-kept-or-removed', actionIds: ['act-1'] },
    });
  });

  it('records an explicit removal with its reason, and refuses removing what is not an approved action', () => {
    appraisalSpec
      .given(path.approved.events)
      .when(
        change({ removedActions: [{ actionId: 'act-1', reason: 'Campaign cancelled' }] }),
        as('self', { ids: ['chg-1'] }),
      )
      .thenMatches([
        {
          type: 'PlanChangeRequested',
          data: {
            actions: [],
            pii: { removedActions: [{ actionId: 'act-1', reason: 'Campaign cancelled' }] },
          },
        },
        { type: 'StepOpened' },
      ]);
    expect(
      refusal(
        change({
          removedActions: [
            { actionId: 'act-1', reason: 'Campaign cancelled' },
            { actionId: 'act-9', reason: 'Never existed' },
          ],
        }),
      ),
    ).toMatchObject({ code: 'removed-action-unknown', details: { path: 'removedActions[1].actionId' } });
  });

  it('keeps an approved action listed again by its id without any removal', () => {
    const kept = { ...mixCampaign, actionId: 'act-1', dueDate: '2026-06-30' };
    appraisalSpec
      .given(path.approved.events)
      .when(change({ actions: [kept] }), as('self', { ids: ['chg-1'] }))
      .thenMatches([
        { type: 'PlanChangeRequested', data: { actions: [{ actionId: 'act-1' }] } },
        { type: 'StepOpened' },
      ]);
  });
});
