import { randomUUID } from 'node:crypto';
import { sales4232Workflow, weeklyPlanSteps } from '@verity/domain';
import { fireTimersInTurn } from '../support/manual-clock';
import { TestApiClient, type Caller } from '../support/api-client';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { annUnderMia, appraisalEvents, type InboxItems, type StepOutcome } from '../support/plan-steps';

/**
 * Weekly plans reminded and escalated as the other steps (ADR 0145), across the real API and a
 * worker whose clock stands still (ADR 0130): the test moves it one timer at a time, so nothing
 * depends on how fast the machine is. The cycle lies ahead, so every week of it is still to come
 * when the plan is approved, whatever today's date.
 *
 * Ann plans her second week ahead: the week's step closes and her manager Mia gets the review in her
 * inbox; nobody reviews it, so it is reminded, misses its deadline and escalates to Mia's manager.
 * Ann does not plan her first week: it is reminded, misses its deadline and escalates to Mia (who
 * is told), then to HR, in whose inbox it lands. Mia's annotation closes the review.
 */
const TENANT = `weekly-${randomUUID().slice(0, 8)}`;
// Two years ahead: even in the last days of December, the cycle's first week is still to come.
const YEAR = new Date().getUTCFullYear() + 2;
const W01 = `${YEAR}-W01`;
const W02 = `${YEAR}-W02`;

const workflow = {
  ...sales4232Workflow,
  weeklyPlans: {
    rubric: [{ id: 'conduct', name: 'Plans and reports the week', weight: 100 }],
    monthRollUp: 'average',
    weightInMonthlyScore: 20,
  },
  steps: [...sales4232Workflow.steps, ...weeklyPlanSteps],
};

type Outcome = StepOutcome;
type Inbox = InboxItems;

