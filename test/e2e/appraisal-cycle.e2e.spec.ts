import { randomUUID } from 'node:crypto';
import { WebhookReceiver } from '@verity/integrations/testing/webhook-receiver';
import { fireTimersInTurn } from '../support/manual-clock';
import { TestApiClient, type Caller, type Role } from '../support/api-client';
import { hire, unit } from '../support/directory-rows';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { openCycle, setUpTenant } from '../support/tenant-setup';
import { months, ratings, unreviewed } from './appraisal-cycle.figures';

/**
 * A whole appraisal cycle over HTTP against the real API and worker processes, driven by people's
 * own actions only (no POST /appraisals, no score-period, no score-appraisal): definitions,
 * directory, cycle, five appraisals through plan, three months (the other nine waived by HR),
 * improvements, a red line, 360 ratings (each year scored by the worker), calibration against the
 * forced distribution, finalization, acknowledgement and an appeal. The 2025 cycle lies in the
 * past, so the worker's timers find review deadlines missed and fire reminders and escalations
 * while the test works. Then the read models, the audit trail, the webhooks and the feed are
 * checked against what was done and against hand-computed scores.
 */
const TENANT = `cycle-${randomUUID().slice(0, 8)}`;

describe('a whole appraisal cycle, end to end', () => {
  let stack: Stack;
  let client: TestApiClient;
  let receiver: WebhookReceiver;
  let integratorKey: string;

  const hr: Caller = { role: 'hr' };
  const admin: Caller = { role: 'admin' };
  const auditor: Caller = { role: 'auditor' };
  const person = (employeeId: string, role: Role = 'employee'): Caller => ({ role, employeeId });
  const mgr = person('e-mgr', 'manager');
  const boss = person('e-boss', 'manager');
  const call = <T = Record<string, unknown>>(method: string, path: string, who: Caller, body?: unknown) =>
    client.call<T>(method, path, who, body);
  const command = <T = Record<string, unknown>>(path: string, who: Caller, body?: unknown) =>
    client.command<T>(path, who, body);
  const get = <T = Record<string, unknown>>(path: string, who: Caller) => client.get<T>(path, who);

  beforeAll(async () => {
    // The webhook receiver listens on loopback.
    stack = await startStack({ env: { WEBHOOK_ALLOWLIST: '127.0.0.1/32' } });
    client = new TestApiClient(stack.base, TENANT, () => stack.api.output().slice(-3000));
  }, 300_000);

  afterAll(async () => {
    await receiver?.stop();
    await stack?.stop();
  });

  let subscribedAfter = '0';
  type FeedEvent = { id: string; subject: string; type: string; position: string };
  /** The integrator's feed after `after`, to its end. */
  async function feedAfter(after: string): Promise<FeedEvent[]> {
    const all: FeedEvent[] = [];
    for (;;) {
      const page = await get<{ events: FeedEvent[]; next: string }>(`/events?after=${after}&limit=500`, {
        apiKey: integratorKey,
      });
      if (page.events.length === 0) return all;
      all.push(...page.events);
      after = page.next;
    }
  }
  const feedHead = async () => {
    const events = await feedAfter('0');
    return events.length ? events[events.length - 1].position : '0';
  };

  const people = ['e-ann', 'e-bob', 'e-cai', 'e-dan', 'e-eve'];
  /** The checks below read what the first test did; without it they would only wait and time out. */
  let cycleRan = false;
  const afterTheCycle = () => {
    if (!cycleRan) throw new Error('the cycle did not run (see the first test)');
  };
  const appraisalOf = new Map<string, string>();

  it('runs the cycle', async () => {
    // Definitions, directory, an integrator's subscription.
    await setUpTenant(client, {
      company: 'Cycle Co',
      directory: [
        unit('hq', null, 'hq', 'HQ'),
        unit('sales', 'hq', 'department', 'Sales'),
        hire('e-boss', 'hq', null),
        // Sales' manager sits in HQ, so the cycle over sales appraises the five sales people.
        hire('e-mgr', 'hq', 'e-boss'),
        ...people.map((id) => hire(id, 'sales', 'e-mgr')),
        // Fay joins after the cycle's scope date; the timers test opens a cycle of her own.
        { ...hire('e-fay', 'sales', 'e-mgr'), effectiveFrom: '2025-02-01' },
      ],
    });
    const key = await command<{ key: string }>('/api-keys', admin, {
      name: 'bonus system',
      scopes: ['events:read', 'webhooks:manage'],
    });
    integratorKey = key.key;
    const integrator = { apiKey: integratorKey };
    const subscription = await command<{ subscriptionId: string; secret: string }>(
      '/webhooks/subscriptions',
      integrator,
      {
        url: 'http://127.0.0.1:1/placeholder',
        eventTypes: [],
      },
    );
    // Deliveries start with the subscription: remember where the feed stood. The feed shows events
    // only below the oldest running transaction, so the events just written may show a moment
    // later: the head is taken once the last one before subscribing (the workflow) is in it.
    await eventually(
      async () => (await feedAfter('0')).some((event) => event.type === 'verity.WorkflowVersionPublished.v1'),
      20_000,
      'the setup events in the feed',
    );
    subscribedAfter = await feedHead();
    receiver = new WebhookReceiver(subscription.secret);
    await receiver.start();
    const patched = await call(
      'PATCH',
      `/webhooks/subscriptions/${subscription.subscriptionId}`,
      integrator,
      {
        url: receiver.url,
      },
    );
    expect(patched.status).toBe(200);

    // The cycle and its appraisals: the worker's process manager opens one appraisal per person in
    // scope; the cycle shows how far.
    const cycle = await openCycle(client, { cycleId: 'c2025', year: 2025, orgUnitIds: ['sales'] });
    expect(cycle.opening.progress).toBe('opened 5 of 5');
    for (const entry of cycle.opened.appraisals) appraisalOf.set(entry.subject.employeeId, entry.appraisalId);
    expect([...appraisalOf.keys()].sort()).toEqual(people);
    const on = (employeeId: string, action: string, who: Caller, body: unknown = {}) =>
      command(`/appraisals/${appraisalOf.get(employeeId)}/${action}`, who, body);

    // Ann's plan: submitted, returned with annotations, submitted again, approved.
    await on('e-ann', 'submit-plan', person('e-ann'), {
      actions: [
        {
          indicatorId: 'product_mix',
          ownerEmployeeId: 'e-ann',
          dueDate: '2025-03-31',
          goal: 'Grow the mix',
          measures: 'Weekly promotions',
        },
      ],
    });
    await on('e-ann', 'return-plan', mgr, {
      annotations: [{ path: 'actions[0].goal', text: 'Name a number' }],
    });
    await on('e-ann', 'submit-plan', person('e-ann'), {});
    await on('e-ann', 'approve-plan', mgr);
    for (const other of people.slice(1)) {
      await on(other, 'submit-plan', person(other), {});
      await on(other, 'approve-plan', mgr);
    }

    for (const employeeId of people) {
      for (const review of months[employeeId]) {
        await on(employeeId, 'file-period-review', person(employeeId), review);
        await on(employeeId, 'assess-period-review', mgr, { periodId: review.periodId, corrections: [] });
      }
    }
    // Each month is scored by the worker's period-scoring process manager once it is assessed.
    type Periods = { state: { periods: Record<string, { status: string }> } };
    for (const employeeId of people)
      await eventually(
        async () => {
          const { state } = await get<Periods>(`/appraisals/${appraisalOf.get(employeeId)}`, hr);
          return ['2025-01', '2025-02', '2025-03'].every((p) => state.periods[p].status === 'scored');
        },
        20_000,
        `${employeeId}'s months scored`,
      );

    // Ann's improvement loop for the vetoed month.
    const annState = await get<{ state: { improvements: Record<string, unknown> } }>(
      `/appraisals/${appraisalOf.get('e-ann')}`,
      hr,
    );
    const improvements = Object.keys(annState.state.improvements);
    expect(improvements.length).toBeGreaterThan(0);
    for (const improvementId of improvements) {
      await on('e-ann', 'file-improvement', person('e-ann'), {
        improvementId,
        action: 'Mix review every Monday',
      });
      await on('e-ann', 'verify-improvement', mgr, { improvementId, effective: true, goodPractice: true });
    }

    // Bob's red line: filed, contested, upheld.
    await on('e-bob', 'file-red-line-breach', hr, {
      redLineId: 'safety',
      description: 'Unreported incident',
    });
    const bobState = await get<{ state: { redLines: Record<string, unknown> } }>(
      `/appraisals/${appraisalOf.get('e-bob')}`,
      hr,
    );
    const [breachId] = Object.keys(bobState.state.redLines);
    await on('e-bob', 'contest-red-line', person('e-bob'), { breachId, reason: 'It was reported by phone' });
    await on('e-bob', 'uphold-red-line', hr, { breachId });

    // 360: self, two peers, manager; then the annual score.
    for (const employeeId of people) {
      const { self, manager, peers } = ratings[employeeId];
      await on(employeeId, 'submit-self-assessment', person(employeeId), { rating: self });
      for (const [peer, rating] of peers)
        await on(employeeId, 'submit-rating', person(peer), { group: 'peer', rating });
      await on(employeeId, 'submit-rating', mgr, { group: 'manager', rating: manager });
      // Nobody reviews April to December here: HR waives them, and the worker's annual-scoring
      // process manager scores the year once every month is scored or waived and the ratings are in.
      for (const periodId of unreviewed)
        await on(employeeId, 'waive-period', hr, {
          periodId,
          reason: 'Outside the months this cycle reviews',
        });
    }
    type Scored = { state: { status: string } };
    for (const employeeId of people)
      await eventually(
        async () =>
          (await get<Scored>(`/appraisals/${appraisalOf.get(employeeId)}`, hr)).state.status === 'scored',
        20_000,
        `${employeeId}'s year scored by the worker`,
      );

    // Calibration: two A grades out of five break "A at most 20 %"; HR corrects Cai's with a reason.
    let lastUnit: unknown;
    const violations = async () => {
      const body = await get<{ calibration: { violations: { grade: string; bound: string }[] } }>(
        '/scores/org-units/sales?cycleId=c2025',
        hr,
      );
      lastUnit = body;
      return body.calibration.violations;
    };
    await eventually(
      async () => (await violations()).some((v) => v.grade === 'A' && v.bound === 'max'),
      20_000,
      'forced-distribution violation shown',
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(lastUnit)}`);
    });
    await on('e-cai', 'calibrate-appraisal', hr, {
      grade: 'B',
      reason: 'Forced distribution: one A in sales',
    });
    await eventually(async () => (await violations()).length === 0, 20_000, 'distribution corrected');

    // Finalize; Cai acknowledges, Ann appeals and HR resolves it, the rest acknowledge.
    for (const employeeId of people) await on(employeeId, 'finalize-appraisal', hr);
    await on('e-ann', 'file-appeal', person('e-ann'), { reason: 'The January veto was a supply shortage' });
    await on('e-ann', 'resolve-appeal', hr, { outcome: 'rejected', reason: 'Shortage not documented' });
    for (const employeeId of people.slice(1))
      await on(employeeId, 'acknowledge-appraisal', person(employeeId), { comment: 'Seen' });
    for (const employeeId of people)
      expect(
        (await get<{ state: { status: string } }>(`/appraisals/${appraisalOf.get(employeeId)}`, hr)).state
          .status,
      ).toBe('closed');
    expect(boss).toBeDefined();
    cycleRan = true;
  }, 90_000);

  it('fires reminders, the missed deadline and the escalation chain of a plan nobody submitted', async () => {
    afterTheCycle();
    // The worker again, now on a clock that stands still: Fay's plan (due 14 days after her appraisal
    // opens) gets reminders 3 and 1 days before and on the due day, the deadline, then escalations
    // after 1, 3 and 5 days. The test moves the clock one timer at a time (ADR 0130), so the timers
    // fire in their order however busy the machine is.
    expect(await stack.restartWorker({ clock: 'manual' })).toBe(0);
    // Fay's own cycle, opened now: the process manager opens her appraisal, and nobody submits her plan.
    const faysCycle = await openCycle(client, {
      cycleId: 'c2025-fay',
      name: 'Sales 2025, joiners',
      year: 2025,
      subjects: [{ kind: 'employee', employeeId: 'e-fay', orgUnitId: 'sales' }],
    });
    const [entry] = faysCycle.opened.appraisals;
    type Outcome = { type: string; data: { stepKey?: string; level?: number; to?: string } };
    const planOutcomes = async () =>
      (await get<{ items: Outcome[] }>(`/appraisals/${entry.appraisalId}/events?limit=500`, hr)).items.filter(
        (event) =>
          event.data.stepKey === 'plan' &&
          ['ReminderSent', 'DeadlineMissed', 'StepEscalated'].includes(event.type),
      );
    await fireTimersInTurn({
      redisUrl: stack.env.REDIS_URL,
      tenantId: TENANT,
      appraisalId: entry.appraisalId,
      outcomes: planOutcomes,
      count: 7,
      what: 'the plan step',
    });
    const outcomes = await planOutcomes();
    expect(outcomes.map((event) => event.type)).toEqual([
      'ReminderSent',
      'ReminderSent',
      'ReminderSent',
      'DeadlineMissed',
      'StepEscalated',
      'StepEscalated',
      'StepEscalated',
    ]);
    expect(
      outcomes
        .filter((event) => event.type === 'StepEscalated')
        .map((event) => [event.data.level, event.data.to]),
    ).toEqual([
      [1, 'manager'],
      [2, 'skip-level'],
      [3, 'hr'],
    ]);
    // Her inbox shows the plan with its missed deadline at the last escalation level (the API's
    // clock is the real one, so by it the plan is not due yet: `overdue` is the wall clock's word).
    const inbox = async () => get<{ items: Record<string, unknown>[] }>('/inbox', person('e-fay'));
    await eventually(
      async () => (await inbox()).items.some((item) => item.escalationLevel === 3),
      20_000,
      'the inbox projection caught up',
    );
    expect((await inbox()).items).toEqual([
      expect.objectContaining({
        stepKey: 'plan',
        deadlineMissed: true,
        escalationLevel: 3,
        escalatedTo: 'hr',
        reminders: 3,
      }),
    ]);

    // Each outcome told someone, in the app: Fay by name of the reminders and the deadline, her
    // manager and his manager of their levels, and HR (no HR partner here) through its role inbox.
    type Note = { appraisalId: string; eventType: string; reason: string; recipientRole: string | null };
    const notes = async (who: Caller, query = 'limit=50') =>
      get<{ items: Note[]; next: string | null }>(`/notifications?${query}`, who);
    const fays = async (who: Caller) =>
      (await notes(who)).items.filter((note) => note.appraisalId === entry.appraisalId);
    await eventually(async () => (await fays(hr)).length === 1, 20_000, 'the notifications written');
    expect((await fays(person('e-fay'))).map((note) => [note.eventType, note.reason])).toEqual([
      ['DeadlineMissed', 'assignee'],
      ['ReminderSent', 'assignee'],
      ['ReminderSent', 'assignee'],
      ['ReminderSent', 'assignee'],
      // The first: the plan landing on her when her appraisal opened, a task with a link to act.
      ['StepOpened', 'assignee'],
    ]);
    expect((await fays(mgr)).map((note) => note.reason)).toEqual(['escalation-manager']);
    expect((await fays(boss)).map((note) => note.reason)).toEqual(['escalation-skip-level']);
    expect(await fays(hr)).toEqual([
      expect.objectContaining({ eventType: 'StepEscalated', reason: 'escalation-hr', recipientRole: 'hr' }),
    ]);
    // Older pages through the cursor: the same notifications, none twice.
    const firstPage = await notes(person('e-fay'), 'limit=2');
    expect(firstPage.next).not.toBeNull();
    const rest = await notes(person('e-fay'), `before=${encodeURIComponent(firstPage.next!)}`);
    const all = await notes(person('e-fay'));
    expect([...firstPage.items, ...rest.items]).toEqual(all.items);
    expect((await call('GET', '/notifications?before=yesterday', person('e-fay'))).status).toBe(400);
  }, 120_000);

  it('scores as computed by hand', async () => {
    afterTheCycle();
    const ann = appraisalOf.get('e-ann')!;
    const score = async () => get<Record<string, unknown>>(`/scores/appraisals/${ann}`, hr);
    await eventually(
      async () => JSON.stringify(await score()).includes('"closed"') || true,
      20_000,
      'score caught up',
    );
    await eventually(
      async () => {
        const body = await score();
        return JSON.stringify(body).includes('2025-03');
      },
      20_000,
      'three periods in the score read model',
    );
    const body = (await score()) as {
      periods: {
        periodId: string;
        score: string;
        vetoed: boolean;
        indicators: { indicatorId: string; score: string }[];
      }[];
      annualScore: string;
      annualGrade: string;
      bonusCoefficient: string;
    };
    const byPeriod = new Map(body.periods.map((period) => [period.periodId, period]));
    // January: 0.40·90 + 0.20·84 + 0.15·110 + 0.25·72 = 87.30, vetoed (330 < 85 % of 400).
    expect(byPeriod.get('2025-01')).toMatchObject({ score: '87.30', vetoed: true });
    expect(
      Object.fromEntries(
        byPeriod
          .get('2025-01')!
          .indicators.map((indicator) => [indicator.indicatorId, Number(indicator.score)]),
      ),
    ).toEqual({ sales_volume: 90, receivables: 84, inventory: 110, product_mix: 72 });
    // February: every indicator on target = 100.
    expect(byPeriod.get('2025-02')).toMatchObject({ score: '100.00', vetoed: false });
    // March: 0.40·110 + 0.20·108 + 0.15·104 + 0.25·104 = 107.20.
    expect(byPeriod.get('2025-03')).toMatchObject({ score: '107.20', vetoed: false });
    // Annual: 0.7 · (87.30 + 100 + 107.20) / 3 + 0.3 · (0.6·80 + 0.2·80 + 0.2·90) = 68.7167 + 24.6 = 93.32 → A, 1.5.
    expect(body).toMatchObject({ annualScore: '93.32', annualGrade: 'A', bonusCoefficient: '1.5' });
  }, 90_000);

  it('keeps an audit trail whose chains verify, with every step and its actor', async () => {
    afterTheCycle();
    const report = await get<{ ok: boolean; eventsChecked: number; headHash: string }>(
      '/audit/verify',
      auditor,
    );
    expect(report.ok).toBe(true);
    expect(report.headHash).toMatch(/^[0-9a-f]{64}$/);
    const ann = appraisalOf.get('e-ann')!;
    await eventually(
      async () =>
        (
          await get<{ items: { type: string }[] }>(`/audit?appraisalId=${ann}&limit=1000`, auditor)
        ).items.some((entry) => entry.type === 'AppealResolved'),
      20_000,
      'audit caught up',
    );
    const trail = (
      await get<{ items: { type: string; actorId: string | null; actorRole: string }[] }>(
        `/audit?appraisalId=${ann}&limit=1000`,
        auditor,
      )
    ).items;
    const actorOf = (type: string) =>
      trail.filter((entry) => entry.type === type).map((entry) => `${entry.actorRole}:${entry.actorId}`);
    expect(actorOf('PlanSubmitted')).toEqual(['employee:e-ann', 'employee:e-ann']);
    expect(actorOf('PlanReturned')).toEqual(['manager:e-mgr']);
    expect(actorOf('PlanApproved')).toEqual(['manager:e-mgr']);
    expect(actorOf('PeriodReviewFiled')).toHaveLength(3);
    expect(actorOf('VetoBreached').length).toBeGreaterThan(0);
    expect(actorOf('ImprovementVerified')[0]).toBe('manager:e-mgr');
    expect(actorOf('AppraisalFinalized')).toEqual(['hr:hr-1']);
    expect(actorOf('AppealFiled')).toEqual(['employee:e-ann']);
    expect(actorOf('AppealResolved')).toEqual(['hr:hr-1']);
  }, 90_000);

  it('delivered every event to the webhook, signed, once, in order per stream', async () => {
    afterTheCycle();
    const events = await feedAfter(subscribedAfter);
    await receiver
      // Every event of the feed, by id (the fast worker keeps adding timer events meanwhile).
      .waitFor((received) => {
        const got = new Set(received.map((delivery) => delivery.id));
        return events.every((event) => got.has(event.id));
      }, 45_000)
      .catch((error: Error) => {
        const got = new Set(receiver.received.map((delivery) => delivery.id));
        const missing = events.filter((event) => !got.has(event.id));
        const byType = new Map<string, number>();
        for (const event of missing) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
        throw new Error(
          `${error.message} of ${events.length}; missing by type: ${JSON.stringify([...byType])}`,
        );
      });
    expect(receiver.rejected).toEqual([]);
    const received = receiver.received.map((delivery) => delivery.id);
    expect(new Set(received).size).toBe(received.length);
    for (const stream of new Set(events.map((event) => event.subject))) {
      const inFeed = events.filter((event) => event.subject === stream).map((event) => event.id);
      const delivered = receiver.received.filter((delivery) => delivery.subject === stream).map((d) => d.id);
      expect(delivered.slice(0, inFeed.length)).toEqual(inFeed);
    }
  }, 90_000);

  it('serves a feed that resumes from the middle without a gap or a duplicate', async () => {
    afterTheCycle();
    const integrator = { apiKey: integratorKey };
    const first = await get<{ events: { id: string; position: string }[]; next: string }>(
      '/events?limit=1000',
      integrator,
    );
    expect(first.events.length).toBeGreaterThan(100);
    const middle = first.events[Math.floor(first.events.length / 2)];
    const rest = await get<{ events: { id: string }[] }>(
      `/events?after=${middle.position}&limit=1000`,
      integrator,
    );
    const expected = first.events.slice(first.events.indexOf(middle) + 1).map((event) => event.id);
    expect(rest.events.map((event) => event.id).slice(0, expected.length)).toEqual(expected);
  });
});
