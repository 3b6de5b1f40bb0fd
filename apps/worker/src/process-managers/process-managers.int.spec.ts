import {
  AGGREGATES,
  asDomainEvent,
  evolveAppraisal,
  initialAppraisalState,
  sales4232Workflow,
  type AppraisalEvent,
  type PinnedWorkflow,
  isoWeekOf,
} from '@verity/domain';
import { as, happyPath, Scenario } from '@verity/domain/testing/appraisal-scenario';
import { januaryWeeks, salesWithWeeklyPlans } from '@verity/domain/testing/behaviour-workflow';
import { streamName, type ConsumerHandler, type EventStore } from '@verity/event-store';
import { newTenant, publishWorkflow } from '@verity/projections/timers/testing/timer-fixtures';
import { storeOfThisFile } from '../../../../test/support/store-per-file';
import { eventually } from '../../../../test/support/eventually';
import { type ProcessManagerReport } from './process-managers.consumer';
import {
  asHr,
  openCycle as openCycleOf,
  processManagers,
  tenantRunner,
} from './testing/process-managers-harness';

/** The process managers over the real store and the real runner, on this file's tenants only. */
describe('process managers', () => {
  const db = storeOfThisFile('process-managers-test', 6);

  const runnerFor = (tenantId: string, handler: ConsumerHandler, name = tenantId) =>
    tenantRunner(db.pool, db.store, tenantId, handler, name);

  /** Cycle c2026 opened under `workflow` over `subjects` employees of sales; resolves with their appraisals' ids. */
  const openCycle = async (tenantId: string, workflow: PinnedWorkflow, subjects: number) =>
    (
      await openCycleOf(
        db.store,
        tenantId,
        workflow,
        Array.from({ length: subjects }, (_, i) => ({ employeeId: `e-${i}`, orgUnitId: 'sales' })),
      )
    ).map((appraisal) => appraisal.appraisalId);

  const streamsOf = async (tenantId: string, appraisalIds: string[]) =>
    db.store.readStreams(appraisalIds.map((id) => streamName(AGGREGATES.appraisal, tenantId, id)));

  /** The months scored in an appraisal's stream, oldest first. */
  const periodsScored = async (streamId: string) =>
    (await db.store.readStream(streamId)).filter((event) => event.type === 'PeriodScored');

  /** Runs the process managers over the tenant once, none refused; resolves with the months scored in `streamId`. */
  async function monthsScoredAfterRun(tenantId: string, streamId: string) {
    expect(await runManagers(tenantId)).toEqual([]);
    return periodsScored(streamId);
  }

  /** The process managers' consumer, sending through `over` (the real store unless given one that fails). */
  const managers = (report?: ProcessManagerReport, over: EventStore = db.store) =>
    processManagers(db.store, report, over);

  /**
   * Runs the process managers over the tenant's events until caught up `rounds` times (a second round
   * sees what the first appended), under the consumer name `name`; resolves with the codes refused.
   */
  async function runManagers(tenantId: string, { rounds = 1, name = tenantId } = {}): Promise<string[]> {
    const refused: string[] = [];
    const runner = runnerFor(
      tenantId,
      managers({ refused: (_manager, _command, { code }) => refused.push(code) }),
      name,
    );
    await runner.start();
    for (let round = 0; round < rounds; round++) await runner.caughtUp();
    await runner.stop();
    return refused;
  }

  /**
   * A tenant with workflow `weekly` (the sales workflow with weekly plans worth 20 % of a month) and
   * Ann's appraisal `appraisalId` of cycle c2026 under it, as the scenario's happy path has it at `stage`.
   */
  async function weeklyAppraisal(
    prefix: string,
    appraisalId: string,
    stage: 'assessed' | 'annual',
    workflow: object = salesWithWeeklyPlans,
  ): Promise<{ tenantId: string; streamId: string }> {
    const tenantId = newTenant(prefix);
    await publishWorkflow(db.store, tenantId, 'weekly', workflow);
    const streamId = streamName(AGGREGATES.appraisal, tenantId, appraisalId);
    await db.store.append(
      streamId,
      asHr(
        tenantId,
        happyPath()[stage].events.map((event) => ({
          ...event,
          data: {
            ...(event.data as object),
            ...('appraisalId' in (event.data as object) ? { appraisalId } : {}),
            ...(event.type === 'AppraisalOpened' ? { workflowId: 'weekly' } : {}),
          },
        })),
      ),
      { expectedRevision: 'no_stream' },
    );
    return { tenantId, streamId };
  }

  /**
   * Ann's plan of `isoWeek` (a week of January 2026) under workflow `weekly`: submitted in `cycleId`
   * unless it only gets its score now (`submitted: false`), then scored unless `score` is null, naming
   * her appraisal when `appraisalId` is given.
   */
  async function annWeek(
    tenantId: string,
    isoWeek: string,
    week: { at: string; score: string | null; cycleId?: string; appraisalId?: string; submitted?: boolean },
  ): Promise<void> {
    const planId = `ann.${isoWeek}`;
    const { at, score, cycleId = 'c2026', appraisalId, submitted = true } = week;
    const events: { type: string; data: unknown }[] = [];
    if (submitted)
      events.push({
        type: 'WeeklyPlanSubmitted',
        data: {
          planId,
          at,
          employeeId: 'ann',
          cycleId,
          week: isoWeek,
          month: '2026-01',
          planVersion: 1,
          items: [],
          days: [],
          pii: { items: [], days: [] },
        },
      });
    if (score !== null)
      events.push({
        type: 'WeekScored',
        data: {
          planId,
          at,
          month: '2026-01',
          ...(appraisalId ? { appraisalId } : {}),
          workflowId: 'weekly',
          workflowVersion: 1,
          ratings: [{ criterionId: 'conduct', score }],
          score,
          by: 'mgr',
        },
      });
    await db.store.append(streamName(AGGREGATES.weeklyPlan, tenantId, planId), asHr(tenantId, events), {
      expectedRevision: submitted ? 'no_stream' : 0n,
    });
  }

  /** Ann's weeks of `januaryWeeks` (80.00 and 90.00), each submitted and scored as `annWeek` has it. */
  async function annsJanuaryWeeks(
    tenantId: string,
    options: { at: string; appraisalId?: string },
  ): Promise<void> {
    for (const { week, score } of januaryWeeks) await annWeek(tenantId, week, { ...options, score });
  }

  /** Ann's day (a date of January 2026) planned in c2026 and summarized, then scored unless `score` is null. */
  async function annDay(tenantId: string, date: string, at: string, score: string | null): Promise<void> {
    const planId = `ann.${date}`;
    const week = isoWeekOf(date);
    const plan = { employeeId: 'ann', cycleId: 'c2026', date, week, month: '2026-01', planVersion: 1 };
    const events: { type: string; data: unknown }[] = [
      { type: 'DailyPlanSubmitted', data: { planId, at, ...plan, items: [], pii: { items: [] } } },
      { type: 'DaySummarized', data: { planId, at, results: [], pii: { summary: 'Done' } } },
    ];
    if (score !== null) events.push({ type: 'DayScored', data: dayScored(planId, at, week, score) });
    await db.store.append(streamName(AGGREGATES.dailyPlan, tenantId, planId), asHr(tenantId, events), {
      expectedRevision: 'no_stream',
    });
  }
  const dayScored = (planId: string, at: string, week: string, score: string) => ({
    planId,
    at,
    week,
    workflowId: 'weekly',
    workflowVersion: 1,
    ratings: [{ criterionId: 'conduct', score }],
    score,
    by: 'mgr',
  });

  it("opens each of a cycle's 42 appraisals once, with progress, also when the worker dies mid-way", async () => {
    const tenantId = newTenant('pm-open');
    const workflow = await publishWorkflow(db.store, tenantId, 'sales', sales4232Workflow);
    const appraisalIds = await openCycle(tenantId, workflow, 42);

    // A first worker whose connection is lost from its third round trip of appends on, as a kill
    // would cut it: the runner retries the batch (an outage parks nothing) until it is stopped.
    let appends = 0;
    const dying: EventStore = Object.assign(Object.create(db.store) as EventStore, {
      appendToStreams: (requests: Parameters<EventStore['appendToStreams']>[0]) => {
        appends += 1;
        if (appends >= 3) return Promise.reject(new Error('Connection terminated unexpectedly'));
        return db.store.appendToStreams(requests);
      },
    });
    const progress: string[] = [];
    const report: ProcessManagerReport = {
      progress: (_cycle, opened, of) => progress.push(`opening ${opened} of ${of}`),
    };
    const first = runnerFor(tenantId, managers(report, dying));
    await first.start();
    await eventually(async () => first.status().lastError !== null, 20_000, 'the first worker to fail');
    await first.stop();
    expect((await streamsOf(tenantId, appraisalIds)).size).toBe(20);
    // The runner tried the batch again (whole, then event by event) before it was stopped: the
    // repeats found the first 20 opened already and got no further.
    expect([...new Set(progress)]).toEqual(['opening 10 of 42', 'opening 20 of 42']);

    // The next worker takes over from the same checkpoint and opens the rest.
    progress.length = 0;
    const second = runnerFor(tenantId, managers(report));
    await second.start();
    await second.caughtUp();
    await second.stop();
    expect(progress).toEqual([
      'opening 10 of 42',
      'opening 20 of 42',
      'opening 30 of 42',
      'opening 40 of 42',
      'opening 42 of 42',
    ]);
    const streams = await streamsOf(tenantId, appraisalIds);
    expect(streams.size).toBe(42);
    for (const events of streams.values()) {
      expect(events.filter((event) => event.type === 'AppraisalOpened')).toHaveLength(1);
      expect(events[0].metadata).toMatchObject({ actor: { id: 'cycle-opening', role: 'system' } });
    }
  });

  it('scores a month once it is assessed, and leaves it to a person where the workflow says so', async () => {
    const tenantId = newTenant('pm-score');
    const auto = await publishWorkflow(db.store, tenantId, 'sales', sales4232Workflow);
    const manual = await publishWorkflow(db.store, tenantId, 'manual', {
      ...sales4232Workflow,
      periodScoring: 'manual',
    });
    // The scenario's appraisal (workflow `sales` v1) up to the manager's assessment of January.
    const assessed = happyPath().assessed.events;
    const asPinned = (workflowId: string): AppraisalEvent[] =>
      assessed.map((event) =>
        event.type === 'AppraisalOpened' ? { ...event, data: { ...event.data, workflowId } } : event,
      );
    expect([auto.version, manual.version]).toEqual([1, 1]);
    for (const [appraisalId, workflowId] of [
      ['ap-auto', 'sales'],
      ['ap-manual', 'manual'],
    ])
      await db.store.append(
        streamName(AGGREGATES.appraisal, tenantId, appraisalId),
        asHr(
          tenantId,
          asPinned(workflowId).map((event) =>
            'appraisalId' in (event.data as object)
              ? { ...event, data: { ...(event.data as object), appraisalId } }
              : event,
          ),
        ),
        { expectedRevision: 'no_stream' },
      );

    const refused = await runManagers(tenantId);
    const scoredIn = (appraisalId: string) =>
      periodsScored(streamName(AGGREGATES.appraisal, tenantId, appraisalId));
    const scored = await scoredIn('ap-auto');
    expect(scored).toHaveLength(1);
    expect(scored[0].data).toMatchObject({ periodId: '2026-01', score: '87.30' });
    expect(scored[0].metadata).toMatchObject({ actor: { id: 'period-scoring', role: 'system' } });
    expect(await scoredIn('ap-manual')).toHaveLength(0);
    expect(refused).toEqual([]);

    // Handed over again (a rebuild, a crash before the checkpoint): nothing is scored twice.
    await runManagers(tenantId, { name: `${tenantId}-again` });
    expect(await scoredIn('ap-auto')).toHaveLength(1);
  });

  it("scores a month with the person's scored weeks of it, at the workflow's behaviour weight (ADR 0131)", async () => {
    // Ann's appraisal of cycle c2026 (workflow `weekly` v1), assessed for January 2026.
    const { tenantId, streamId } = await weeklyAppraisal('pm-weeks', 'ap-weeks', 'assessed');
    // Her weeks of January 2026 (ISO weeks 1–5 by their Thursdays): two scored in c2026, one scored in
    // another cycle, one planned only; the scored weeks alone count.
    const at = '2026-02-02T09:00:00.000Z';
    await annsJanuaryWeeks(tenantId, { at });
    await annWeek(tenantId, '2026-W04', { at, score: '10.00', cycleId: 'c-other' });
    await annWeek(tenantId, '2026-W05', { at, score: null });

    const scored = await monthsScoredAfterRun(tenantId, streamId);
    expect(scored).toHaveLength(1);
    // 0.8 · 87.30 + 0.2 · (80.00 + 90.00) / 2 = 69.84 + 17.00
    expect(scored[0].data).toMatchObject({
      periodId: '2026-01',
      raw: '87.3',
      score: '86.84',
      behaviour: {
        weeks: januaryWeeks,
        rollUp: 'average',
        score: '85.00',
        weight: '20',
        scorecardScore: '87.30',
      },
    });
    expect(scored[0].metadata.schemaVersion).toBe(3);

    // The last week of January scored after the month (naming Ann's appraisal): the month is rescored.
    await annWeek(tenantId, '2026-W05', { at, score: '100.00', appraisalId: 'ap-weeks', submitted: false });
    // The same consumer again (its checkpoint kept): only the new week is handed over.
    const rescored = await monthsScoredAfterRun(tenantId, streamId);
    expect(rescored).toHaveLength(2);
    // 0.8 · 87.30 + 0.2 · (80.00 + 90.00 + 100.00) / 3 = 69.84 + 18.00
    expect(rescored[1].data).toMatchObject({
      periodId: '2026-01',
      score: '87.84',
      behaviour: { score: '90.00', scorecardScore: '87.30' },
    });
    expect(rescored[1].metadata).toMatchObject({ actor: { id: 'behaviour-rescoring', role: 'system' } });
  });

  it("counts a week's scored days in place of its own score where the workflow asks for days, and rescores on a late day (ADR 0161)", async () => {
    const { tenantId, streamId } = await weeklyAppraisal('pm-days', 'ap-days', 'assessed', {
      ...salesWithWeeklyPlans,
      dailyPlans: { weekScore: 'average-of-days' },
    });
    const at = '2026-02-02T09:00:00.000Z';
    await annWeek(tenantId, '2026-W02', { at, score: '80.00' });
    await annWeek(tenantId, '2026-W03', { at, score: '10.00' });
    await annDay(tenantId, '2026-01-12', at, '70.00');
    await annDay(tenantId, '2026-01-13', at, '90.00');

    const scored = await monthsScoredAfterRun(tenantId, streamId);
    // W03's days (70 + 90) / 2 = 80 stand in for its own 10: 0.8 · 87.30 + 0.2 · (80 + 80) / 2 = 85.84
    expect(scored.map((event) => event.data)).toMatchObject([
      {
        score: '85.84',
        behaviour: {
          weeks: [
            { week: '2026-W02', score: '80.00' },
            { week: '2026-W03', score: '80.00', days: 2 },
          ],
          score: '80.00',
        },
      },
    ]);

    // A third day of W03 scored after the month, naming the appraisal: (70 + 90 + 100) / 3 = 86.67;
    // the month (80 + 86.67) / 2 = 83.34 (half-up), 0.8 · 87.30 + 0.2 · 83.34 = 86.51.
    await annDay(tenantId, '2026-01-14', at, null);
    const late = { ...dayScored('ann.2026-01-14', at, '2026-W03', '100.00'), appraisalId: 'ap-days' };
    await db.store.append(
      streamName(AGGREGATES.dailyPlan, tenantId, 'ann.2026-01-14'),
      asHr(tenantId, [{ type: 'DayScored', data: late }]),
      { expectedRevision: 1n },
    );
    const rescored = await monthsScoredAfterRun(tenantId, streamId);
    expect(rescored).toHaveLength(2);
    expect(rescored[1].data).toMatchObject({
      score: '86.51',
      behaviour: { weeks: [{ score: '80.00' }, { score: '86.67', days: 3 }], score: '83.34' },
    });
    expect(rescored[1].metadata).toMatchObject({ actor: { id: 'behaviour-rescoring', role: 'system' } });
  });

  it('a week scored after the annual score rescores its month, and the annual-scoring re-scores the stale year (ADR 0140)', async () => {
    // Ann's appraisal scored for the year (January 87.30, no week scored yet), under workflow `weekly`.
    const { tenantId, streamId } = await weeklyAppraisal('pm-late-week', 'ap-late', 'annual');
    const at = '2027-01-11T09:00:00.000Z';
    await annsJanuaryWeeks(tenantId, { at, appraisalId: 'ap-late' });

    // Once past the late weeks (their rescores appended), once more past the rescores themselves.
    await runManagers(tenantId, { rounds: 2 });
    const events = await db.store.readStream(streamId);
    const months = events.filter((event) => event.type === 'PeriodScored');
    // January rescored once per late week, each time with the weeks as they are now (both are in
    // before the worker runs): 0.8 · 87.30 + 0.2 · (80.00 + 90.00) / 2 = 86.84.
    expect(months.map((event) => (event.data as { score: string }).score)).toEqual([
      '87.30',
      '86.84',
      '86.84',
    ]);
    expect(months.slice(1).map((event) => event.metadata.actor.id)).toEqual([
      'behaviour-rescoring',
      'behaviour-rescoring',
    ]);
    // The year was stale after each rescore; the annual-scoring scored it again after the last one.
    const years = events.filter((event) => event.type === 'AppraisalScored');
    expect(years.length).toBeGreaterThanOrEqual(2);
    expect(years.at(-1)!.metadata).toMatchObject({ actor: { id: 'annual-scoring', role: 'system' } });
    expect(BigInt(years.at(-1)!.streamRevision)).toBeGreaterThan(BigInt(months.at(-1)!.streamRevision));
    const state = events.reduce(
      (folded, event) => evolveAppraisal(folded, asDomainEvent(event)),
      initialAppraisalState(),
    );
    expect(state.status === 'scored' && state.scoreStale).toBe(false);
  });

  it('re-scores an appraisal whose score a red line made stale, so it can be finalized', async () => {
    const tenantId = newTenant('pm-rescore');
    await publishWorkflow(db.store, tenantId, 'sales', sales4232Workflow);
    // Scored B, then HR files a red line: the score is stale (finalize would be refused).
    const breached = new Scenario(happyPath().annual.events).run(
      { type: 'FileRedLineBreach', data: { appraisalId: 'ap-1', redLineId: 'fraud', description: 'x' } },
      as('hr', { now: '2027-01-10T09:00:00.000Z', ids: ['br-1'] }),
    );
    const streamId = streamName(AGGREGATES.appraisal, tenantId, 'ap-1');
    await db.store.append(streamId, asHr(tenantId, breached.events), { expectedRevision: 'no_stream' });

    await runManagers(tenantId);
    const scored = (await db.store.readStream(streamId)).filter((event) => event.type === 'AppraisalScored');
    expect(scored.map((event) => (event.data as { grade: string }).grade)).toEqual(['B', 'D']);
    expect(scored[1].metadata).toMatchObject({ actor: { id: 'annual-scoring', role: 'system' } });
  });
});
