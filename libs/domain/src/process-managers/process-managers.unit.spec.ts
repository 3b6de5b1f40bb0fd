import {
  appraisalSpec,
  as,
  AP,
  calendar,
  openAppraisal,
  definitionOf,
  happyPath,
  salesDefinition,
  pinnedV1,
  Scenario,
} from '../testing/appraisal-scenario';
import { cycleOpened as cycleOpenedOf } from '../testing/cycle-scenario';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import {
  annualScoring,
  behaviourRescoring,
  cycleOpening,
  periodScoring,
  PROCESS_MANAGERS,
  type ReceivedEvent,
} from './index';
import type { CycleEvent } from '../cycle/cycle.events';
import type { AppraisalEventOf } from '../appraisal/appraisal.events';

const cycleOpened: ReceivedEvent<Extract<CycleEvent, { type: 'CycleOpened' }>> = {
  eventId: '9d0c1f4e-0000-4000-8000-000000000001',
  tenantId: 'acme',
  type: 'CycleOpened',
  data: cycleOpenedOf({
    workflow: pinnedV1,
    appraisals: [
      { appraisalId: 'ap-ann', subject: { kind: 'employee', employeeId: 'ann', orgUnitId: 'east' } },
      { appraisalId: 'ap-bob', subject: { kind: 'employee', employeeId: 'bob', orgUnitId: 'east' } },
    ],
    at: '2026-01-01T08:00:00.000Z',
  }).data,
};

describe('process managers', () => {
  it('cycle-opening: a cycle opened sends one OpenAppraisal per subject with the ids the cycle gave', () => {
    const sent = cycleOpening.react(cycleOpened);
    expect(sent.map(({ command }) => command)).toEqual([
      openAppraisal({ appraisalId: 'ap-ann' }),
      expect.objectContaining({ data: expect.objectContaining({ appraisalId: 'ap-bob' }) }),
    ]);
  });

  it('command ids depend only on the event (and tell its commands and tenants apart)', () => {
    const first = cycleOpening.react(cycleOpened).map((sent) => sent.commandId);
    expect(cycleOpening.react(structuredClone(cycleOpened)).map((sent) => sent.commandId)).toEqual(first);
    expect(new Set(first).size).toBe(2);
    expect(cycleOpening.react({ ...cycleOpened, tenantId: 'other' })[0].commandId).not.toBe(first[0]);
    expect(cycleOpening.react({ ...cycleOpened, eventId: 'another-event' })[0].commandId).not.toBe(first[0]);
  });

  it('behaviour-rescoring: a week scored on a known appraisal sends RescoreBehaviour for its month', () => {
    const weekScored = {
      eventId: 'e-week',
      tenantId: 'acme',
      type: 'WeekScored' as const,
      data: {
        planId: 'ann.2026-W05',
        at: '2026-02-02T09:00:00.000Z',
        month: '2026-01',
        appraisalId: 'ap-ann',
        workflowId: 'sales',
        workflowVersion: 1,
        ratings: [{ criterionId: 'conduct', score: '90' }],
        score: '90.00',
        by: 'mgr',
      },
    };
    expect(behaviourRescoring.react(weekScored)).toEqual([
      {
        commandId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        command: { type: 'RescoreBehaviour', data: { appraisalId: 'ap-ann', periodId: '2026-01' } },
      },
    ]);
    // A week scored before weeks named their appraisal (v1) sends nothing.
    const { appraisalId: _appraisalId, ...v1 } = weekScored.data;
    expect(behaviourRescoring.react({ ...weekScored, data: v1 })).toEqual([]);
  });

  it('period-scoring: a month assessed sends ScorePeriod for that month', () => {
    const assessed = happyPath().assessed.events.find((event) => event.type === 'PeriodReviewAssessed')!;
    const sent = periodScoring.react({
      ...(assessed as {
        type: 'PeriodReviewAssessed';
        data: AppraisalEventOf<'PeriodReviewAssessed'>['data'];
      }),
      eventId: 'e-1',
      tenantId: 'acme',
    });
    expect(sent).toEqual([
      {
        commandId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        command: { type: 'ScorePeriod', data: { appraisalId: AP, periodId: '2026-01' } },
      },
    ]);
  });

  it('every manager is listed for the worker', () => {
    expect(PROCESS_MANAGERS.map((manager) => manager.name)).toEqual([
      'cycle-opening',
      'period-scoring',
      'annual-scoring',
      'behaviour-rescoring',
      'behaviour-weekly-steps',
      'behaviour-daily-steps',
      'cycle-membership',
    ]);
  });
});

