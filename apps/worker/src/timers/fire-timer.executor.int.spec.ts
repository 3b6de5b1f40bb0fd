import { AGGREGATES } from '@verity/domain';
import { streamName } from '@verity/event-store';
import { WorkflowVersions } from '@verity/projections/timers';
import {
  newTenant,
  openAppraisal,
  publishWorkflow,
  TIMER_OUTCOMES,
  workflowWithPlan,
} from '@verity/projections/timers/testing/timer-fixtures';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import { FireTimerExecutor } from './fire-timer.executor';
import { systemClock } from './clock';
import type { FireTimerJob } from './timer-job';

/** The executor on its own over the real store: the runtime's tests cover the jobs around it. */
describe('FireTimerExecutor', () => {
  const db = storeOfThisFile('fire-timer-executor-test', 4);

  /** An appraisal whose plan reminders (3 and 1 days before), deadline and escalation are all past. */
  async function overdueAppraisal(tenantId: string, appraisalId: string) {
    const workflow = await publishWorkflow(
      db.store,
      tenantId,
      'sales',
      workflowWithPlan({ days: 5, daysBefore: [3, 1], escalation: [{ afterDays: 1, to: 'manager' }] }),
    );
    const opened = new Date(Date.now() - 30 * 86_400_000).toISOString();
    await openAppraisal(db.store, tenantId, appraisalId, workflow, opened);
    const at = (days: number) => new Date(Date.parse(opened) + days * 86_400_000).toISOString();
    const job = (timerKey: string, kind: FireTimerJob['kind'], level: number, fireAt: string) => ({
      tenantId,
      timerKey: `${kind}-${appraisalId}-plan-1-${timerKey}`,
      appraisalId,
      stepKey: 'plan',
      occurrence: 1,
      kind,
      level,
      fireAt,
    });
    return [
      job('0', 'reminder', 0, at(2)),
      job('1', 'reminder', 1, at(4)),
      job('0', 'deadline', 0, at(5)),
      job('1', 'escalation', 1, at(6)),
    ];
  }

  const outcomesOf = async (tenantId: string, appraisalId: string) =>
    (await db.store.readStream(streamName(AGGREGATES.appraisal, tenantId, appraisalId))).filter((event) =>
      TIMER_OUTCOMES.includes(event.type),
    );

  it("fires an appraisal's timers that fall due together in one append, each recorded once", async () => {
    const tenantId = newTenant('executor');
    const jobs = [
      ...(await overdueAppraisal(tenantId, 'ap-1')),
      ...(await overdueAppraisal(tenantId, 'ap-2')),
    ];
    const executor = new FireTimerExecutor(db.store, new WorkflowVersions(db.store), systemClock);
    const results = await Promise.all(jobs.map((job) => executor.fire(job)));
    expect(results.map((result) => result.outcome)).toEqual(Array(8).fill('recorded'));
    for (const appraisalId of ['ap-1', 'ap-2']) {
      const outcomes = await outcomesOf(tenantId, appraisalId);
      expect(outcomes.map((event) => event.type)).toEqual([
        'ReminderSent',
        'ReminderSent',
        'DeadlineMissed',
        'StepEscalated',
      ]);
      // One append: the four events share the writing transaction (the position's upper digits).
      const transactions = new Set(outcomes.map((event) => BigInt(event.position) / 10n ** 19n));
      expect(transactions.size).toBe(1);
    }
    // The same jobs again (a retry after a crash) record nothing more.
    const again = await Promise.all(jobs.map((job) => executor.fire(job)));
    expect(again.map((result) => result.outcome)).toEqual(Array(8).fill('no-op'));
    expect(await outcomesOf(tenantId, 'ap-1')).toHaveLength(4);
  });

  it('keeps a timer that cannot fire to itself: the others of its appraisal are recorded', async () => {
    const tenantId = newTenant('executor-bad');
    const jobs = await overdueAppraisal(tenantId, 'ap-1');
    const broken = { ...jobs[3], timerKey: 'escalation-ap-1-plan-1-9', level: 9 }; // no level 9
    const executor = new FireTimerExecutor(db.store, new WorkflowVersions(db.store), systemClock);
    const results = await Promise.allSettled([...jobs.slice(0, 3), broken].map((job) => executor.fire(job)));
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    expect((await outcomesOf(tenantId, 'ap-1')).map((event) => event.type)).toEqual([
      'ReminderSent',
      'ReminderSent',
      'DeadlineMissed',
    ]);
  });
});
