import { inTenantTransaction, inTransaction } from '@verity/platform';
import { openSteps, type AppraisalCommand, type AppraisalEvent } from '@verity/domain';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { AP, Scenario, as, happyPath, salesDefinition } from '@verity/domain/testing/appraisal-scenario';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import { appendHistories } from '../testing/read-model-rows';
import {
  expectCrashedBatchRetried,
  expectRebuildEqualsIncremental,
  expectRowsOfTenantOnly,
  type ReadModel,
} from '../testing/projection-checks';
import { INBOX_TABLES, inboxProjection } from './inbox.projection';
import { listInbox, slaReport, type InboxCaller } from './inbox.queries';
import { callerWithoutRelations } from '../testing/inbox-callers';

const db = storeOfThisFile('inbox-projection-test', 4);
let tenantCount = 0;
let tenant = '';
const readModel: ReadModel = {
  projection: inboxProjection,
  tables: INBOX_TABLES,
  empty: () => inTransaction(db.pool, (tx) => inboxProjection.reset(tx)),
};
beforeEach(async () => {
  await readModel.empty();
  // The log is not emptied between tests: each test writes under a tenant of its own.
  tenant = `i${++tenantCount}`;
});

const nobody = callerWithoutRelations(null);
const ann: InboxCaller = { ...nobody, employeeId: 'ann' };
const manager: InboxCaller = { ...nobody, employeeId: 'mgr', reports: ['ann'] };
const boss: InboxCaller = { ...nobody, employeeId: 'boss', skipReports: ['ann'] };

async function project(events: AppraisalEvent[], batch = 5): Promise<void> {
  await appendHistories(db.store, tenant, [
    {
      appraisalId: AP,
      history: events.map((event) => ({ event, at: '', actor: { id: 'u', role: 'system' } })),
    },
  ]);
  await new ConsumerPump(db.pool, db.store, inboxProjection).drain(batch);
}

/** Fires every timer of `stepKey` due by `until` through the domain, as the scheduler would. */
function fireTimers(scenario: Scenario, stepKey: string, until: string): Scenario {
  const step = openSteps(scenario.events, salesDefinition).find((s) => s.stepKey === stepKey)!;
  return step.timers
    .filter((timer) => timer.fireAt <= until)
    .reduce(
      (s, timer) => s.run(timer.command as AppraisalCommand, as('system', { now: timer.fireAt })),
      scenario,
    );
}

