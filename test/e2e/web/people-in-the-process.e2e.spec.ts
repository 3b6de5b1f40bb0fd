import type { Page } from 'playwright-core';
import { sendUntil, tabTo, unreachableByKeyboard } from '../../support/browser';
import { fireTimersInTurn } from '../../support/manual-clock';
import { eventually } from '../../support/eventually';
import { say, startWebTenant, type WebTenant } from '../../support/web-tenant';
import { HR, nameOf, person, planAndMonthJourney, planRow } from './plan-and-month.journey';

/**
 * The web app in Chromium against the real API, worker, PostgreSQL and Redis, over a tenant of its
 * own with an open cycle. One journey, run in English by Ann and in Chinese by Bo: the employee
 * submits the plan, the manager returns it with an annotation on a line, the employee answers on that
 * line and submits again, the manager approves; a month's review is filed, assessed and scored by the
 * worker (Ann's month breaches the product-mix veto and shows as vetoed); the team board's chart
 * carries the API's counts. Every screen passes axe and is saved as a screenshot for the README. The
 * labels come from the app's own catalogues, so a journey finds its buttons in either language
 * (the journey's steps: ./plan-and-month.journey.ts).
 */
describe('the web app, in a real browser', () => {
  let web: WebTenant;
  let base: string;
  const call: WebTenant['call'] = (method, url, who, body) => web.call(method, url, who, body);
  const appraisalOf = (employeeId: string) => web.appraisalOf.get(employeeId)!;

  beforeAll(async () => {
    web = await startWebTenant({ prefix: 'web', company: 'Web Co' });
    base = web.base;
  }, 240_000);

  afterAll(async () => {
    await web?.stop();
  });

  it('signs in as a person of the tenant, with the screens of the role', async () => {
    const page = await web.browser.context.newPage();
    await page.goto(`${base}/app/sign-in?tenant=${web.tenant}&lang=en`);
    await page.getByRole('heading', { name: 'Sign in as' }).waitFor();
    await page.getByRole('cell', { name: 'Ann Chen e-ann', exact: true }).waitFor();
    await web.expectAccessible(page, 'sign-in');
    await web.screenshot(page, 'sign-in');
    await page.close();
  }, 120_000);

  it('an employee and her manager agree a plan, then a month is filed, assessed and scored (English)', async () => {
    await web.explained(() =>
      planAndMonthJourney(web, 'en', { employeeId: 'e-ann', name: 'Ann Chen', productMix: '300' }),
    );
  }, 600_000);

  it('the same journey in Chinese', async () => {
    await web.explained(() =>
      planAndMonthJourney(web, 'zh-CN', { employeeId: 'e-bo', name: 'Bo Xu', productMix: '450' }),
    );
  }, 600_000);

  it("the year's other steps: an improvement filed and verified, the self-assessment, 360 ratings given, the result appealed", async () => {
    await web.explained(async () => {
      const t = (key: string, values?: Record<string, string | number>) => say('en', key, values);
      const ann = appraisalOf('e-ann');
      type Year = {
        state: {
          status: string;
          improvements: Record<string, { indicatorId: string; status: string }>;
          selfRating: string | null;
          ratings: { group: string }[];
        };
      };
      const year = async () => (await call<Year>('GET', `/appraisals/${ann}`, HR)).state;
      // January's scoring required an action wherever Ann fell below target (sales 1050 of 1100).
      const required = Object.entries((await year()).improvements).filter(([, i]) => i.status === 'required');
      expect(required.length).toBeGreaterThan(0);
      const [improvementId, improvement] = required[0];
      const yearEndTab = (page: Page) => page.getByRole('tab', { name: t('appraisal.tabs.yearEnd') }).click();

      // Ann files the action, then her self-assessment.
      const employee = await web.signIn({ role: 'employee', name: 'Ann Chen' }, 'en');
      await yearEndTab(employee);
      const action = employee.getByLabel(t('yearEnd.action', { indicator: nameOf(improvement.indicatorId) }));
      await action.first().fill('Weekly pipeline review with the distributor');
      await web.expectAccessible(employee, 'improvements and result (employee)');
      expect(await unreachableByKeyboard(employee)).toEqual([]);
      await web.screenshot(employee, 'improvement');
      await sendUntil(
        employee,
        employee.getByRole('button', { name: t('yearEnd.fileImprovement') }).first(),
        '/file-improvement',
        async () => (await year()).improvements[improvementId].status !== 'required',
      );
      const rating = t('yearEnd.rating', { min: 0, max: 100 });
      await employee.reload();
      await yearEndTab(employee);
      await employee.getByLabel(rating).fill('85');
      await sendUntil(
        employee,
        employee.getByRole('button', { name: t('yearEnd.submitSelf') }),
        '/submit-self-assessment',
        async () => (await year()).selfRating !== null,
      );

      // Bo finds the peer rating in his inbox and gives it; Cai's comes through the API.
      const peer = await web.signIn({ role: 'employee', name: 'Bo Xu' }, 'en');
      const peerStep = peer.getByRole('row').filter({ hasText: 'e-ann' }).filter({ hasText: 'peer-rating' });
      await web.untilInInbox(peer, peerStep, "Ann's peer rating in Bo's inbox");
      await peerStep.first().getByRole('link').click();
      // A peer may not read Ann's appraisal: the rating is given on a page of its own, and the
      // API's refusal of a rating off the workflow's scale lands on the field.
      const peerRating = peer.getByLabel(t('yearEnd.peerRating'));
      await peerRating.fill('150');
      await peer.getByRole('button', { name: t('yearEnd.submitRating') }).click();
      await peer.locator('.ant-form-item-explain-error').first().waitFor();
      expect(await peerRating.inputValue()).toBe('150');
      await web.expectAccessible(peer, 'a peer rating to give');
      expect(await unreachableByKeyboard(peer)).toEqual([]);
      await web.screenshot(peer, 'peer-rating');
      await peerRating.fill('80');
      await peer.getByRole('button', { name: t('yearEnd.submitRating') }).click();
      await peer.waitForURL(/\/app\/inbox$/);
      expect((await year()).ratings.filter((r) => r.group === 'peer').length).toBe(1);
      await web.command(ann, 'submit-rating', person('e-cai'), {
        group: 'peer',
        rating: 75,
      });

      // Mei verifies the action and gives the manager's rating.
      const manager = await web.signIn({ role: 'manager', name: 'Mei Lin' }, 'en');
      await manager.goto(`${base}/app/appraisals/${ann}`);
      await yearEndTab(manager);
      await manager.getByText(t('yearEnd.yes'), { exact: true }).first().click();
      await manager.getByLabel(rating).fill('88');
      await web.expectAccessible(manager, 'improvement to verify and rating to give (manager)');
      expect(await unreachableByKeyboard(manager)).toEqual([]);
      await web.screenshot(manager, 'verify-and-rate');
      await sendUntil(
        manager,
        manager.getByRole('button', { name: t('yearEnd.verify') }).first(),
        '/verify-improvement',
        async () => (await year()).improvements[improvementId].status === 'verified',
      );
      await manager.reload();
      await yearEndTab(manager);
      await manager.getByLabel(rating).fill('88');
      await sendUntil(
        manager,
        manager.getByRole('button', { name: t('yearEnd.submitRating') }),
        '/submit-rating',
        async () => (await year()).ratings.some((r) => r.group === 'manager'),
      );

      // HR scores the year and finalizes it; Ann sees the result and appeals it, with a reason.
      await web.scoreYear(ann);
      await web.command(ann, 'finalize-appraisal', HR, {});
      await employee.reload();
      await yearEndTab(employee);
      await employee.getByText(t('yearEnd.finalized')).waitFor();
      const appeal = employee.getByRole('button', { name: t('yearEnd.appeal') });
      await appeal.click();
      // Without a reason the form refuses, on the field, and nothing is sent.
      await employee.locator('.ant-form-item-explain-error').first().waitFor();
      expect((await year()).status).toBe('finalized');
      await employee.getByLabel(t('yearEnd.appealReason')).fill('The January veto was a supply shortage');
      await web.expectAccessible(employee, 'result to acknowledge or appeal');
      expect(await unreachableByKeyboard(employee)).toEqual([]);
      await web.screenshot(employee, 'result');
      await sendUntil(employee, appeal, '/file-appeal', async () => (await year()).status === 'appealed');
    });
  }, 600_000);

  it('every action of the screens is reachable by keyboard, and a plan can be submitted with it alone', async () => {
    await web.explained(async () => {
      const t = (key: string, values?: Record<string, string | number>) => say('en', key, values);
      const page = await web.browser.context.newPage();
      await page.goto(`${base}/app/sign-in?tenant=${web.tenant}&lang=en`);
      const signInAs = `${t('signIn.as', { role: t('roles.employee') })}: Cai Yun`;
      await page.getByRole('button', { name: signInAs, exact: true }).waitFor();
      expect(await unreachableByKeyboard(page)).toEqual([]);
      await tabTo(page, signInAs);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/app\/my-appraisal$/);
      await page.getByText(t('plan.status', { status: t('statuses.draft'), version: 0 })).waitFor();
      expect(await unreachableByKeyboard(page)).toEqual([]);
      const targetLabel = `${nameOf('sales_volume')}: ${t('plan.target')}`;
      await tabTo(page, targetLabel);
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type('1050');
      await tabTo(page, t('plan.submit'));
      await page.keyboard.press('Enter');
      await page.getByText(t('plan.status', { status: t('statuses.submitted'), version: 1 })).waitFor();
      expect(await planRow(page, 'sales_volume').textContent()).toContain('1050');

      // The manager's screens: the inbox, the plan under review, the team board.
      const manager = await web.signIn({ role: 'manager', name: 'Mei Lin' }, 'en');
      await manager.locator('.ant-table-tbody').waitFor();
      expect(await unreachableByKeyboard(manager)).toEqual([]);
      await manager.goto(`${base}/app/appraisals/${appraisalOf('e-cai')}`);
      await manager.getByText(t('plan.status', { status: t('statuses.submitted'), version: 1 })).waitFor();
      expect(await unreachableByKeyboard(manager)).toEqual([]);
      await manager.goto(`${base}/app/team`);
      await manager.getByTestId('distribution').getByRole('img').waitFor();
      expect(await unreachableByKeyboard(manager)).toEqual([]);
    });
  }, 300_000);

  it("Bo acknowledges his final result in Chinese; Cai's plan approval, escalated past Mei, waits in Boss Wu's inbox", async () => {
    await web.explained(async () => {
      const t = (key: string, values?: Record<string, string | number>) => say('en', key, values);
      const bo = appraisalOf('e-bo');
      const status = async (appraisalId: string) =>
        (await call<{ state: { status: string } }>('GET', `/appraisals/${appraisalId}`, HR)).state.status;

      // Bo's year through the API (the screens for these steps are Ann's journey): the ratings the
      // workflow needs, then HR scores and finalizes it.
      await web.command(bo, 'submit-self-assessment', person('e-bo'), { rating: 82 });
      await web.command(bo, 'submit-rating', person('e-ann'), {
        group: 'peer',
        rating: 78,
      });
      await web.command(bo, 'submit-rating', person('e-cai'), {
        group: 'peer',
        rating: 80,
      });
      await web.command(bo, 'submit-rating', person('e-mei', 'manager'), {
        group: 'manager',
        rating: 84,
      });
      await web.scoreYear(bo);
      await web.command(bo, 'finalize-appraisal', HR, {});
      expect(await status(bo)).toBe('finalized');

      // Bo (whose journey is in Chinese) reads that the result is final and acknowledges it, on the
      // year-end screen in zh-CN: the appraisal closes.
      const zh = (key: string, values?: Record<string, string | number>) => say('zh-CN', key, values);
      const employee = await web.signIn({ role: 'employee', name: 'Bo Xu' }, 'zh-CN');
      await employee.getByRole('tab', { name: zh('appraisal.tabs.yearEnd') }).click();
      await employee.getByText(zh('yearEnd.finalized')).waitFor();
      await employee.getByLabel(zh('yearEnd.acknowledgeComment')).fill('同意，谢谢');
      await web.expectAccessible(employee, 'result to acknowledge (employee, zh-CN)');
      await web.screenshot(employee, 'result-acknowledge.zh-CN');
      await sendUntil(
        employee,
        employee.getByRole('button', { name: zh('yearEnd.acknowledge') }),
        '/acknowledge-appraisal',
        async () => (await status(bo)) === 'closed',
      );
      await employee.getByText(zh('yearEnd.acknowledged')).waitFor();

      // Cai's plan (submitted by keyboard above) waits for Mei's approval. The worker runs again on a
      // clock that stands still, and the test moves it one timer at a time (ADR 0130): the approval's
      // three reminders, its missed deadline, then its first escalation, to the skip-level manager.
      expect(await web.restartWorker({ clock: 'manual' })).toBe(0);
      const cai = appraisalOf('e-cai');
      type Outcome = { type: string; data: { stepKey?: string; level?: number; to?: string } };
      const approvalOutcomes = async () =>
        (await call<{ items: Outcome[] }>('GET', `/appraisals/${cai}/events?limit=500`, HR)).items.filter(
          (event) =>
            event.data.stepKey === 'plan-approval' &&
            ['ReminderSent', 'DeadlineMissed', 'StepEscalated'].includes(event.type),
        );
      // The chain goes on past level 1: the helper fires the five timers and no more.
      await fireTimersInTurn({
        redisUrl: web.env.REDIS_URL,
        tenantId: web.tenant,
        appraisalId: cai,
        outcomes: approvalOutcomes,
        count: 5,
        what: 'the plan approval',
        diagnose: () => `worker output (last lines):\n${web.worker().output().slice(-3000)}`,
      });
      expect(
        (await approvalOutcomes()).map((event) => [
          event.type,
          event.data.level ?? null,
          event.data.to ?? null,
        ]),
      ).toEqual([
        ['ReminderSent', null, null],
        ['ReminderSent', null, null],
        ['ReminderSent', null, null],
        ['DeadlineMissed', null, null],
        ['StepEscalated', 1, 'skip-level'],
      ]);

      // Boss Wu, Mei's manager, finds the approval in his inbox, marked escalated.
      type Inbox = { items: { appraisalId: string; stepKey: string; escalationLevel: number }[] };
      await eventually(
        async () =>
          (await call<Inbox>('GET', '/inbox', person('e-boss', 'manager'))).items.some(
            (item) =>
              item.appraisalId === cai && item.stepKey === 'plan-approval' && item.escalationLevel === 1,
          ),
        60_000,
        'the inbox projection caught up',
      );
      const skipLevel = await web.signIn({ role: 'manager', name: 'Boss Wu' }, 'en');
      const row = skipLevel
        .getByRole('row')
        .filter({ hasText: 'e-cai' })
        .filter({ hasText: 'plan-approval' });
      await web.untilInInbox(skipLevel, row, "Cai's plan approval on Boss Wu's inbox screen");
      await row
        .first()
        .getByText(t('inbox.escalated', { level: 1 }))
        .waitFor();
      await web.expectAccessible(skipLevel, 'escalated step (skip-level manager)');
      await web.screenshot(skipLevel, 'inbox-escalated');
    });
  }, 600_000);
});
