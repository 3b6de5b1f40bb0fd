import { randomUUID } from 'node:crypto';
import { dailyPlanSteps, datesOfIsoWeek, sales4232Workflow } from '@verity/domain';
import { salesWithWeeklyPlans } from '@verity/domain/testing/behaviour-workflow';
import { fireTimersInTurn } from '../support/manual-clock';
import { TestApiClient, type Caller } from '../support/api-client';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { annUnderMia, appraisalEvents, type InboxItems } from '../support/plan-steps';

/**
 * Daily plans as steps (ADR 0160), across the real API and a worker whose clock stands still (ADR
 * 0130): the test moves it one timer at a time. The cycle lies two years ahead, so every day of it is
 * still to come whatever today's date.
 *
 * Ann plans her second week: a step opens for each of its five working days. She files Tuesday ahead
 * (plan, then summary): its step closes and Mia's review of the day lands in her inbox; Mia scores the
 * day and the review closes. Monday is never filed: it is reminded, misses its deadline and escalates
 * to Mia; filed at last, its step closes and leaves her inbox. A revised week opens no day twice.
 */
const TENANT = `daily-${randomUUID().slice(0, 8)}`;
const YEAR = new Date().getUTCFullYear() + 2;
const W02 = `${YEAR}-W02`;
const [MONDAY, TUESDAY] = datesOfIsoWeek(W02);

const workflow = {
  ...salesWithWeeklyPlans,
  dailyPlans: {},
  steps: [...sales4232Workflow.steps, ...dailyPlanSteps],
};

describe('daily plans opened, reminded, escalated and closed as steps, on a manual clock', () => {
  let stack: Stack;
  let client: TestApiClient;
  const ann: Caller = { role: 'employee', employeeId: 'e-ann' };
  const mia: Caller = { role: 'manager', employeeId: 'e-mia' };

  beforeAll(async () => {
    stack = await startStack({ clock: 'manual' });
    client = new TestApiClient(stack.base, TENANT, () => stack.api.output().slice(-3000));
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("a week's plan opens its working days; a day filed closes its step, one never filed is reminded and escalates", async () => {
    const { cycleId, appraisalId } = await annUnderMia(client, { company: 'Daily Co', workflow, year: YEAR });
    await client.command(`/appraisals/${appraisalId}/submit-plan`, ann, {});
    await client.command(`/appraisals/${appraisalId}/approve-plan`, mia);

    const events = () => appraisalEvents(client, appraisalId);
    const ofStep = async (stepKey: string) =>
      (await events()).filter((event) => event.data.stepKey === stepKey);
    const typesOf = async (stepKey: string) => (await ofStep(stepKey)).map((event) => event.type).join();
    const dailyOpened = async () =>
      (await events()).filter(
        (event) => event.type === 'StepOpened' && event.data.stepKey?.startsWith('daily-plan.'),
      );
    const inboxOf = async (who: Caller) => (await client.get<InboxItems>('/inbox', who)).items;

    // The approval opens no day; the week's plan opens one step per working day, Monday to Friday.
    expect(await dailyOpened()).toEqual([]);
    const week = {
      employeeId: 'e-ann',
      cycleId,
      week: W02,
      items: [{ itemId: 'visit', kind: 'action', text: 'Visit the two largest distributors' }],
    };
    await client.command(`/weekly-plans/e-ann.${W02}/submit`, ann, week);
    await eventually(async () => (await dailyOpened()).length === 5, 60_000, "the week's five days opened");
    expect((await dailyOpened()).map((event) => event.data.stepKey)).toEqual(
      datesOfIsoWeek(W02)
        .slice(0, 5)
        .map((date) => `daily-plan.${date}`),
    );

    // Ann files Tuesday ahead: planned, then summarized. The summary closes the step and opens Mia's review.
    const day = (date: string) => ({
      employeeId: 'e-ann',
      cycleId,
      date,
      items: [{ itemId: 'call', kind: 'action', text: 'Call the Shanghai distributor', weekItemId: 'visit' }],
    });
    const summary = { results: [{ itemId: 'call', done: true }], summary: 'Called; visit on Thursday' };
    await client.command(`/daily-plans/e-ann.${TUESDAY}/submit`, ann, day(TUESDAY));
    expect(await typesOf(`daily-plan.${TUESDAY}`)).toBe('StepOpened');
    await client.command(`/daily-plans/e-ann.${TUESDAY}/summary`, ann, summary);
    const review = `daily-plan-review.${TUESDAY}`;
    await eventually(
      async () =>
        (await inboxOf(mia)).some((item) => item.appraisalId === appraisalId && item.stepKey === review),
      60_000,
      "Tuesday's review in Mia's inbox",
    );
    expect(await typesOf(`daily-plan.${TUESDAY}`)).toBe('StepOpened,StepCompleted');
    await client.command(`/daily-plans/e-ann.${TUESDAY}/score`, mia, {
      ratings: [{ criterionId: 'conduct', score: 90 }],
    });
    await eventually(
      async () => (await typesOf(review)) === 'StepOpened,StepCompleted',
      60_000,
      "Tuesday's review closed by the score",
    );

    // A revised week opens no day twice.
    await client.command(`/weekly-plans/e-ann.${W02}/submit`, ann, {
      ...week,
      items: [...week.items, { itemId: 'report', kind: 'action', text: 'Send the weekly report' }],
    });

    // Monday, never filed: reminded on its due day, missed, escalated to Mia.
    const monday = `daily-plan.${MONDAY}`;
    const outcomesOf = async (stepKey: string) =>
      (await ofStep(stepKey)).filter((event) =>
        ['ReminderSent', 'DeadlineMissed', 'StepEscalated'].includes(event.type),
      );
    await fireTimersInTurn({
      redisUrl: stack.env.REDIS_URL,
      tenantId: TENANT,
      appraisalId,
      outcomes: () => outcomesOf(monday),
      count: 3,
      what: 'the unfiled Monday',
    });
    expect(
      (await outcomesOf(monday)).map((event) => [
        event.type,
        event.data.level ?? null,
        event.data.to ?? null,
      ]),
    ).toEqual([
      ['ReminderSent', null, null],
      ['DeadlineMissed', null, null],
      ['StepEscalated', 1, 'manager'],
    ]);
    await eventually(
      async () =>
        (await inboxOf(mia)).some(
          (item) => item.appraisalId === appraisalId && item.stepKey === monday && item.escalationLevel === 1,
        ),
      60_000,
      "the unfiled Monday in Mia's inbox",
    );

    // Filed at last: the step closes, late.
    await client.command(`/daily-plans/e-ann.${MONDAY}/submit`, ann, day(MONDAY));
    await client.command(`/daily-plans/e-ann.${MONDAY}/summary`, ann, summary);
    await eventually(
      async () => (await ofStep(monday)).some((event) => event.type === 'StepCompleted'),
      60_000,
      'Monday closed',
    );
    // (Whether it closed late is the unit test's: process managers read the real clock, the manual
    // one moves only the timers.) Closed, it leaves Mia's inbox.
    await eventually(
      async () => !(await inboxOf(mia)).some((item) => item.stepKey === monday),
      60_000,
      "Monday gone from Mia's inbox",
    );
    // The process manager follows the log in order: by Monday's summary it has seen the revised week,
    // which opened no day again.
    expect((await dailyOpened()).length).toBe(5);
  }, 600_000);
});
