import {
  appraisalSpec,
  as,
  AP,
  definitionOf,
  happyPath,
  salesDefinition,
} from '../testing/appraisal-scenario';
import { cycleCalendar } from '../cycle/periods';
import { sales4232Workflow } from '../examples/sales-4232.workflow';
import { cycleOpening, periodScoring, PROCESS_MANAGERS, type ReceivedEvent } from './index';
import type { CycleEvent } from '../cycle/cycle.events';
import type { AppraisalEventOf } from '../appraisal/appraisal.events';

const calendar = cycleCalendar(salesDefinition.cadence, 2026);
const cycleOpened: ReceivedEvent<Extract<CycleEvent, { type: 'CycleOpened' }>> = {
  eventId: '9d0c1f4e-0000-4000-8000-000000000001',
  tenantId: 'acme',
  type: 'CycleOpened',
  data: {
    cycleId: 'c2026',
    name: 'Sales 2026',
    year: 2026,
    workflowId: 'sales',
    workflowVersion: 1,
    scorecardTemplate: null,
    startsAt: calendar.startsAt,
    endsAt: calendar.endsAt,
    periods: calendar.periods,
    appraisals: [
      { appraisalId: 'ap-ann', subject: { kind: 'employee', employeeId: 'ann', orgUnitId: 'east' } },
      { appraisalId: 'ap-bob', subject: { kind: 'employee', employeeId: 'bob', orgUnitId: 'east' } },
    ],
    at: '2026-01-01T08:00:00.000Z',
  },
};

describe('process managers', () => {
  it('cycle-opening: a cycle opened sends one OpenAppraisal per subject with the ids the cycle gave', () => {
    const sent = cycleOpening.react(cycleOpened);
    expect(sent.map(({ command }) => command)).toEqual([
      {
        type: 'OpenAppraisal',
        data: {
          appraisalId: 'ap-ann',
          cycleId: 'c2026',
          subject: { kind: 'employee', employeeId: 'ann', orgUnitId: 'east' },
          workflowId: 'sales',
          workflowVersion: 1,
          cycleStartsAt: calendar.startsAt,
          cycleEndsAt: calendar.endsAt,
          periods: calendar.periods,
        },
      },
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
    expect(PROCESS_MANAGERS.map((manager) => manager.name)).toEqual(['cycle-opening', 'period-scoring']);
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
