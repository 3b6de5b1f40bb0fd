import { AGGREGATES, joinerAppraisalId, sales4232Workflow, type PinnedWorkflow } from '@verity/domain';
import { comparePositions, streamName } from '@verity/event-store';
import { inTransaction } from '@verity/platform';
import { timersProjection, TimersRepository, WorkflowVersions } from '@verity/projections/timers';
import { directory, newTenant, publishWorkflow } from '@verity/projections/timers/testing/timer-fixtures';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import { branch, hire, transfer } from '../testing/directory-commands';
import { openCycle as openCycleOf, processManagers, tenantRunner } from './testing/process-managers-harness';

/**
 * People who join, move or leave during a cycle (ADR 0146), through the worker's process-managers
 * consumer on the real store and runner: the directory's events in, each open cycle's rule applied.
 */
describe('cycle membership through the process managers', () => {
  const db = storeOfThisFile('cycle-membership-test', 6);

  const membership = {
    joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 92 },
    movers: { unitAt: 'cycle-end' },
    leavers: { appraisal: 'withdraw' },
  };

  /** The cycle as the API opens it: the directory's employees on its scope date, one appraisal each. */
  async function openCycle(tenantId: string, workflow: PinnedWorkflow, employees: [string, string][]) {
    const appraisals = await openCycleOf(
      db.store,
      tenantId,
      workflow,
      employees.map(([employeeId, orgUnitId]) => ({ employeeId, orgUnitId })),
    );
    return Object.fromEntries(appraisals.map((a) => [a.subject.employeeId, a.appraisalId]));
  }

  /** Runs the process managers over the tenant's log until caught up twice (the second round sees the first's appends). */
  async function runManagers(tenantId: string, name = tenantId): Promise<string[]> {
    const refused: string[] = [];
    const handler = processManagers(db.store, {
      refused: (manager, command, { code }) => refused.push(`${manager} ${command.command.type} ${code}`),
    });
    const runner = tenantRunner(db.pool, db.store, tenantId, handler, name);
    await runner.start();
    await runner.caughtUp();
    await runner.caughtUp();
    await runner.stop();
    return refused;
  }

  /**
   * The appraisals' timers as the timers read model holds them after their streams (read directly,
   * in log order; the alarm clock is not under test here).
   */
  async function timersOf(tenantId: string, appraisalIds: string[]) {
    const handler = timersProjection({
      store: db.store,
      workflows: new WorkflowVersions(db.store),
      alarm: { set: async () => undefined, clear: async () => undefined },
    });
    const streams = await db.store.readStreams(
      appraisalIds.map((id) => streamName(AGGREGATES.appraisal, tenantId, id)),
      { tenantId },
    );
    const events = [...streams.values()]
      .flat()
      .filter((event) => handler.eventTypes!.includes(event.type))
      .sort((a, b) => comparePositions(a.position, b.position));
    await inTransaction(db.pool, (tx) => handler.handle(events, tx));
    const repository = new TimersRepository(db.pool);
    return Promise.all(
      appraisalIds.map(async (id) =>
        (await repository.ofAppraisal(tenantId, id)).map((timer) => timer.status),
      ),
    );
  }

  const streamOf = (tenantId: string, appraisalId: string) =>
    db.store.readStream(streamName(AGGREGATES.appraisal, tenantId, appraisalId)).catch(() => []);

  /** `beforeOpening`: directory changes recorded before the cycle is opened (and the managers run). */
  async function tenantWithCycle(
    prefix: string,
    definition: unknown,
    beforeOpening?: (tenantId: string) => Promise<unknown>,
  ) {
    const tenantId = newTenant(prefix);
    await directory(
      db.store,
      tenantId,
      [
        branch('east', 'East', '2025-01-01'),
        branch('west', 'West', '2025-01-01'),
        branch('lab', 'Lab', '2025-01-01'),
        hire('eve', 'lab', null, 'Eve', '2025-01-01'),
        hire('mia', 'east', null, 'Mia', '2025-01-01'),
        hire('ann', 'east', 'mia', 'Ann', '2025-06-01'),
        hire('bob', 'east', 'mia', 'Bob', '2025-06-01'),
      ],
      true,
    );
    const workflow = await publishWorkflow(db.store, tenantId, 'sales', definition);
    await beforeOpening?.(tenantId);
    const appraisalOf = await openCycle(tenantId, workflow, [
      ['ann', 'east'],
      ['bob', 'east'],
    ]);
    expect(await runManagers(tenantId)).toEqual([]);
    return { tenantId, appraisalOf };
  }

  const duringTheCycle = (tenantId: string) =>
    directory(db.store, tenantId, [
      hire('cy', 'east', 'mia', 'Cy', '2026-04-14'),
      hire('dee', 'east', 'mia', 'Dee', '2026-11-02'),
      transfer('ann', 'west', '2026-06-01'),
      { type: 'RecordEmployeeLeft', data: { employeeId: 'bob', effectiveFrom: '2026-05-31' } },
    ]);

  /**
   * `duringTheCycle`'s hires under `membership`: cy, hired in April, is given an appraisal by the
   * membership manager with January to March waived; dee, hired after the cutoff (92 days before the
   * cycle ends: 1 October), none this cycle. Answers cy's stream.
   */
  async function expectCyJoinedAlone(tenantId: string) {
    const joiner = await streamOf(tenantId, joinerAppraisalId(tenantId, 'c2026', 'cy'));
    expect(joiner.map((event) => event.type)).toEqual([
      'AppraisalOpened',
      'StepOpened',
      'PeriodWaived',
      'PeriodWaived',
      'PeriodWaived',
    ]);
    expect(joiner[0].data).toMatchObject({
      subject: { kind: 'employee', employeeId: 'cy', orgUnitId: 'east' },
    });
    expect(joiner.slice(2).map((event) => (event.data as { periodId: string }).periodId)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(joiner[0].metadata).toMatchObject({ actor: { id: 'cycle-membership', role: 'system' } });
    expect(await streamOf(tenantId, joinerAppraisalId(tenantId, 'c2026', 'dee'))).toEqual([]);
    return joiner;
  }

  it('a joiner gets an appraisal with the months before the hire waived, a mover counts in the new unit, a leaver’s appraisal is withdrawn', async () => {
    const { tenantId, appraisalOf } = await tenantWithCycle('pm-members', {
      ...sales4232Workflow,
      membership,
    });
    await duringTheCycle(tenantId);
    expect(await runManagers(tenantId)).toEqual([]);

    const joiner = await expectCyJoinedAlone(tenantId);

    const ann = await streamOf(tenantId, appraisalOf.ann);
    expect(ann.at(-1)).toMatchObject({
      type: 'AppraisalUnitChanged',
      data: {
        fromOrgUnitId: 'east',
        orgUnitId: 'west',
        effectiveFrom: '2026-06-01',
        rule: 'membership.movers',
      },
    });

    const bob = await streamOf(tenantId, appraisalOf.bob);
    expect(bob.slice(2).map((event) => [event.type, (event.data as { cause?: string }).cause])).toEqual([
      ['AppraisalWithdrawn', 'employee-left'],
      ['StepWithdrawn', 'appraisal-withdrawn'],
    ]);
    expect(bob[2].data).toMatchObject({ effectiveFrom: '2026-05-31', rule: 'membership.leavers' });

    // The leaver's timers are cancelled; the others' still run.
    const [bobTimers, annTimers] = await timersOf(tenantId, [appraisalOf.bob, appraisalOf.ann]);
    expect(bobTimers.length).toBeGreaterThan(0);
    expect(new Set(bobTimers)).toEqual(new Set(['cancelled']));
    expect(annTimers).toContain('pending');

    // Handed over again from the start (a crash before the checkpoint, a rebuild): nothing new.
    const counts = [joiner.length, ann.length, bob.length];
    expect(await runManagers(tenantId, `${tenantId}-again`)).toEqual([]);
    expect([
      (await streamOf(tenantId, joinerAppraisalId(tenantId, 'c2026', 'cy'))).length,
      (await streamOf(tenantId, appraisalOf.ann)).length,
      (await streamOf(tenantId, appraisalOf.bob)).length,
    ]).toEqual(counts);
  });

  it('a workflow that states no rule keeps today’s behaviour: nobody joins, nothing moves or is withdrawn', async () => {
    const { tenantId, appraisalOf } = await tenantWithCycle('pm-members-default', sales4232Workflow);
    await duringTheCycle(tenantId);
    expect(await runManagers(tenantId)).toEqual([]);
    expect(await streamOf(tenantId, joinerAppraisalId(tenantId, 'c2026', 'cy'))).toEqual([]);
    for (const employeeId of ['ann', 'bob'])
      expect((await streamOf(tenantId, appraisalOf[employeeId])).map((event) => event.type)).toEqual([
        'AppraisalOpened',
        'StepOpened',
      ]);
  });

  it('changes recorded before the cycle opened but effective after its scope date: applied when it opens, once', async () => {
    // The hire, the transfer and the leave are entered ahead; the cycle (scope date 1 January) opens after.
    const { tenantId, appraisalOf } = await tenantWithCycle(
      'pm-members-ahead',
      { ...sales4232Workflow, membership },
      duringTheCycle,
    );
    // Sent by the membership manager on the cycle's opening (no refusal: not applied before it opened).
    const joiner = await expectCyJoinedAlone(tenantId);
    const ann = await streamOf(tenantId, appraisalOf.ann);
    expect(ann.map((event) => event.type)).toEqual(['AppraisalOpened', 'StepOpened', 'AppraisalUnitChanged']);
    const bob = await streamOf(tenantId, appraisalOf.bob);
    expect(bob.map((event) => event.type)).toEqual([
      'AppraisalOpened',
      'StepOpened',
      'AppraisalWithdrawn',
      'StepWithdrawn',
    ]);

    // The cycle's opening handed over again: nothing is done twice.
    expect(await runManagers(tenantId, `${tenantId}-again`)).toEqual([]);
    expect((await streamOf(tenantId, joinerAppraisalId(tenantId, 'c2026', 'cy'))).length).toBe(joiner.length);
    expect((await streamOf(tenantId, appraisalOf.ann)).length).toBe(ann.length);
    expect((await streamOf(tenantId, appraisalOf.bob)).length).toBe(bob.length);
  });

  it('someone transferred into the scope from a unit no cycle covers: a joiner from the transfer’s date', async () => {
    const { tenantId } = await tenantWithCycle('pm-members-into', { ...sales4232Workflow, membership });
    await directory(db.store, tenantId, [transfer('eve', 'east', '2026-05-04')]);
    expect(await runManagers(tenantId)).toEqual([]);
    const eve = await streamOf(tenantId, joinerAppraisalId(tenantId, 'c2026', 'eve'));
    expect(eve[0]).toMatchObject({
      type: 'AppraisalOpened',
      data: { subject: { kind: 'employee', employeeId: 'eve', orgUnitId: 'east' } },
    });
    expect(
      eve
        .filter((event) => event.type === 'PeriodWaived')
        .map((event) => (event.data as { periodId: string }).periodId),
    ).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);

    // Moved on again within the scope: a mover now (unit at cycle end), not a second joiner.
    await directory(db.store, tenantId, [transfer('eve', 'west', '2026-07-01')]);
    expect(await runManagers(tenantId)).toEqual([]);
    expect((await streamOf(tenantId, joinerAppraisalId(tenantId, 'c2026', 'eve'))).at(-1)).toMatchObject({
      type: 'AppraisalUnitChanged',
      data: { fromOrgUnitId: 'east', orgUnitId: 'west' },
    });
  });
});
