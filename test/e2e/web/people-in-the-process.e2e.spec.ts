import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { sales4232Workflow } from '@verity/domain';
import { loadConfig, jose } from '@verity/platform';
import {
  launchChromium,
  SCREENSHOTS,
  seriousViolations,
  unreachableByKeyboard,
  type Chromium,
} from '../../support/browser';
import { fireTimersInTurn } from '../../support/manual-clock';
import { eventually } from '../../support/eventually';
import { RunningApp, freePort, startApp } from '../../support/processes';
import { workerDatabaseUrl, workerRedisUrl } from '../../support/environment';
import { en } from '../../../apps/web/src/i18n/en';
import { zhCN } from '../../../apps/web/src/i18n/zh-CN';

/**
 * The web app in Chromium against the real API, worker, PostgreSQL and Redis, over a tenant of its
 * own with an open cycle. One journey, run in English by Ann and in Chinese by Bo: the employee
 * submits the plan, the manager returns it with an annotation on a line, the employee answers on that
 * line and submits again, the manager approves; a month's review is filed, assessed and scored by the
 * worker (Ann's month breaches the product-mix veto and shows as vetoed); the team board's chart
 * carries the API's counts. Every screen passes axe and is saved as a screenshot for the README. The
 * labels come from the app's own catalogues, so a journey finds its buttons in either language.
 */
type Messages = typeof en;
const CATALOGUES: Record<'en' | 'zh-CN', Messages> = { en, 'zh-CN': zhCN };
const INDICATORS = sales4232Workflow.scorecard.indicators;
const nameOf = (id: string) => INDICATORS.find((indicator) => indicator.id === id)!.name;
const TENANT = `web-${randomUUID().slice(0, 8)}`;
const secret = loadConfig().JWT_SECRET;