describe('ScorePeriod sent by the system', () => {
  const feb = '2026-02-03T09:00:00.000Z';
  const manual = {
    workflowId: 'sales',
    version: 1,
    definition: definitionOf({ ...sales4232Workflow, periodScoring: 'manual' }),
  };
  const score = { type: 'ScorePeriod' as const, data: { appraisalId: AP, periodId: '2026-01' } };

  it('scores the month when the workflow scores on assessment (the default)', () => {
    expect(salesDefinition.periodScoring).toBe('on-assessment');
    const scored = appraisalSpec
      .given(happyPath().assessed.events)
      .when(score, as('system', { now: feb, ids: ['imp-1', 'imp-2', 'imp-3'] }))
      .events();
    expect(scored[0]).toMatchObject({ type: 'PeriodScored', data: { periodId: '2026-01' } });
  });

  it('decides nothing when the workflow keeps scoring a manual step; a manager still scores it', () => {
    appraisalSpec
      .given(happyPath().assessed.events)
      .when(score, as('system', { now: feb, workflow: manual }))
      .then([]);
    const byManager = appraisalSpec
      .given(happyPath().assessed.events)
      .when(score, as('manager', { now: feb, workflow: manual, ids: ['imp-1', 'imp-2', 'imp-3'] }))
      .events();
    expect(byManager[0]).toMatchObject({ type: 'PeriodScored', data: { periodId: '2026-01' } });
  });
});

describe('ScoreAppraisal sent by the system (annual-scoring)', () => {
  const jan = '2027-01-10T09:00:00.000Z';
  const score = { type: 'ScoreAppraisal' as const, data: { appraisalId: AP } };
  const breach = {
    type: 'FileRedLineBreach' as const,
    data: { appraisalId: AP, redLineId: 'fraud', description: 'Invoices back-dated' },
  };
  /** The happy path's months: January scored; the other eleven scored alike (same breakdown). */
  const wholeYear = () => {
    const path = happyPath();
    const january = path.scored.events.find((event) => event.type === 'PeriodScored')!;
    const others = calendar.periods
      .filter((period) => period.periodId !== '2026-01')
      .map((period) => ({ ...january, data: { ...january.data, periodId: period.periodId } }));
    return [...path.rated.events, ...others];
  };

  it('re-scores a score a red line made stale, with the red line applied', () => {
    const path = happyPath();
    const breached = new Scenario(path.annual.events).run(breach, as('hr', { now: jan, ids: ['br-1'] }));
    expect(breached.state.status === 'scored' && breached.state.scoreStale).toBe(true);
    const rescored = appraisalSpec
      .given(breached.events)
      .when(score, as('system', { now: jan }))
      .events();
    expect(rescored).toEqual([
      expect.objectContaining({ type: 'AppraisalScored', data: expect.objectContaining({ grade: 'D' }) }),
    ]);
  });

  it('leaves a fresh score alone, and waits for a complete year', () => {
    appraisalSpec
      .given(happyPath().annual.events)
      .when(score, as('system', { now: jan }))
      .then([]);
    // One month of twelve scored: HR may still score it, the system does not.
    appraisalSpec
      .given(happyPath().rated.events)
      .when(score, as('system', { now: jan }))
      .then([]);
  });

  it('scores a year once every month is scored and every rater group has its responses', () => {
    const scored = appraisalSpec
      .given(wholeYear())
      .when(score, as('system', { now: jan }))
      .events();
    expect(scored[0]).toMatchObject({ type: 'AppraisalScored' });
    // Without the manager's rating the year is not complete.
    const noManager = wholeYear().filter(
      (event) => !(event.type === 'RatingSubmitted' && event.data.group === 'manager'),
    );
    appraisalSpec
      .given(noManager)
      .when(score, as('system', { now: jan }))
      .then([]);
  });

  it('annual-scoring asks after each event that may make the score due', () => {
    expect(annualScoring.eventTypes).toEqual([
      'RedLineBreached',
      'RedLineWithdrawn',
      'RatingSubmitted',
      'SelfAssessmentSubmitted',
      'PeriodScored',
      'PeriodWaived',
    ]);
  });
});
