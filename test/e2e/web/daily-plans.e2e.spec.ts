import type { Page } from 'playwright-core';
import { salesWithTwoLineRubric as workflow } from '@verity/domain/testing/behaviour-workflow';
import { en } from '../../../apps/web/src/i18n/en';
import { unreachableByKeyboard } from '../../support/browser';
import { say, startWebTenant, type Caller, type WebTenant } from '../../support/web-tenant';

/**
 * The days screen in Chromium against the real API and worker (ADRs 0154, 0162). Ann planned her
 * week 2026-W06 (one action); on its Monday she plans two items in the browser, one on the week's
 * action; the number left without its figure is refused by the API next to that field; she files
 * the day's summary. Her manager Mei opens Ann's days from the team board, annotates an item, gives
 * a rating off the rubric's scale (refused next to it), then scores the day. Ann sees the score,
 * the same figure `GET /daily-plans` gives. axe checks both screens; Ann's scored day is the
 * README's screenshot.
 */
const t = en.days;
/** An upper bound for a busy machine, never a claim about speed. */
const TIMEOUT = 300_000;
const WEEK = '2026-W06';
const MONDAY = '2026-02-02';
const ANN: Caller = { role: 'employee', employeeId: 'e-ann' };

type WeekDays = {
  days: {
    date: string;
    status: string;
    score: string | null;
    scoredBy: string | null;
    summary: string | null;
    items: {
      itemId: string;
      text: string | null;
      planned: string | null;
      actual: string | null;
      done: boolean | null;
      weekItemId: string | null;
      annotations: { text: string | null }[];
    }[];
  }[];
};