describe('inbox projection', () => {
  it("has exactly the domain's open steps, with due time, overdue flag, escalation level and reminders", async () => {
    // The plan is left open past its due time: reminders, the deadline and two escalations fire.
    const { opened } = happyPath();
    const late = fireTimers(opened, 'plan', '2026-01-24T00:00:00.000Z');
    await project(late.events);
    const expected = openSteps(late.events, salesDefinition);
    expect(expected.map((s) => s.stepKey)).toEqual(['plan']);
    const [item] = await listInbox(db.pool, tenant, ann, new Date('2026-01-24T00:00:00.000Z'));
    expect(item).toMatchObject({
      appraisalId: AP,
      stepKey: 'plan',
      occurrence: 1,
      kind: 'plan',
      subjectEmployeeId: 'ann',
      orgUnitId: 'east',
      overdue: true,
      deadlineMissed: true,
      escalationLevel: 2,
      escalatedTo: 'skip-level',
      reason: 'assignee',
    });
    expect(item.dueAt?.toISOString()).toBe(expected[0].dueAt);
    const fired = late.events.filter((e) => e.type === 'ReminderSent').length;
    expect(fired).toBeGreaterThan(0);
    expect(item.reminders).toBe(fired);
    // Not overdue before its due time; the escalation reached the skip-level manager, not the manager.
    expect((await listInbox(db.pool, tenant, ann, new Date('2026-01-06T00:00:00.000Z')))[0].overdue).toBe(
      false,
    );
    expect(await listInbox(db.pool, tenant, boss, new Date())).toMatchObject([
      { stepKey: 'plan', reason: 'escalation' },
    ]);
    expect(await listInbox(db.pool, tenant, manager, new Date())).toEqual([]);
  });

  it("moves completed steps out and puts the manager's steps in the manager's inbox", async () => {
    const { filed } = happyPath();
    await project(filed.events);
    const open = openSteps(filed.events, salesDefinition).map((s) => s.stepKey);
    const mine = await listInbox(db.pool, tenant, ann, new Date('2026-02-03T09:00:00.000Z'));
    const managers = await listInbox(db.pool, tenant, manager, new Date('2026-02-03T09:00:00.000Z'));
    const peers = await listInbox(
      db.pool,
      tenant,
      { ...nobody, employeeId: 'bob', peers: ['ann'] },
      new Date(),
    );
    expect(peers.map((i) => i.stepKey)).toEqual(['peer-rating']);
    expect([...mine, ...managers, ...peers].map((i) => i.stepKey).sort()).toEqual([...open].sort());
    expect(managers.map((i) => i.stepKey)).toContain('period-assessment.2026-01');
    expect(mine.map((i) => i.stepKey)).not.toContain('plan');
    // Another team's manager sees nothing of it.
    expect(
      await listInbox(db.pool, tenant, { ...nobody, employeeId: 'x', reports: ['zed'] }, new Date()),
    ).toEqual([]);
  });

  it('reports SLA compliance per step kind and activity counts, per unit, person and process owner', async () => {
    // The plan is submitted a week late; its approval comes in time.
    const { opened } = happyPath();
    const submitted = opened.run(
      {
        type: 'SubmitPlan',
        data: { appraisalId: AP, targets: [], actions: [] },
      } as unknown as AppraisalCommand,
      as('self', { now: '2026-01-26T09:00:00.000Z' }),
    );
    const approved = submitted.run(
      { type: 'ApprovePlan', data: { appraisalId: AP } },
      as('manager', { now: '2026-01-27T09:00:00.000Z' }),
    );
    await project(approved.events);
    const now = new Date('2026-01-28T00:00:00.000Z');
    const byUnit = await slaReport(db.pool, tenant, { groupBy: 'unit' }, now);
    const plan = byUnit.find((r) => r.kind === 'plan')!;
    const approval = byUnit.find((r) => r.kind === 'plan-approval')!;
    expect(plan).toMatchObject({
      group: 'east',
      opened: 1,
      completed: 1,
      onTime: 0,
      late: 1,
      compliance: '0.00',
    });
    expect(approval).toMatchObject({
      group: 'east',
      opened: 1,
      completed: 1,
      onTime: 1,
      late: 0,
      compliance: '100.00',
    });
    const byPerson = await slaReport(db.pool, tenant, { groupBy: 'person' }, now);
    expect(byPerson.map((r) => [r.group, r.kind, r.completed])).toEqual([
      ['u-ann', 'plan', 1],
      ['u-mgr', 'plan-approval', 1],
    ]);
    const byOwner = await slaReport(
      db.pool,
      tenant,
      {
        groupBy: 'process-owner',
        owners: [
          { ownerEmployeeId: 'po-1', process: 'sales', orgUnitIds: null },
          { ownerEmployeeId: 'po-2', process: 'plan-approval', orgUnitIds: ['west'] },
        ],
      },
      now,
    );
    // po-1 owns the whole sales workflow everywhere; po-2 owns approvals in another unit only.
    expect(byOwner.map((r) => [r.group, r.kind])).toEqual(byUnit.map((r) => ['po-1', r.kind]));
    expect(byOwner.find((r) => r.kind === 'period-review')).toMatchObject({ open: 12, completed: 0 });
  });

  it('skips an event whose stored data no longer matches its schema, and goes on with the others', async () => {
    await project(happyPath().approved.events);
    const stream = `appraisal-${tenant}.${AP}`;
    // Tampered in storage: a step opening lost its assignee.
    await db.pool.query(
      `UPDATE events SET data = data - 'assignee' WHERE stream_id = $1 AND type = 'StepOpened' AND data->>'stepKey' = 'plan-approval'`,
      [stream],
    );
    await inTransaction(db.pool, (tx) => inboxProjection.reset(tx));
    await new ConsumerPump(db.pool, db.store, inboxProjection).drain();
    const steps = await inTenantTransaction(
      db.pool,
      tenant,
      async (tx) => (await tx.query('SELECT step_key FROM inbox_steps ORDER BY step_key')).rows,
    );
    expect(steps.map((r) => r.step_key)).toContain('plan');
    expect(steps.map((r) => r.step_key)).not.toContain('plan-approval');
  });

  it("shows a rating step to a rater nominated for the appraisal's group once approved, and only then", async () => {
    const nominate = (employeeId: string, who: 'self' | 'hr', id: string) =>
      happyPath().approved.run(
        { type: 'NominateRater', data: { appraisalId: AP, group: 'peer', employeeId } },
        as(who, { ids: [id] }),
      );
    const proposed = nominate('kim', 'self', 'nom-1');
    await project(proposed.events);
    const kim: InboxCaller = { ...nobody, employeeId: 'kim' };
    const keys = async () => (await listInbox(db.pool, tenant, kim, new Date())).map((item) => item.stepKey);
    expect(await keys()).toEqual([]);
    const approved = proposed.run(
      { type: 'ApproveNomination', data: { appraisalId: AP, nominationId: 'nom-1' } },
      as('manager'),
    );
    // The same history again under a tenant of its own, the approval in a batch after the nomination.
    tenant = `${tenant}-approved`;
    await project(approved.events, 1);
    expect(await keys()).toEqual(['peer-rating']);
    expect(await listInbox(db.pool, tenant, { ...nobody, employeeId: 'lou' }, new Date())).toEqual([]);
  });

  it("takes a proposal still undecided at scoring out of the manager's inbox, counted neither on time nor late", async () => {
    const { yearComplete } = happyPath();
    const proposed = yearComplete.run(
      { type: 'NominateRater', data: { appraisalId: AP, group: 'peer', employeeId: 'kim' } },
      as('self', { ids: ['nom-1'] }),
    );
    await project(proposed.events);
    const keys = async () =>
      (await listInbox(db.pool, tenant, manager, new Date('2027-01-11T00:00:00.000Z'))).map(
        (item) => item.stepKey,
      );
    expect(await keys()).toContain('nomination-approval.nom-1');
    const scored = proposed.run(
      { type: 'ScoreAppraisal', data: { appraisalId: AP } },
      as('hr', { now: '2027-01-10T09:00:00.000Z' }),
    );
    expect(scored.events.at(-1)).toMatchObject({ type: 'StepWithdrawn' });
    // The same history with the scoring under a tenant of its own, one event per batch: the withdrawal
    // closes a step projected in an earlier batch.
    tenant = `${tenant}-scored`;
    await project(scored.events, 1);
    expect(await keys()).not.toContain('nomination-approval.nom-1');
    const row = (
      await inTenantTransaction(db.pool, tenant, (tx) =>
        tx.query(`SELECT completed_by, late FROM inbox_steps WHERE step_key = 'nomination-approval.nom-1'`),
      )
    ).rows[0];
    expect(row).toEqual({ completed_by: 'system', late: null });
  });

  it('returns nothing under the wrong tenant, even to queries without a tenant filter', async () => {
    await project(
      happyPath().approved.run(
        { type: 'NominateRater', data: { appraisalId: AP, group: 'peer', employeeId: 'kim' } },
        as('hr', { ids: ['nom-1'] }),
      ).events,
    );
    await expectRowsOfTenantOnly(db.pool, INBOX_TABLES, tenant, `${tenant}-other`);
    expect(await listInbox(db.pool, `${tenant}-other`, ann, new Date())).toEqual([]);
    expect(await slaReport(db.pool, `${tenant}-other`, { groupBy: 'unit' }, new Date())).toEqual([]);
  });

  it('rolls back a batch that crashes half-way; the retry gives the rows of a run that never crashed', () =>
    expectCrashedBatchRetried(db.pool, db.store, tenant, readModel));

  it('property: rebuilt in one batch equals incremental in random batches with redeliveries', () =>
    expectRebuildEqualsIncremental(db.pool, readModel, [
      'StepCompleted',
      'StepEscalated',
      'DeadlineMissed',
      'ReminderSent',
    ]));
});
