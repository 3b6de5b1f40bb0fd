import { parseWorkflowDefinition, sales4232Workflow, type StepState } from '../index';
import {
  addWorkingDays,
  addWorkingDaysToDate,
  BusinessCalendar,
  instantOf,
  isWorkingDay,
  localDateOf,
  startOfDueDay,
  utcOffsetMs,
} from './business-calendar';
import { businessTimersOf } from './business-timers';
import { as, calendar as cycle, Scenario } from '../testing/appraisal-scenario';
import type { WorkflowDefinition } from '../workflow/workflow-definition.schema';

const shanghai = BusinessCalendar.parse({
  timeZone: 'Asia/Shanghai',
  // National Day 2026 (a Thursday to the next Wednesday), with Saturday 10 October worked instead.
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workingWeekends: ['2026-10-10'],
});
const berlin = BusinessCalendar.parse({ timeZone: 'Europe/Berlin', holidays: ['2026-04-03'] });

describe('business calendar: weekends and holidays', () => {
  it('skips the weekend: one working day before a Monday is the Friday, at the same local time', () => {
    // Monday 2 March 2026, 10:00 in Shanghai (UTC+8).
    expect(addWorkingDays('2026-03-02T02:00:00.000Z', -1, shanghai)).toBe('2026-02-27T02:00:00.000Z');
    expect(addWorkingDays('2026-02-27T02:00:00.000Z', 1, shanghai)).toBe('2026-03-02T02:00:00.000Z');
  });

  it('uses the local date, not the UTC one: 07:00 Monday in Shanghai is still Sunday in UTC', () => {
    expect(localDateOf('2026-03-01T23:00:00.000Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(addWorkingDays('2026-03-01T23:00:00.000Z', 1, shanghai)).toBe('2026-03-02T23:00:00.000Z');
  });

  it('skips holidays and counts a worked Saturday', () => {
    expect(isWorkingDay('2026-10-01', shanghai)).toBe(false);
    expect(isWorkingDay('2026-10-10', shanghai)).toBe(true);
    expect(isWorkingDay('2026-10-11', shanghai)).toBe(false);
    // From Wednesday 30 September: the next working day is Thursday 8 October, then Friday 9, then Saturday 10.
    expect(addWorkingDaysToDate('2026-09-30', 1, shanghai)).toBe('2026-10-08');
    expect(addWorkingDaysToDate('2026-09-30', 3, shanghai)).toBe('2026-10-10');
    expect(addWorkingDaysToDate('2026-10-08', -1, shanghai)).toBe('2026-09-30');
    // Zero days on a day off rolls forward to the next working day.
    expect(addWorkingDaysToDate('2026-10-03', 0, shanghai)).toBe('2026-10-08');
  });

  it('refuses a calendar without a working weekday rather than looping', () => {
    const allWeek = [1, 2, 3, 4, 5, 6, 7];
    expect(BusinessCalendar.safeParse({ timeZone: 'UTC', weekend: allWeek }).error?.issues[0].path).toEqual([
      'weekend',
    ]);
    const never = { ...BusinessCalendar.parse({ timeZone: 'UTC' }), weekend: allWeek };
    expect(() => addWorkingDaysToDate('2026-01-01', 1, never)).toThrow('at least one working weekday');
  });
});

describe('business calendar: daylight saving time', () => {
  it('keeps 09:30 local across the spring change in Berlin (CET +1 → CEST +2 on 29 March 2026)', () => {
    // Tuesday 31 March 09:30 CEST = 07:30Z; two working days before is Friday 27 March 09:30 CET = 08:30Z.
    expect(addWorkingDays('2026-03-31T07:30:00.000Z', -2, berlin)).toBe('2026-03-27T08:30:00.000Z');
  });

  it('keeps 09:30 local across the autumn change (CEST → CET on 25 October 2026)', () => {
    // Friday 23 October 09:30 CEST = 07:30Z; two working days later is Tuesday 27 October 09:30 CET = 08:30Z.
    expect(addWorkingDays('2026-10-23T07:30:00.000Z', 2, berlin)).toBe('2026-10-27T08:30:00.000Z');
  });

  it('resolves wall times in the gap forward and ambiguous ones to the earlier instant', () => {
    expect(utcOffsetMs(Date.parse('2026-03-29T00:30:00.000Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(utcOffsetMs(Date.parse('2026-03-29T01:30:00.000Z'), 'Europe/Berlin')).toBe(7_200_000);
    expect(instantOf('2026-03-29', '01:30', 'Europe/Berlin')).toBe('2026-03-29T00:30:00.000Z');
    expect(instantOf('2026-03-29', '02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(instantOf('2026-10-25', '02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z'); // CEST
    expect(instantOf('2026-10-25', '03:30', 'Europe/Berlin')).toBe('2026-10-25T02:30:00.000Z'); // CET
    expect(instantOf('2026-03-08', '09:00', 'America/New_York')).toBe('2026-03-08T13:00:00.000Z');
    expect(instantOf('2026-03-07', '09:00', 'America/New_York')).toBe('2026-03-07T14:00:00.000Z');
  });

  it('starts the due day at the local morning, or the previous working morning before it', () => {
    // Due Tuesday 31 March 2026 at 12:00 CEST: the day starts 09:00 CEST = 07:00Z.
    expect(startOfDueDay('2026-03-31T10:00:00.000Z', berlin)).toBe('2026-03-31T07:00:00.000Z');
    // Due Monday 30 March at 08:00 CEST (before 09:00): the previous working morning is Friday 27, 09:00 CET.
    expect(startOfDueDay('2026-03-30T06:00:00.000Z', berlin)).toBe('2026-03-27T08:00:00.000Z');
    // Due Monday 6 April (after Good Friday, 3 April): Thursday 2 April at 09:00 CEST.
    expect(startOfDueDay('2026-04-06T06:00:00.000Z', berlin)).toBe('2026-04-02T07:00:00.000Z');
  });
});

describe('business timers of a step', () => {
  const withCalendar = (offsets?: 'working-days', holidays = ['2026-04-03']) => {
    const draft = structuredClone(sales4232Workflow) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    draft.calendar = { timeZone: 'Europe/Berlin', holidays };
    if (offsets) draft.steps[0].offsets = offsets;
    const parsed = parseWorkflowDefinition(draft);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.definition;
  };
  // The plan step: reminders 3 and 1 day(s) before and on the due day; escalations 1, 3, 5 days after.
  const step: Omit<StepState, 'open'> = {
    stepKey: 'plan',
    kind: 'plan',
    instance: null,
    occurrence: 1,
    assignee: { actor: 'self', employeeId: 'ann' },
    openedAt: '2026-03-16T08:00:00.000Z',
    dueAt: '2026-03-31T07:30:00.000Z', // Tuesday 09:30 CEST
    workflowVersion: 1,
  };

  it('counts working days in the tenant time zone when the step asks for it', () => {
    const timers = businessTimersOf('ap-1', step, withCalendar('working-days'));
    expect(timers.map((timer) => [timer.timerKey, timer.fireAt])).toEqual([
      ['reminder-ap-1-plan-1-0', '2026-03-26T08:30:00.000Z'], // Thursday 09:30 CET, the weekend skipped
      ['reminder-ap-1-plan-1-1', '2026-03-30T07:30:00.000Z'], // Monday 09:30 CEST
      ['reminder-ap-1-plan-1-2', '2026-03-31T07:00:00.000Z'], // the due day, 09:00 CEST
      ['deadline-ap-1-plan-1-0', '2026-03-31T07:30:00.000Z'],
      ['escalation-ap-1-plan-1-1', '2026-04-01T07:30:00.000Z'],
      ['escalation-ap-1-plan-1-2', '2026-04-06T07:30:00.000Z'], // Thursday, then Good Friday and the weekend skipped
      ['escalation-ap-1-plan-1-3', '2026-04-08T07:30:00.000Z'],
    ]);
    expect(timers[0].command.data.dueAt).toBe(timers[0].fireAt);
  });

  it('keeps calendar days (the domain times) for steps without working-day offsets', () => {
    const timers = businessTimersOf('ap-1', step, withCalendar());
    expect(timers.map((timer) => timer.fireAt)).toEqual([
      '2026-03-28T07:30:00.000Z',
      '2026-03-30T07:30:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-03-31T07:30:00.000Z',
      '2026-04-01T07:30:00.000Z',
      '2026-04-03T07:30:00.000Z',
      '2026-04-05T07:30:00.000Z',
    ]);
  });

  it('counts the due time itself in working days, at the same local wall time', () => {
    const open = (definition: WorkflowDefinition) =>
      new Scenario()
        .run(
          {
            type: 'OpenAppraisal',
            data: {
              appraisalId: 'ap-1',
              cycleId: 'c2026',
              subject: { kind: 'employee', employeeId: 'ann', orgUnitId: 'east' },
              workflowId: 'sales',
              workflowVersion: 1,
              cycleStartsAt: cycle.startsAt,
              cycleEndsAt: cycle.endsAt,
              periods: cycle.periods,
            },
          },
          // Thursday 26 March 2026, 09:30 CET; the plan step is due 14 days after it opens.
          as('system', {
            now: '2026-03-26T08:30:00.000Z',
            workflow: { workflowId: 'sales', version: 1, definition },
          }),
        )
        .events.find((event) => event.type === 'StepOpened')!.data as { dueAt: string };
    // 14 working days: Good Friday, Easter Monday (a holiday here too) and two weekends skipped;
    // the clocks went forward on 29 March, so 09:30 local is 07:30Z.
    expect(open(withCalendar('working-days', ['2026-04-03', '2026-04-06'])).dueAt).toBe(
      '2026-04-17T07:30:00.000Z',
    );
    expect(open(withCalendar()).dueAt).toBe('2026-04-09T08:30:00.000Z'); // 14 calendar days
  });

  it('names the field when working-day offsets have no calendar, or the time zone is unknown', () => {
    const draft = structuredClone(sales4232Workflow) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    draft.steps[0].offsets = 'working-days';
    const missing = parseWorkflowDefinition(draft);
    expect(missing.ok === false && missing.issues).toEqual([
      { path: 'steps[0].offsets', rule: 'calendar-required', message: expect.stringContaining('calendar') },
    ]);
    draft.calendar = { timeZone: 'Mars/Olympus' };
    const unknown = parseWorkflowDefinition(draft);
    expect(unknown.ok === false && unknown.issues.map((issue) => issue.path)).toEqual(['calendar.timeZone']);
  });
});