describe('daily plans, in a real browser', () => {
  let stack: WebTenant;
  const mondayFromApi = async () =>
    (
      await stack.call<WeekDays>('GET', `/daily-plans?employeeId=e-ann&week=${WEEK}`, { role: 'hr' })
    ).days.find((day) => day.date === MONDAY)!;

  beforeAll(async () => {
    stack = await startWebTenant({ prefix: 'web-days', company: 'Days Co', workflow });
    await stack.call('POST', `/weekly-plans/e-ann.${WEEK}/submit`, ANN, {
      employeeId: 'e-ann',
      cycleId: 'c2026',
      week: WEEK,
      items: [{ itemId: 'visit', kind: 'action', text: 'Visit the two largest distributors' }],
    });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** The days screen of `query` on `page`, at rest on Monday's tab. */
  async function openDays(page: Page, query: string): Promise<void> {
    await page.goto(`${stack.base}/app/days?${query}`);
    await page.getByRole('tab', { name: new RegExp(MONDAY) }).waitFor();
    await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
  }
  const field = (page: Page, form: string, name: string) => page.locator(`#${form}-${MONDAY}_${name}`);
  const errorOf = (page: Page, form: string, name: string) =>
    page
      .locator('.ant-form-item')
      .filter({ has: field(page, form, name) })
      .locator('.ant-form-item-explain-error');
  async function choose(page: Page, form: string, name: string, option: string): Promise<void> {
    await field(page, form, name).click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: option })
      .click();
  }

  it(
    'Ann plans Monday on her week, is told which field the API refuses, and files the summary',
    async () => {
      await stack.explained(async () => {
        const ann = await stack.signIn({ role: 'employee', name: 'Ann Chen' });
        await openDays(ann, `week=${WEEK}`);
        await ann.getByRole('heading', { name: say('en', 'days.myTitle', { week: WEEK }) }).waitFor();
        // Monday to Friday, none planned yet.
        expect(await ann.getByRole('tab').count()).toBe(5);

        await field(ann, 'plan', 'items_0_text').fill('Call the Hangzhou distributor');
        await choose(ann, 'plan', 'items_0_weekItemId', 'Visit the two largest distributors');
        await ann.getByRole('button', { name: t.addItem }).click();
        await choose(ann, 'plan', 'items_1_kind', t.kinds.number);
        await field(ann, 'plan', 'items_1_text').fill('New orders');
        await ann.getByRole('button', { name: t.submitPlan }).click();
        // The API names the field (items.1.planned) and its rule: the message shows under it.
        await errorOf(ann, 'plan', 'items_1_planned')
          .getByText('a number item needs its planned figure')
          .waitFor();
        await stack.expectAccessible(ann, 'days, a refused plan (employee)');
        expect(await unreachableByKeyboard(ann)).toEqual([]);
        expect((await mondayFromApi()).status).toBe('not-planned');

        await field(ann, 'plan', 'items_1_planned').fill('3');
        await ann.getByRole('button', { name: t.submitPlan }).click();
        await ann.getByRole('tab', { name: new RegExp(`${MONDAY} ${t.statuses.planned}`) }).waitFor();
        expect((await mondayFromApi()).items).toMatchObject([
          { itemId: 'item-1', text: 'Call the Hangzhou distributor', weekItemId: 'visit', planned: null },
          { itemId: 'item-2', text: 'New orders', weekItemId: null, planned: '3' },
        ]);

        await ann.getByLabel(say('en', 'days.doneOf', { text: 'Call the Hangzhou distributor' })).check();
        await ann.getByLabel(say('en', 'days.actualOf', { text: 'New orders' })).fill('4');
        await field(ann, 'summary', 'summary').fill('Hangzhou called; four orders, one more than planned.');
        await ann.getByRole('button', { name: t.submitSummary }).click();
        await ann.getByRole('tab', { name: new RegExp(`${MONDAY} ${t.statuses.summarized}`) }).waitFor();
        await stack.expectAccessible(ann, 'days, summarized (employee)');
        expect(await mondayFromApi()).toMatchObject({
          status: 'summarized',
          summary: 'Hangzhou called; four orders, one more than planned.',
          items: [{ done: true }, { actual: '4' }],
        });
      });
    },
    TIMEOUT,
  );

  it(
    "Mei opens Ann's days from the team board, annotates and scores Monday on the rubric",
    async () => {
      await stack.explained(async () => {
        const mei = await stack.signIn({ role: 'manager', name: 'Mei Lin' });
        await mei.goto(`${stack.base}/app/team`);
        await mei.getByRole('link', { name: say('en', 'team.daysOf', { name: 'e-ann' }) }).click();
        await mei.waitForURL(/\/app\/days\?employeeId=e-ann$/);
        await openDays(mei, `employeeId=e-ann&week=${WEEK}`);
        await mei.getByTestId('day-summary').getByText('four orders').waitFor();

        await choose(mei, 'annotate', 'itemId', 'New orders');
        await field(mei, 'annotate', 'text').fill('Good: one more than planned.');
        await mei.getByRole('button', { name: t.submitAnnotation }).click();
        await mei
          .getByRole('row')
          .filter({ hasText: 'New orders' })
          .getByText('Good: one more than planned.')
          .waitFor();

        await field(mei, 'score', 'ratings_0_score').fill('80');
        await field(mei, 'score', 'ratings_1_score').fill('120');
        await mei.getByRole('button', { name: t.submitScore }).click();
        // Off the rubric's 0–100 scale: refused, the message under the rating that is off.
        await errorOf(mei, 'score', 'ratings_1_score').first().waitFor();
        expect((await mondayFromApi()).score).toBeNull();
        await field(mei, 'score', 'ratings_1_score').fill('90');
        await mei.getByRole('button', { name: t.submitScore }).click();
        await mei.getByRole('tab', { name: new RegExp(`${MONDAY} ${t.statuses.scored}`) }).waitFor();
        await stack.expectAccessible(mei, 'days, scored (manager)');
        expect(await unreachableByKeyboard(mei)).toEqual([]);
      });
    },
    TIMEOUT,
  );

  it(
    'Ann sees the score the API gives: 86 (80 × 40 % + 90 × 60 %)',
    async () => {
      const monday = await mondayFromApi();
      expect(monday.status).toBe('scored');
      expect(Number(monday.score)).toBe(86);
      await stack.explained(async () => {
        const ann = await stack.signIn({ role: 'employee', name: 'Ann Chen' });
        await openDays(ann, `week=${WEEK}`);
        const score = ann.getByTestId('rubric-score');
        await score.waitFor();
        expect(await score.getByRole('row').first().textContent()).toBe(
          en.rubric.score + say('en', 'rubric.scoredBy', { score: monday.score!, by: monday.scoredBy! }),
        );
        await ann
          .getByRole('row')
          .filter({ hasText: 'New orders' })
          .getByText('Good: one more than planned.')
          .waitFor();
        await stack.expectAccessible(ann, 'days, scored (employee)');
        await stack.screenshot(ann, 'daily-plan');
      });
    },
    TIMEOUT,
  );
});