describe('weekly plans reminded and escalated as steps, on a manual clock', () => {
  let stack: Stack;
  let client: TestApiClient;
  const hr: Caller = { role: 'hr' };
  const ann: Caller = { role: 'employee', employeeId: 'e-ann' };
  const mia: Caller = { role: 'manager', employeeId: 'e-mia' };
  const boss: Caller = { role: 'manager', employeeId: 'e-boss' };

  beforeAll(async () => {
    stack = await startStack({ clock: 'manual' });
    client = new TestApiClient(stack.base, TENANT, () => stack.api.output().slice(-3000));
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('a week not planned and a plan not reviewed are reminded, miss their deadlines and escalate', async () => {
    const { cycleId, appraisalId } = await annUnderMia(client, {
      company: 'Weekly Co',
      workflow,
      year: YEAR,
    });
    // Ann plans her third week before her year's plan is approved: that week opens no step to chase.
    const W03 = `${YEAR}-W03`;
    await client.command(`/weekly-plans/e-ann.${W03}/submit`, ann, {
      employeeId: 'e-ann',
      cycleId,
      week: W03,
      items: [{ itemId: 'call', kind: 'action', text: 'Call the new distributor' }],
    });
    await client.command(`/appraisals/${appraisalId}/submit-plan`, ann, {});
    await client.command(`/appraisals/${appraisalId}/approve-plan`, mia);

    const events = () => appraisalEvents(client, appraisalId);
    const ofStep = async (stepKey: string) =>
      (await events()).filter((event) => event.data.stepKey === stepKey);
    const outcomesOf = async (stepKey: string) =>
      (await ofStep(stepKey)).filter((event) =>
        ['ReminderSent', 'DeadlineMissed', 'StepEscalated'].includes(event.type),
      );
    const brief = (outcomes: Outcome[]) =>
      outcomes.map((event) => [event.type, event.data.level ?? null, event.data.to ?? null]);
    const inboxOf = async (who: Caller) => (await client.get<Inbox>('/inbox', who)).items;

    // The approval opened a step per week of the year for Ann, but the week she had planned. That
    // plan's review opened when it came; Mia's annotation closes it.
    expect(await ofStep(`weekly-plan.${W03}`)).toEqual([]);
    await client.command(`/weekly-plans/e-ann.${W03}/annotations`, mia, { text: 'Good, go ahead' });
    await eventually(
      async () =>
        (await ofStep(`weekly-plan-review.${W03}`)).map((event) => event.type).join() ===
        'StepOpened,StepCompleted',
      60_000,
      'the early plan reviewed',
    );
    expect((await ofStep(`weekly-plan.${W01}`)).map((event) => event.type)).toEqual(['StepOpened']);

    // Ann plans her second week ahead: the week's step closes, Mia's review opens in her inbox.
    await client.command(`/weekly-plans/e-ann.${W02}/submit`, ann, {
      employeeId: 'e-ann',
      cycleId,
      week: W02,
      items: [{ itemId: 'visit', kind: 'action', text: 'Visit the two largest distributors' }],
    });
    const review = `weekly-plan-review.${W02}`;
    await eventually(
      async () =>
        (await inboxOf(mia)).some((item) => item.appraisalId === appraisalId && item.stepKey === review),
      60_000,
      "the review in Mia's inbox",
    );
    expect((await ofStep(`weekly-plan.${W02}`)).map((event) => event.type)).toEqual([
      'StepOpened',
      'StepCompleted',
    ]);

    // Nobody reviews it: reminded the day before, the deadline missed, escalated to Mia's manager.
    await fireTimersInTurn({
      redisUrl: stack.env.REDIS_URL,
      tenantId: TENANT,
      appraisalId,
      outcomes: () => outcomesOf(review),
      count: 3,
      what: 'the weekly review',
    });
    expect(brief(await outcomesOf(review))).toEqual([
      ['ReminderSent', null, null],
      ['DeadlineMissed', null, null],
      ['StepEscalated', 1, 'skip-level'],
    ]);
    await eventually(
      async () =>
        (await inboxOf(boss)).some(
          (item) => item.appraisalId === appraisalId && item.stepKey === review && item.escalationLevel === 1,
        ),
      60_000,
      "the escalated review in Boss's inbox",
    );

    // Ann's first week, never planned: reminded on its due day, missed, escalated to Mia, then HR.
    const first = `weekly-plan.${W01}`;
    await fireTimersInTurn({
      redisUrl: stack.env.REDIS_URL,
      tenantId: TENANT,
      appraisalId,
      outcomes: () => outcomesOf(first),
      count: 4,
      what: 'the unplanned week',
    });
    expect(brief(await outcomesOf(first))).toEqual([
      ['ReminderSent', null, null],
      ['DeadlineMissed', null, null],
      ['StepEscalated', 1, 'manager'],
      ['StepEscalated', 2, 'hr'],
    ]);
    // The week sits in HR's inbox at level 2; Mia was told when it came to her at level 1.
    await eventually(
      async () =>
        (await inboxOf(hr)).some(
          (item) => item.appraisalId === appraisalId && item.stepKey === first && item.escalationLevel === 2,
        ),
      60_000,
      "the unplanned week in HR's inbox, escalated twice",
    );
    type Notifications = { items: { appraisalId: string; stepKey: string; reason: string }[] };
    await eventually(
      async () =>
        (await client.get<Notifications>('/notifications', mia)).items.some(
          (item) =>
            item.appraisalId === appraisalId &&
            item.stepKey === first &&
            item.reason === 'escalation-manager',
        ),
      60_000,
      'Mia told of the unplanned week',
    );

    // Mia annotates the plan: the review closes and leaves her inbox.
    await client.command(`/weekly-plans/e-ann.${W02}/annotations`, mia, {
      text: 'Start with the larger one',
    });
    await eventually(
      async () => (await ofStep(review)).some((event) => (event.type as string) === 'StepCompleted'),
      60_000,
      'the review completed',
    );
    await eventually(
      async () => !(await inboxOf(mia)).some((item) => item.stepKey === review),
      60_000,
      "the review gone from Mia's inbox",
    );
  }, 600_000);
});
