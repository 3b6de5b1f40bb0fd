import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { sales4232Workflow } from '@verity/domain';
import { launchChromium, SCREENSHOTS, seriousViolations, type Chromium } from '../../support/browser';
import { eventually } from '../../support/eventually';
import { startWebStack, type Caller } from '../../support/web-stack';
import { en } from '../../../apps/web/src/i18n/en';

/**
 * The 360's nominations in Chromium against the real API and worker: Ann picks colleagues by name
 * as peer raters (the picker offers neither herself nor her manager), her manager Mei approves one
 * and rejects the other with a reason, and the appraisal's state says the same. English labels come
 * from the app's catalogue.
 */
const TENANT = `web-nom-${randomUUID().slice(0, 8)}`;
const t = en.nominations;
const HR: Caller = { role: 'hr' };

describe('360 nominations, in a real browser', () => {
  let stack: Awaited<ReturnType<typeof startWebStack>>;
  let browser: Chromium;
  let annAppraisal: string;

  beforeAll(async () => {
    stack = await startWebStack(TENANT);
    const { call } = stack;
    await call('POST', '/directory/tenant', { role: 'admin' }, { name: 'Nominations Co' });
    const hire = (employeeId: string, orgUnitId: string, managerId: string | null, name: string) => ({
      command: 'HireEmployee',
      employeeId,
      orgUnitId,
      managerId,
      position: null,
      name,
      effectiveFrom: '2025-01-01',
    });
    await call('POST', '/directory/import', HR, {
      rows: [
        {
          command: 'CreateOrgUnit',
          orgUnitId: 'hq',
          parentId: null,
          kind: 'hq',
          name: 'HQ',
          effectiveFrom: '2025-01-01',
        },
        {
          command: 'CreateOrgUnit',
          orgUnitId: 'sales',
          parentId: 'hq',
          kind: 'department',
          name: 'Sales',
          effectiveFrom: '2025-01-01',
        },
        hire('e-mei', 'hq', null, 'Mei Lin'),
        hire('e-ann', 'sales', 'e-mei', 'Ann Chen'),
        hire('e-bo', 'sales', 'e-mei', 'Bo Xu'),
        hire('e-cai', 'sales', 'e-mei', 'Cai Yun'),
      ],
    });
    await call(
      'POST',
      '/workflows/sales-4232/versions',
      { role: 'process-owner' },
      { definition: sales4232Workflow },
    );
    await call('POST', '/cycles', HR, {
      cycleId: 'c2026',
      name: 'Sales 2026',
      year: 2026,
      workflowId: 'sales-4232',
      workflowVersion: 1,
      orgUnitIds: ['sales'],
    });
    type Cycle = {
      opening: { done: boolean };
      opened: { appraisals: { appraisalId: string; subject: { employeeId: string } }[] };
    };
    const cycle = await eventually(
      async () => {
        const read = await call<Cycle>('GET', '/cycles/c2026', HR);
        return read.opening.done && read;
      },
      60_000,
      "the cycle's appraisals opened",
    );
    annAppraisal = cycle.opened.appraisals.find((entry) => entry.subject.employeeId === 'e-ann')!.appraisalId;
    // Ann's own appraisal is found through the score read model: wait for the worker to project it.
    await eventually(
      async () =>
        (await call<{ items: unknown[] }>('GET', '/scores', { role: 'employee', employeeId: 'e-ann' })).items
          .length > 0,
      60_000,
      "Ann's appraisal projected",
    );
    browser = await launchChromium();
    // Upper bounds for a busy machine, never a claim about speed.
    browser.context.setDefaultTimeout(60_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signIn(role: 'employee' | 'manager', name: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${stack.base}/app/sign-in?tenant=${TENANT}&lang=en`);
    await page.getByRole('button', { name: `Sign in as ${en.roles[role]}: ${name}`, exact: true }).click();
    await page.waitForURL(role === 'employee' ? /\/app\/my-appraisal$/ : /\/app\/inbox$/);
    return page;
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    await page.locator('.ant-btn-loading, .ant-skeleton').first().waitFor({ state: 'detached' });
    const violations = await seriousViolations(page);
    expect({ screen, violations }).toEqual({ screen, violations: [] });
  }

  const nominationsOf = async () =>
    Object.values(
      (
        await stack.call<{ state: { nominations?: Record<string, { employeeId: string; status: string }> } }>(
          'GET',
          `/appraisals/${annAppraisal}`,
          HR,
        )
      ).state.nominations ?? {},
    )
      .map((nomination) => `${nomination.employeeId}:${nomination.status}`)
      .sort();

  it('Ann proposes two peers, Mei approves one and rejects the other', async () => {
    const ann = await signIn('employee', 'Ann Chen');
    await ann.getByRole('tab', { name: en.appraisal.tabs.raters }).click();
    await ann.getByText(t.none).waitFor();
    // The picker offers her department's colleagues by name (ADR 0099): not herself, not her manager.
    const picker = ann.getByLabel(t.employeeId);
    await picker.click();
    const offered = ann.locator('.ant-select-item-option');
    await offered.first().waitFor();
    expect(await offered.allTextContents()).toEqual(['Bo Xu (e-bo)', 'Cai Yun (e-cai)']);
    const propose = async (name: string) => {
      await picker.fill(name);
      await offered.filter({ hasText: name }).click();
      await ann.getByRole('button', { name: t.propose }).click();
    };
    await propose('Bo Xu');
    await ann.getByRole('row').filter({ hasText: 'e-bo' }).getByText(t.statuses.proposed).waitFor();
    await propose('Cai Yun');
    await ann.getByRole('row').filter({ hasText: 'e-cai' }).getByText(t.statuses.proposed).waitFor();
    await expectAccessible(ann, 'nominations (employee)');
    expect(await nominationsOf()).toEqual(['e-bo:proposed', 'e-cai:proposed']);

    const mei = await signIn('manager', 'Mei Lin');
    await mei.goto(`${stack.base}/app/appraisals/${annAppraisal}`);
    await mei.getByRole('tab', { name: en.appraisal.tabs.raters }).click();
    const approveBo = mei.locator('.ant-card-small').filter({ hasText: 'Approve e-bo as Peer' });
    await approveBo.getByRole('button', { name: t.approve }).click();
    await mei.getByRole('row').filter({ hasText: 'e-bo' }).getByText(t.statuses.approved).waitFor();
    const rejectCai = mei.locator('.ant-card-small').filter({ hasText: 'Reject e-cai' });
    await rejectCai.getByLabel(t.reason).fill('Works in another region this year');
    await expectAccessible(mei, 'nominations (manager)');
    await mei.screenshot({ path: path.join(SCREENSHOTS, 'nominations.png'), fullPage: true });
    await rejectCai.getByRole('button', { name: t.reject }).click();
    await mei.getByRole('row').filter({ hasText: 'e-cai' }).getByText(t.statuses.rejected).waitFor();
    expect(await nominationsOf()).toEqual(['e-bo:approved', 'e-cai:rejected']);
  }, 240_000);
});
