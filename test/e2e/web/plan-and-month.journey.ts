import type { Locator, Page } from 'playwright-core';
import { sales4232Workflow } from '@verity/domain';
import { sendUntil } from '../../support/browser';
import { eventually } from '../../support/eventually';
import { say, type Caller, type WebTenant } from '../../support/web-tenant';

/**
 * The journey people-in-the-process.e2e.spec.ts runs in English by Ann and in Chinese by Bo: the
 * employee submits the plan, the manager returns it with an annotation on a line, the employee
 * answers on that line and submits again, the manager approves; a month's review is filed, assessed
 * and scored by the worker; the team board's chart carries the API's counts.
 */
export const INDICATORS = sales4232Workflow.scorecard.indicators;
export const nameOf = (id: string) => INDICATORS.find((indicator) => indicator.id === id)!.name;
export const HR: Caller = { role: 'hr' };
export const person = (employeeId: string, role = 'employee'): Caller => ({ role, employeeId });

export const planRow = (page: Page, indicatorId: string): Locator =>
  page.getByRole('row').filter({ hasText: nameOf(indicatorId) });

type AppraisalState = {
  revision: string;
  state: { plan: { status: string } | null; periods: Record<string, { status: string }> };
};

export async function planAndMonthJourney(
  web: WebTenant,
  language: 'en' | 'zh-CN',
  who: { employeeId: string; name: string; productMix: string },
): Promise<void> {
  const { base, call } = web;
  const appraisalOf = (employeeId: string) => web.appraisalOf.get(employeeId)!;
  const appraisalState = (employeeId: string) =>
    call<AppraisalState>('GET', `/appraisals/${appraisalOf(employeeId)}`, HR);
  const periodStatus = async (employeeId: string) =>
    (await appraisalState(employeeId)).state.periods['2026-01'].status;
  const t = (key: string, values?: Record<string, string | number>) => say(language, key, values);
  // English screenshots of every main screen, and the plan in Chinese (the README shows them).
  const shot = async (page: Page, name: string) => {
    if (language === 'en') await web.screenshot(page, name);
    else if (name === 'plan-editor') await web.screenshot(page, `${name}.zh-CN`);
  };

  // The employee raises the sales target and submits the plan.
  const employee = await web.signIn({ role: 'employee', name: who.name }, language);
  await employee.getByText(t('plan.status', { status: t('statuses.draft'), version: 0 })).waitFor();
  await web.expectAccessible(employee, `${language} plan editor`);
  await employee.getByLabel(`${nameOf('sales_volume')}: ${t('plan.target')}`).fill('1100');
  await shot(employee, 'plan-editor');
  await employee.getByRole('button', { name: t('plan.submit') }).click();
  await employee.getByText(t('plan.status', { status: t('statuses.submitted'), version: 1 })).waitFor();

  // The manager finds the step in the inbox (once the worker has projected it) and opens the plan.
  const manager = await web.signIn({ role: 'manager', name: 'Mei Lin' }, language);
  const inboxRow = manager.getByRole('row').filter({ hasText: who.employeeId });
  await web.untilInInbox(
    manager,
    inboxRow,
    `the plan's approval step in ${who.employeeId}'s manager's inbox`,
    language,
  );
  await web.expectAccessible(manager, `${language} inbox`);
  await shot(manager, 'inbox');
  await inboxRow.first().getByRole('link').click();
  await manager.getByText(t('plan.status', { status: t('statuses.submitted'), version: 1 })).waitFor();
  expect(await planRow(manager, 'sales_volume').textContent()).toContain('1100');

  // She returns it with an annotation on the receivables line.
  const annotation = `${who.name}: receivables 1.8 please`;
  await manager.getByLabel(`${nameOf('receivables')}: ${t('plan.annotate')}`).fill(annotation);
  await web.expectAccessible(manager, `${language} plan review`);
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
  const reader = await web.openAs(
    { role: 'employee', employeeId: who.employeeId, scope: 'pii', name: who.name },
    '/app/my-appraisal',
    language,
  );
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
  await web.expectAccessible(employee, `${language} returned plan`);
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
  await web.expectAccessible(employee, `${language} review form`);
  await shot(employee, 'review-form');
  if (language === 'en') {
    // Someone writes to the appraisal meanwhile: the form's revision is stale, the API refuses it,
    // the screen says so and keeps every figure typed; sending again files them.
    await call('POST', `/appraisals/${appraisalOf(who.employeeId)}/annotations`, person('e-mei', 'manager'), {
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
  await web.expectAccessible(manager, `${language} assessment`);
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
      `/appraisals/${appraisalOf(who.employeeId)}`,
      HR,
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
  await web.expectAccessible(employee, `${language} scores`);
  await shot(employee, 'scores');
  await employee.getByRole('tab', { name: t('appraisal.tabs.timeline') }).click();
  await employee.getByText('PlanApproved', { exact: false }).first().waitFor();
  await web.expectAccessible(employee, `${language} timeline`);

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
        person('e-mei', 'manager'),
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
      return Object.values(expected).some((n) => n > 0) && JSON.stringify(shown) === JSON.stringify(expected);
    },
    60_000,
    "the team board showing the unit's counts",
  );
  expect(JSON.parse((await chart.getAttribute('data-bands'))!)).toEqual(sales4232Workflow.forcedDistribution);
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  const label = (await chart.getByRole('img').getAttribute('aria-label'))!;
  const percentOf = (grade: string) => Math.round((10000 * expected[grade]) / total) / 100;
  expect(label).toContain(
    `${t('team.gradeShare', { grade: 'A', count: expected.A, percent: percentOf('A') })}, ${t('team.atMost', { percent: 20 })}`,
  );
  expect(label).toContain(
    `${t('team.gradeShare', { grade: 'D', count: expected.D, percent: percentOf('D') })}, ${t('team.atLeast', { percent: 5 })}`,
  );
  await web.expectAccessible(manager, `${language} team board`);
  await shot(manager, 'team-board');
}
