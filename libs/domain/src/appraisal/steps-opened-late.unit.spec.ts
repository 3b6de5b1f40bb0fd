import { salesDefinition } from '../testing/appraisal-scenario';
import { timersOf } from './appraisal.steps';

/** A July review step (due 5 days after the month ends) opened at `openedAt`. */
const reviewStep = (openedAt: string) => ({
  stepKey: 'period-review.2026-07',
  kind: 'period-review' as const,
  instance: '2026-07',
  occurrence: 1,
  assignee: { actor: 'self' as const, employeeId: 'ann' },
  openedAt,
  dueAt: '2026-08-06T00:00:00.000Z',
  workflowVersion: 1,
});

/** The timers of that step as [kind, level, fire time]; each timer's command is due when the timer fires. */
const schedule = (openedAt: string) =>
  timersOf('ap-1', reviewStep(openedAt), salesDefinition).map((timer) => {
    expect(timer.command.data.dueAt).toBe(timer.fireAt);
    return [timer.kind, timer.level, timer.fireAt];
  });

describe('the timers of a step, as from its opening', () => {
  it('a step opened in time keeps its reminders, deadline and escalation chain', () => {
    expect(schedule('2026-08-01T09:00:00.000Z')).toEqual([
      ['reminder', 0, '2026-08-03T00:00:00.000Z'],
      ['reminder', 1, '2026-08-05T00:00:00.000Z'],
      ['reminder', 2, '2026-08-05T00:00:00.000Z'],
      ['deadline', 0, '2026-08-06T00:00:00.000Z'],
      ['escalation', 1, '2026-08-07T00:00:00.000Z'],
      ['escalation', 2, '2026-08-09T00:00:00.000Z'],
      ['escalation', 3, '2026-08-11T00:00:00.000Z'],
    ]);
  });

  it('a step opened overdue misses its deadline at the opening and escalates at once, then level by level', () => {
    // Opened on 1 December, four months late (the demo's July review): no reminders, the deadline and
    // the first level (manager) at once; skip-level and HR, whose times have passed too, keep the
    // workflow's spacing after it (+2 days, +2 more) so nobody is escalated past twice at once.
    expect(schedule('2026-12-01T19:53:48.000Z')).toEqual([
      ['deadline', 0, '2026-12-01T19:53:48.000Z'],
      ['escalation', 1, '2026-12-01T19:53:48.000Z'],
      ['escalation', 2, '2026-12-03T19:53:48.000Z'],
      ['escalation', 3, '2026-12-05T19:53:48.000Z'],
    ]);
  });

  it('a step opened a little late keeps the levels whose time has not come at their time from the due time', () => {
    // Due 6 August 00:00, opened 6 August 12:00: the deadline at the opening, the levels at due + 1, 3, 5 days.
    expect(schedule('2026-08-06T12:00:00.000Z')).toEqual([
      ['deadline', 0, '2026-08-06T12:00:00.000Z'],
      ['escalation', 1, '2026-08-07T00:00:00.000Z'],
      ['escalation', 2, '2026-08-09T00:00:00.000Z'],
      ['escalation', 3, '2026-08-11T00:00:00.000Z'],
    ]);
  });

  it('a step opened between two levels fires the passed one at once and the next at its own time or its spacing', () => {
    // Opened 8 August 06:00: manager's level (7 Aug) has passed and fires at the opening; skip-level's
    // time (9 Aug 00:00) is sooner than two days after that, so it waits for the spacing (10 Aug 06:00);
    // HR follows two days later.
    expect(schedule('2026-08-08T06:00:00.000Z')).toEqual([
      ['deadline', 0, '2026-08-08T06:00:00.000Z'],
      ['escalation', 1, '2026-08-08T06:00:00.000Z'],
      ['escalation', 2, '2026-08-10T06:00:00.000Z'],
      ['escalation', 3, '2026-08-12T06:00:00.000Z'],
    ]);
  });
});
