import type { RecordedEvent } from '@verity/event-store';
import { TenantChanges, projectTimerEvent, type TimerRow } from './timers.project';

const event = (type: string, data: Record<string, unknown>, position: string) =>
  ({ type, data, position }) as unknown as RecordedEvent;

const pending = (timerKey: string, occurrence: number): TimerRow => ({
  tenantId: 't1',
  timerKey,
  appraisalId: 'a1',
  stepKey: 'plan',
  occurrence,
  kind: 'reminder',
  level: 0,
  fireAt: '2026-03-01T09:00:00.000Z',
  escalateTo: null,
  workflowId: 'w1',
  workflowVersion: 1,
  status: 'pending',
  openedPosition: '1',
  settledPosition: null,
  firedAt: null,
});

describe('timers: what an event changes, in memory', () => {
  it('a completed step cancels its pending timers of that occurrence only', () => {
    const changes = new TenantChanges();
    changes.rows.set('k1', pending('k1', 1));
    changes.rows.set('k2', pending('k2', 2));
    expect(
      projectTimerEvent(
        changes,
        event('StepCompleted', { appraisalId: 'a1', stepKey: 'plan', occurrence: 1 }, '5'),
      ),
    ).toBe(true);
    expect(changes.rows.get('k1')).toMatchObject({ status: 'cancelled', settledPosition: '5' });
    expect(changes.rows.get('k2')!.status).toBe('pending');
    expect(changes.cancelled).toEqual([
      { appraisalId: 'a1', stepKey: 'plan', occurrence: 1, exact: true, position: '5' },
    ]);
  });

  it("a timer's outcome marks it fired once: a second outcome does not move it", () => {
    const changes = new TenantChanges();
    changes.rows.set('k1', pending('k1', 1));
    projectTimerEvent(
      changes,
      event('ReminderSent', { timerKey: 'k1', at: '2026-03-01T09:00:01.000Z' }, '7'),
    );
    projectTimerEvent(
      changes,
      event('DeadlineMissed', { timerKey: 'k1', at: '2026-03-02T09:00:00.000Z' }, '8'),
    );
    expect(changes.rows.get('k1')).toMatchObject({ status: 'fired', settledPosition: '7' });
    expect(changes.fired.get('k1')).toEqual({ at: '2026-03-01T09:00:01.000Z', position: '7' });
  });

  it('leaves a step opened or an appraisal migrated to the I/O part (they need the workflow)', () => {
    const changes = new TenantChanges();
    expect(projectTimerEvent(changes, event('StepOpened', { appraisalId: 'a1' }, '1'))).toBe(false);
    expect(projectTimerEvent(changes, event('AppraisalMigrated', { appraisalId: 'a1' }, '2'))).toBe(false);
    expect(changes.empty).toBe(true);
  });
});
