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
const schedule = (openedAt: string) =>
  timersOf('ap-1', reviewStep(openedAt), salesDefinition).map((timer) => [
    timer.kind,
    timer.level,
    timer.fireAt,
    timer.command.data.dueAt,
  ]);

describe('the timers of a step, as from its opening', () => {
  it('a step opened in time keeps its reminders, deadline and escalation chain', () => {
    expect(schedule('2026-08-01T09:00:00.000Z')).toEqual([
      ['reminder', 0, '2026-08-03T00:00:00.000Z', '2026-08-03T00:00:00.000Z'],
      ['reminder', 1, '2026-08-05T00:00:00.000Z', '2026-08-05T00:00:00.000Z'],
      ['reminder', 2, '2026-08-05T00:00:00.000Z', '2026-08-05T00:00:00.000Z'],
      ['deadline', 0, '2026-08-06T00:00:00.000Z', '2026-08-06T00:00:00.000Z'],
      ['escalation', 1, '2026-08-07T00:00:00.000Z', '2026-08-07T00:00:00.000Z'],
      ['escalation', 2, '2026-08-09T00:00:00.000Z', '2026-08-09T00:00:00.000Z'],
      ['escalation', 3, '2026-08-11T00:00:00.000Z', '2026-08-11T00:00:00.000Z'],
    ]);
  });

  it('a step opened overdue misses its deadline at the opening and escalates from there, level by level', () => {
    // Opened on 1 December, four months late (the demo's July review): no reminders, the deadline at
    // once, then manager +1 day, skip-level +3 days, HR +5 days.
    expect(schedule('2026-12-01T19:53:48.000Z')).toEqual([
      ['deadline', 0, '2026-12-01T19:53:48.000Z', '2026-12-01T19:53:48.000Z'],
      ['escalation', 1, '2026-12-02T19:53:48.000Z', '2026-12-02T19:53:48.000Z'],
      ['escalation', 2, '2026-12-04T19:53:48.000Z', '2026-12-04T19:53:48.000Z'],
      ['escalation', 3, '2026-12-06T19:53:48.000Z', '2026-12-06T19:53:48.000Z'],
    ]);
  });
});