describe('the web app, in a real browser', () => {
  let api: RunningApp;
  let worker: RunningApp;
  let base: string;
  let browser: Chromium;
  let env: Record<string, string>;
  const appraisalOf = new Map<string, string>();

  async function token(role: string, employeeId?: string, scope?: string): Promise<string> {
    return new jose.SignJWT({
      tenant: TENANT,
      role,
      ...(employeeId ? { employee_id: employeeId } : {}),
      ...(scope ? { scope } : {}),
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(employeeId ?? `${role}-1`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
  }

  async function call<T = Record<string, unknown>>(
    method: string,
    url: string,
    role: string,
    employeeId?: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token(role, employeeId)}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /**
   * HR scores the year. A year is scored only when each month is scored or waived (ADR 0133), so HR
   * first waives the months not reviewed here; the last waiver may let the annual-scoring process
   * manager score the year at the same moment, and HR's command then meets a 409 (the appraisal
   * moved): it is sent again on the newer appraisal, as a person would after reloading.
   */
  async function scoreYear(appraisalId: string): Promise<void> {
    const { state } = await call<{ state: { periods: Record<string, { status: string }> } }>(
      'GET',
      `/appraisals/${appraisalId}`,
      'hr',
    );
    for (const [periodId, period] of Object.entries(state.periods))
      if (period.status !== 'scored' && period.status !== 'waived')
        await call('POST', `/appraisals/${appraisalId}/waive-period`, 'hr', undefined, {
          periodId,
          reason: 'Not reviewed in this journey',
        });
    await eventually(
      () => call('POST', `/appraisals/${appraisalId}/score-appraisal`, 'hr', undefined, {}).then(() => true),
      30_000,
      'HR scores the year',
    );
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    // The screen at rest: no button still loading, no skeleton waiting for its data.
    // A field's error message fading out is mid-animation (half its contrast): wait until it is gone.
    await page
      .locator('.ant-btn-loading, .ant-skeleton, .ant-form-show-help-item-leave')
      .first()
      .waitFor({ state: 'detached' });
    const violations = await seriousViolations(page);
    expect({ screen, violations }).toEqual({ screen, violations: [] });
  }

  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: workerDatabaseUrl(),
      REDIS_URL: workerRedisUrl(),
      PORT: String(port),
      WORKER_METRICS_PORT: String(await freePort()),
    };
    api = startApp('api', env);
    worker = startApp('worker', env);
    await eventually(async () => (await fetch(`${base}/health`)).ok, 90_000, 'API healthy');
    await eventually(async () => worker.output().includes('worker ready'), 90_000, 'worker ready');

    // A sales team: Mei manages Ann and Bo; the sales workflow; this year's cycle over the team.
    await call('POST', '/directory/tenant', 'admin', undefined, { name: 'Web Co' });
    const hire = (employeeId: string, orgUnitId: string, managerId: string | null, name: string) => ({
      command: 'HireEmployee',
      employeeId,
      orgUnitId,
      managerId,
      position: null,
      name,
      effectiveFrom: '2025-01-01',
    });
    const unit = (orgUnitId: string, parentId: string | null, kind: string) => ({
      command: 'CreateOrgUnit',
      orgUnitId,
      parentId,
      kind,
      name: orgUnitId.toUpperCase(),
      effectiveFrom: '2025-01-01',
    });
    await call('POST', '/directory/import', 'hr', undefined, {
      rows: [
        unit('hq', null, 'hq'),
        unit('sales', 'hq', 'department'),
        hire('e-boss', 'hq', null, 'Boss Wu'),
        hire('e-mei', 'hq', 'e-boss', 'Mei Lin'),
        hire('e-ann', 'sales', 'e-mei', 'Ann Chen'),
        hire('e-bo', 'sales', 'e-mei', 'Bo Xu'),
        hire('e-cai', 'sales', 'e-mei', 'Cai Yun'),
      ],
    });
    await call('POST', '/workflows/sales-4232/versions', 'process-owner', undefined, {
      definition: sales4232Workflow,
    });
    await call('POST', '/cycles', 'hr', undefined, {
      cycleId: 'c2026',
      name: 'Sales 2026',
      year: 2026,
      workflowId: 'sales-4232',
      workflowVersion: 1,
      orgUnitIds: ['sales'],
    });
    // The worker's cycle-opening process manager opens one appraisal per subject.
    type Cycle = {
      opening: { done: boolean };
      opened: { appraisals: { appraisalId: string; subject: { employeeId: string } }[] };
    };
    await eventually(
      async () => (await call<Cycle>('GET', '/cycles/c2026', 'hr')).opening.done,
      30_000,
      "the cycle's appraisals opened",
    );
    const { opened } = await call<Cycle>('GET', '/cycles/c2026', 'hr');
    for (const entry of opened.appraisals) appraisalOf.set(entry.subject.employeeId, entry.appraisalId);
    // The score read model lists an appraisal to its appraisee: wait for the worker to project them.
    await eventually(
      async () =>
        (await call<{ items: unknown[] }>('GET', '/scores', 'hr')).items.length === appraisalOf.size,
      30_000,
      'appraisals projected',
    );
    browser = await launchChromium();
    // Upper bounds for a busy machine (five test runs share two cores), never a claim about speed.
    browser.context.setDefaultTimeout(60_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
  });

  it('signs in as a person of the tenant, with the screens of the role', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/app/sign-in?tenant=${TENANT}&lang=en`);
    await page.getByRole('heading', { name: 'Sign in as' }).waitFor();
    await page.getByRole('cell', { name: 'Ann Chen e-ann', exact: true }).waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
    await page.close();
  }, 120_000);

  /** A failed step says what each open tab showed (a toast or an error alert explains most failures). */
  async function explained(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      const screens = await Promise.all(
        browser.context.pages().map(async (page) => {
          const text = await page.evaluate(() => document.body.innerText).catch(() => '?');
          return `--- ${page.url()}\n${text.slice(0, 8000)}`;
        }),
      );
      if (error instanceof Error) error.message += `\n\nopen tabs:\n${screens.join('\n')}`;
      throw error;
    } finally {
      await Promise.all(browser.context.pages().map((page) => page.close()));
    }
  }

  /** A catalogue's string, interpolated as i18next does (`{{name}}`). */
  function say(language: 'en' | 'zh-CN', key: string, values: Record<string, string | number> = {}): string {
    const text = key
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], CATALOGUES[language]);
    if (typeof text !== 'string') throw new Error(`no message ${key} in ${language}`);
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
  }

  /** Signs in through the development sign-in page, as the person clicking it would. */
  async function signIn(language: 'en' | 'zh-CN', role: 'employee' | 'manager', name: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${base}/app/sign-in?tenant=${TENANT}&lang=${language}`);
    const label = `${say(language, 'signIn.as', { role: say(language, `roles.${role}`) })}: ${name}`;
    await page.getByRole('button', { name: label, exact: true }).click();
    await page.waitForURL(role === 'employee' ? /\/app\/my-appraisal$/ : /\/app\/inbox$/);
    return page;
  }

  const planRow = (page: Page, indicatorId: string): Locator =>
    page.getByRole('row').filter({ hasText: nameOf(indicatorId) });

  type AppraisalState = {
    revision: string;
    state: { plan: { status: string } | null; periods: Record<string, { status: string }> };
  };
  const appraisalState = (employeeId: string) =>
    call<AppraisalState>('GET', `/appraisals/${appraisalOf.get(employeeId)}`, 'hr');

  const periodStatus = async (employeeId: string) =>
    (await appraisalState(employeeId)).state.periods['2026-01'].status;

  /**
   * Sends a form until the API has taken it. The worker's reminders and escalations of the cycle's
   * long-overdue steps move the appraisal's revision too: a refusal (412) reloads the form with what
   * was typed, and the person sends again, as the screen asks.
   */
  async function sendUntil(page: Page, button: Locator, route: string, done: () => Promise<boolean>) {
    await eventually(
      async () => {
        if (await done()) return true;
        const answered = page
          .waitForResponse((response) => response.url().includes(route))
          .catch(() => undefined);
        await button.click();
        await answered;
        await page.locator('.ant-btn-loading').first().waitFor({ state: 'detached' });
        return done();
      },
      120_000,
      `${route} taken`,
    );
  }

  async function journey(
    language: 'en' | 'zh-CN',
    who: { employeeId: string; name: string; productMix: string },
  ): Promise<void> {
    const t = (key: string, values?: Record<string, string | number>) => say(language, key, values);
    // English screenshots of every main screen, and the plan in Chinese (the README shows them).
    const shot = async (page: Page, name: string) => {
      if (language === 'en') await screenshot(page, name);
      else if (name === 'plan-editor') await screenshot(page, `${name}.zh-CN`);
    };

    // The employee raises the sales target and submits the plan.
    const employee = await signIn(language, 'employee', who.name);
    await employee.getByText(t('plan.status', { status: t('statuses.draft'), version: 0 })).waitFor();
    await expectAccessible(employee, `${language} plan editor`);
    await employee.getByLabel(`${nameOf('sales_volume')}: ${t('plan.target')}`).fill('1100');
    await shot(employee, 'plan-editor');
    await employee.getByRole('button', { name: t('plan.submit') }).click();
    await employee.getByText(t('plan.status', { status: t('statuses.submitted'), version: 1 })).waitFor();

    // The manager finds the step in the inbox (once the worker has projected it) and opens the plan.
    const manager = await signIn(language, 'manager', 'Mei Lin');
    const inboxRow = manager.getByRole('row').filter({ hasText: who.employeeId });
    await eventually(
      async () => {
        await manager.reload();
        await manager.getByRole('heading', { name: t('inbox.title') }).waitFor();
        await manager.locator('.ant-table-tbody').waitFor();
        return (await manager.locator('.ant-spin-spinning').count()) === 0 && (await inboxRow.count()) > 0;
      },
      60_000,
      `the plan's approval step in ${who.employeeId}'s manager's inbox`,
    );
    await expectAccessible(manager, `${language} inbox`);
    await shot(manager, 'inbox');
    await inboxRow.first().getByRole('link').click();
    await manager.getByText(t('plan.status', { status: t('statuses.submitted'), version: 1 })).waitFor();
    expect(await planRow(manager, 'sales_volume').textContent()).toContain('1100');

    // She returns it with an annotation on the receivables line.
    const annotation = `${who.name}: receivables 1.8 please`;
    await manager.getByLabel(`${nameOf('receivables')}: ${t('plan.annotate')}`).fill(annotation);
    await expectAccessible(manager, `${language} plan review`);
    await shot(manager, 'plan-review');
    await manager.getByRole('button', { name: t('plan.return') }).click();
    await manager.getByText(t('plan.status', { status: t('statuses.returned'), version: 1 })).waitFor();

    // The employee sees who returned it. The annotation's words reach her as the API allows: today it
    // withholds personal data from employees and managers (issue 17 lets people read words addressed
    // to them), so the screen shows either the words on their line or that they are withheld.
    await employee.reload();
    await employee.getByText(t('plan.returnedBy', { actor: 'e-mei' })).waitFor();
    const onTheLine = planRow(employee, 'receivables').getByText(annotation);
    const withheld = employee.getByText(t('plan.withheld'));
    await onTheLine.or(withheld).first().waitFor();
    // With the words readable (a token holding the `pii` scope), they stand on the receivables line.
    const reader = await browser.context.newPage();
    await reader.addInitScript(
      (session) => sessionStorage.setItem('verity.session', session),
      JSON.stringify({
        token: await token('employee', who.employeeId, 'pii'),
        tenant: TENANT,
        role: 'employee',
        employeeId: who.employeeId,
        name: who.name,
      }),
    );
    await reader.goto(`${base}/app/my-appraisal?lang=${language}`);
    await planRow(reader, 'receivables').getByText(annotation).waitFor();
    expect(await planRow(reader, 'sales_volume').getByTestId('note-annotation').count()).toBe(0);
    await reader.close();

    // She answers on that line, lowers the receivables target, and submits again.
    await employee.getByLabel(`${nameOf('receivables')}: ${t('plan.reply')}`).fill('Agreed, 1.8 it is');
    await employee.getByRole('button', { name: t('plan.sendReplies') }).click();
    await planRow(employee, 'receivables').getByTestId('note-reply').waitFor();
    expect(await planRow(employee, 'receivables').getByTestId('note-reply').textContent()).toContain(
      t('plan.replyBy', { author: who.employeeId }),
    );
    await expectAccessible(employee, `${language} returned plan`);
    await shot(employee, 'plan-returned');
    await employee.getByLabel(`${nameOf('receivables')}: ${t('plan.target')}`).fill('1.8');
    await employee.getByRole('button', { name: t('plan.submit') }).click();
    await employee.getByText(t('plan.status', { status: t('statuses.submitted'), version: 2 })).waitFor();

    // The manager sees the answer on the line, and approves.
    await manager.reload();
    await manager.getByText(t('plan.status', { status: t('statuses.submitted'), version: 2 })).waitFor();
    await planRow(manager, 'receivables').getByTestId('note-reply').waitFor();
    expect(await planRow(manager, 'receivables').textContent()).toContain('1.8');
    await manager.getByRole('button', { name: t('plan.approve') }).click();
    await manager.getByText(t('plan.status', { status: t('statuses.approved'), version: 2 })).waitFor();
    expect((await appraisalState(who.employeeId)).state.plan?.status).toBe('approved');

    // The employee files January's review.
    await employee.reload();
    await employee.getByRole('tab', { name: t('appraisal.tabs.reviews') }).click();
    const fileButton = employee.getByRole('button', { name: t('review.file') });
    await fileButton.waitFor();
    const actuals: Record<string, string> = {
      sales_volume: '1050',
      receivables: '1.9',
      inventory: '480',
      product_mix: who.productMix,
    };
    for (const [indicatorId, actual] of Object.entries(actuals))
      await employee.getByLabel(nameOf(indicatorId), { exact: false }).first().fill(actual);
    // The product mix is self-reported with evidence required: the form asks for its reference.
    const evidence = employee.getByLabel(t('review.evidence', { indicator: nameOf('product_mix') }));
    await evidence.fill('crm://reports/2026-01/product-mix');
    await employee.getByLabel(t('review.gapReasons')).fill('Product mix behind: new line launched late');
    await expectAccessible(employee, `${language} review form`);
    await shot(employee, 'review-form');
    if (language === 'en') {
      // Someone writes to the appraisal meanwhile: the form's revision is stale, the API refuses it,
      // the screen says so and keeps every figure typed; sending again files them.
      await call('POST', `/appraisals/${appraisalOf.get(who.employeeId)}/annotations`, 'manager', 'e-mei', {
        on: { periodId: '2026-01' },
        text: 'Remember the launch',
      });
      await fileButton.click();
      await employee.getByText(t('common.conflict')).waitFor();
      for (const [indicatorId, actual] of Object.entries(actuals))
        expect(await employee.getByLabel(nameOf(indicatorId)).first().inputValue()).toBe(actual);
      expect(await evidence.inputValue()).toBe('crm://reports/2026-01/product-mix');
      expect(await employee.getByLabel(t('review.gapReasons')).inputValue()).toBe(
        'Product mix behind: new line launched late',
      );
      expect((await appraisalState(who.employeeId)).state.periods['2026-01'].status).toBe('pending');
    }
    await sendUntil(
      employee,
      fileButton,
      '/file-period-review',
      async () => (await periodStatus(who.employeeId)) === 'filed',
    );
    await employee
      .getByRole('row')
      .filter({ hasText: '2026-01' })
      .getByText(t('statuses.filed'), { exact: true })
      .waitFor();

    // The manager assesses it; the worker's period-scoring process manager scores it.
    await manager.reload();
    await manager.getByRole('tab', { name: t('appraisal.tabs.reviews') }).click();
    // Before saving, the rule's score for the month: actuals against the plan, each indicator scored.
    const previewTotal = manager.getByTestId('preview-total');
    await previewTotal.waitFor();
    const preview = manager.getByRole('table', { name: t('review.previewTable') });
    const salesRow = preview.getByRole('row').filter({ hasText: nameOf('sales_volume') });
    expect(await salesRow.textContent()).toContain('1050');
    expect(await salesRow.textContent()).toContain('1100');
    const previewed = {
      score: (await previewTotal.getAttribute('data-score'))!,
      grade: (await previewTotal.getAttribute('data-grade'))!,
    };
    expect(await previewTotal.textContent()).toContain(t('review.preview', previewed));
    expect((await preview.getByText(t('scores.vetoed')).count()) > 0).toBe(who.productMix === '300');
    expect((await appraisalState(who.employeeId)).state.periods['2026-01'].status).toBe('filed');
    await manager.getByLabel(t('review.comment')).fill('Good month, mind the mix');
    await expectAccessible(manager, `${language} assessment`);
    await shot(manager, 'assessment');
    await sendUntil(
      manager,
      manager.getByRole('button', { name: t('review.assess'), exact: true }),
      '/assess-period-review',
      async () => ['assessed', 'scored'].includes(await periodStatus(who.employeeId)),
    );
    await eventually(
      async () => (await appraisalState(who.employeeId)).state.periods['2026-01'].status === 'scored',
      60_000,
      'January scored by the worker',
    );
    // The month is scored as the preview said it would be.
    const scored = (
      await call<{ state: { periods: Record<string, { result: { score: string; grade: string } }> } }>(
        'GET',
        `/appraisals/${appraisalOf.get(who.employeeId)}`,
        'hr',
      )
    ).state.periods['2026-01'].result;
    expect({ score: scored.score, grade: scored.grade }).toEqual(previewed);

    // The employee's scores: the month, its breakdown, and the veto when the product mix fell short.
    await employee.reload();
    await employee.getByRole('tab', { name: t('appraisal.tabs.scores') }).click();
    await employee.getByRole('img', { name: new RegExp(`^${t('scores.chart')}`) }).waitFor();
    const vetoed = who.productMix === '300';
    expect(await employee.getByTestId('vetoed-2026-01').count()).toBe(vetoed ? 1 : 0);
    if (vetoed) expect(await employee.getByText(`2026-01 ${t('scores.vetoed')}`).count()).toBe(1);
    await expectAccessible(employee, `${language} scores`);
    await shot(employee, 'scores');
    await employee.getByRole('tab', { name: t('appraisal.tabs.timeline') }).click();
    await employee.getByText('PlanApproved', { exact: false }).first().waitFor();
    await expectAccessible(employee, `${language} timeline`);

    // The team board: its chart carries the unit's grade counts as the API gives them (annual grade
    // where scored, else the running one), against the workflow's forced-distribution bands. The
    // unit's counts come from the score read model, which follows the month's scoring a moment
    // later: the board is opened again until both have the month (the API's and the chart's agree).
    const chart = manager.getByTestId('distribution');
    type Grades = { grades: { grade: string; count: number }[] };
    const GRADES = sales4232Workflow.grades.map((g) => g.grade);
    let expected: Record<string, number> = {};
    await eventually(
      async () => {
        await manager.goto(`${base}/app/team`);
        await chart.getByRole('img').waitFor();
        const unit = await call<{ annual: Grades; running: Grades }>(
          'GET',
          '/scores/org-units/sales',
          'manager',
          'e-mei',
        );
        expected = Object.fromEntries(
          GRADES.map((grade) => [
            grade,
            [unit.annual, unit.running].reduce(
              (n, part) => n + (part.grades.find((g) => g.grade === grade)?.count ?? 0),
              0,
            ),
          ]),
        );
        const shown = JSON.parse((await chart.getAttribute('data-counts'))!) as Record<string, number>;
        return (
          Object.values(expected).some((n) => n > 0) && JSON.stringify(shown) === JSON.stringify(expected)
        );
      },
      60_000,
      "the team board showing the unit's counts",
    );
    expect(JSON.parse((await chart.getAttribute('data-bands'))!)).toEqual(
      sales4232Workflow.forcedDistribution,
    );
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    const label = (await chart.getByRole('img').getAttribute('aria-label'))!;
    const percentOf = (grade: string) => Math.round((10000 * expected[grade]) / total) / 100;
    expect(label).toContain(
      `${t('team.gradeShare', { grade: 'A', count: expected.A, percent: percentOf('A') })}, ${t('team.atMost', { percent: 20 })}`,
    );
    expect(label).toContain(
      `${t('team.gradeShare', { grade: 'D', count: expected.D, percent: percentOf('D') })}, ${t('team.atLeast', { percent: 5 })}`,
    );
    await expectAccessible(manager, `${language} team board`);
    await shot(manager, 'team-board');
  }

  it('an employee and her manager agree a plan, then a month is filed, assessed and scored (English)', async () => {
    await explained(() => journey('en', { employeeId: 'e-ann', name: 'Ann Chen', productMix: '300' }));
  }, 600_000);

  it('the same journey in Chinese', async () => {
    await explained(() => journey('zh-CN', { employeeId: 'e-bo', name: 'Bo Xu', productMix: '450' }));
  }, 600_000);

  it("the year's other steps: an improvement filed and verified, the self-assessment, 360 ratings given, the result appealed", async () => {
    await explained(async () => {
      const t = (key: string, values?: Record<string, string | number>) => say('en', key, values);
      const ann = appraisalOf.get('e-ann')!;
      type Year = {
        state: {
          status: string;
          improvements: Record<string, { indicatorId: string; status: string }>;
          selfRating: string | null;
          ratings: { group: string }[];
        };
      };
      const year = async () => (await call<Year>('GET', `/appraisals/${ann}`, 'hr')).state;
      // January's scoring required an action wherever Ann fell below target (sales 1050 of 1100).
      const required = Object.entries((await year()).improvements).filter(([, i]) => i.status === 'required');
      expect(required.length).toBeGreaterThan(0);
      const [improvementId, improvement] = required[0];
      const yearEndTab = (page: Page) => page.getByRole('tab', { name: t('appraisal.tabs.yearEnd') }).click();

      // Ann files the action, then her self-assessment.
      const employee = await signIn('en', 'employee', 'Ann Chen');
      await yearEndTab(employee);
      const action = employee.getByLabel(t('yearEnd.action', { indicator: nameOf(improvement.indicatorId) }));
      await action.first().fill('Weekly pipeline review with the distributor');
      await expectAccessible(employee, 'improvements and result (employee)');
      expect(await unreachableByKeyboard(employee)).toEqual([]);
      await screenshot(employee, 'improvement');
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
      const peer = await signIn('en', 'employee', 'Bo Xu');
      const peerStep = peer.getByRole('row').filter({ hasText: 'e-ann' }).filter({ hasText: 'peer-rating' });
      await eventually(
        async () => {
          await peer.goto(`${base}/app/inbox`);
          await peer.getByRole('heading', { name: t('inbox.title') }).waitFor();
          await peer.locator('.ant-table-tbody').waitFor();
          return (await peer.locator('.ant-spin-spinning').count()) === 0 && (await peerStep.count()) > 0;
        },
        60_000,
        "Ann's peer rating in Bo's inbox",
      );
      await peerStep.first().getByRole('link').click();
      // A peer may not read Ann's appraisal: the rating is given on a page of its own, and the
      // API's refusal of a rating off the workflow's scale lands on the field.
      const peerRating = peer.getByLabel(t('yearEnd.peerRating'));
      await peerRating.fill('150');
      await peer.getByRole('button', { name: t('yearEnd.submitRating') }).click();
      await peer.locator('.ant-form-item-explain-error').first().waitFor();
      expect(await peerRating.inputValue()).toBe('150');
      await expectAccessible(peer, 'a peer rating to give');
      expect(await unreachableByKeyboard(peer)).toEqual([]);
      await screenshot(peer, 'peer-rating');
      await peerRating.fill('80');
      await peer.getByRole('button', { name: t('yearEnd.submitRating') }).click();
      await peer.waitForURL(/\/app\/inbox$/);
      expect((await year()).ratings.filter((r) => r.group === 'peer').length).toBe(1);
      await call('POST', `/appraisals/${ann}/submit-rating`, 'employee', 'e-cai', {
        group: 'peer',
        rating: 75,
      });

      // Mei verifies the action and gives the manager's rating.
      const manager = await signIn('en', 'manager', 'Mei Lin');
      await manager.goto(`${base}/app/appraisals/${ann}`);
      await yearEndTab(manager);
      await manager.getByText(t('yearEnd.yes'), { exact: true }).first().click();
      await manager.getByLabel(rating).fill('88');
      await expectAccessible(manager, 'improvement to verify and rating to give (manager)');
      expect(await unreachableByKeyboard(manager)).toEqual([]);
      await screenshot(manager, 'verify-and-rate');
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
      await scoreYear(ann);
      await call('POST', `/appraisals/${ann}/finalize-appraisal`, 'hr', undefined, {});
      await employee.reload();
      await yearEndTab(employee);
      await employee.getByText(t('yearEnd.finalized')).waitFor();
      const appeal = employee.getByRole('button', { name: t('yearEnd.appeal') });
      await appeal.click();
      // Without a reason the form refuses, on the field, and nothing is sent.
      await employee.locator('.ant-form-item-explain-error').first().waitFor();
      expect((await year()).status).toBe('finalized');
      await employee.getByLabel(t('yearEnd.appealReason')).fill('The January veto was a supply shortage');
      await expectAccessible(employee, 'result to acknowledge or appeal');
      expect(await unreachableByKeyboard(employee)).toEqual([]);
      await screenshot(employee, 'result');
      await sendUntil(employee, appeal, '/file-appeal', async () => (await year()).status === 'appealed');
    });
  }, 600_000);

  it('every action of the screens is reachable by keyboard, and a plan can be submitted with it alone', async () => {
    await explained(async () => {
      const t = (key: string, values?: Record<string, string | number>) => say('en', key, values);
      const page = await browser.context.newPage();
      await page.goto(`${base}/app/sign-in?tenant=${TENANT}&lang=en`);
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
      const manager = await signIn('en', 'manager', 'Mei Lin');
      await manager.locator('.ant-table-tbody').waitFor();
      expect(await unreachableByKeyboard(manager)).toEqual([]);
      await manager.goto(`${base}/app/appraisals/${appraisalOf.get('e-cai')}`);
      await manager.getByText(t('plan.status', { status: t('statuses.submitted'), version: 1 })).waitFor();
      expect(await unreachableByKeyboard(manager)).toEqual([]);
      await manager.goto(`${base}/app/team`);
      await manager.getByTestId('distribution').getByRole('img').waitFor();
      expect(await unreachableByKeyboard(manager)).toEqual([]);
    });
  }, 300_000);

  it("Bo acknowledges his final result in Chinese; Cai's plan approval, escalated past Mei, waits in Boss Wu's inbox", async () => {
    await explained(async () => {
      const t = (key: string, values?: Record<string, string | number>) => say('en', key, values);
      const bo = appraisalOf.get('e-bo')!;
      const status = async (appraisalId: string) =>
        (await call<{ state: { status: string } }>('GET', `/appraisals/${appraisalId}`, 'hr')).state.status;

      // Bo's year through the API (the screens for these steps are Ann's journey): the ratings the
      // workflow needs, then HR scores and finalizes it.
      await call('POST', `/appraisals/${bo}/submit-self-assessment`, 'employee', 'e-bo', { rating: 82 });
      await call('POST', `/appraisals/${bo}/submit-rating`, 'employee', 'e-ann', {
        group: 'peer',
        rating: 78,
      });
      await call('POST', `/appraisals/${bo}/submit-rating`, 'employee', 'e-cai', {
        group: 'peer',
        rating: 80,
      });
      await call('POST', `/appraisals/${bo}/submit-rating`, 'manager', 'e-mei', {
        group: 'manager',
        rating: 84,
      });
      await scoreYear(bo);
      await call('POST', `/appraisals/${bo}/finalize-appraisal`, 'hr', undefined, {});
      expect(await status(bo)).toBe('finalized');

      // Bo (whose journey is in Chinese) reads that the result is final and acknowledges it, on the
      // year-end screen in zh-CN: the appraisal closes.
      const zh = (key: string, values?: Record<string, string | number>) => say('zh-CN', key, values);
      const employee = await signIn('zh-CN', 'employee', 'Bo Xu');
      await employee.getByRole('tab', { name: zh('appraisal.tabs.yearEnd') }).click();
      await employee.getByText(zh('yearEnd.finalized')).waitFor();
      await employee.getByLabel(zh('yearEnd.acknowledgeComment')).fill('同意，谢谢');
      await expectAccessible(employee, 'result to acknowledge (employee, zh-CN)');
      await screenshot(employee, 'result-acknowledge.zh-CN');
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
      expect(await worker.stop('SIGTERM')).toBe(0);
      worker = startApp('worker', { ...env, TIMERS_CLOCK: 'manual' });
      await eventually(
        async () => worker.output().includes('worker ready'),
        120_000,
        'manual-clock worker ready',
      );
      const cai = appraisalOf.get('e-cai')!;
      type Outcome = { type: string; data: { stepKey?: string; level?: number; to?: string } };
      const approvalOutcomes = async () =>
        (await call<{ items: Outcome[] }>('GET', `/appraisals/${cai}/events?limit=500`, 'hr')).items.filter(
          (event) =>
            event.data.stepKey === 'plan-approval' &&
            ['ReminderSent', 'DeadlineMissed', 'StepEscalated'].includes(event.type),
        );
      // The chain goes on past level 1: the helper fires the five timers and no more.
      await fireTimersInTurn({
        redisUrl: env.REDIS_URL,
        tenantId: TENANT,
        appraisalId: cai,
        outcomes: approvalOutcomes,
        count: 5,
        what: 'the plan approval',
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
          (await call<Inbox>('GET', '/inbox', 'manager', 'e-boss')).items.some(
            (item) =>
              item.appraisalId === cai && item.stepKey === 'plan-approval' && item.escalationLevel === 1,
          ),
        60_000,
        'the inbox projection caught up',
      );
      const skipLevel = await signIn('en', 'manager', 'Boss Wu');
      const row = skipLevel
        .getByRole('row')
        .filter({ hasText: 'e-cai' })
        .filter({ hasText: 'plan-approval' });
      // The screen after the sign-in has finished loading (the inbox's chunk and its answer).
      await eventually(
        async () => {
          await skipLevel.goto(`${base}/app/inbox`);
          await skipLevel.getByRole('heading', { name: t('inbox.title') }).waitFor();
          await skipLevel.locator('.ant-table-tbody').waitFor();
          return (await skipLevel.locator('.ant-spin-spinning').count()) === 0 && (await row.count()) > 0;
        },
        60_000,
        "Cai's plan approval on Boss Wu's inbox screen",
      );
      await row
        .first()
        .getByText(t('inbox.escalated', { level: 1 }))
        .waitFor();
      await expectAccessible(skipLevel, 'escalated step (skip-level manager)');
      await screenshot(skipLevel, 'inbox-escalated');
    });
  }, 600_000);

  /** Presses Tab until the focused element is named `name` (its label or its text), at most 200 times. */
  async function tabTo(page: Page, name: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate((wanted) => {
        const active = document.activeElement as HTMLElement | null;
        return active?.getAttribute('aria-label') === wanted || active?.innerText?.trim() === wanted;
      }, name);
      if (focused) return;
    }
    throw new Error(`"${name}" is not reachable with Tab`);
  }
});
