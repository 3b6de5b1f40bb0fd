import type { Page } from 'playwright-core';
import { parseDocument } from 'yaml';
import { loadConfig } from '@verity/platform';
import { WebhookReceiver } from '@verity/integrations/testing/webhook-receiver';
import { DEMO_TENANT, seedConfiguredDemo, type SeedResult } from '../../../infra/scripts/seed-demo';
import {
  explained as explainedIn,
  launchChromium,
  seriousViolations,
  sendUntil,
  type Chromium,
} from '../../support/browser';
import { eventually } from '../../support/eventually';
import { freePort } from '../../support/processes';
import { startWebStack, type Caller, type WebStack } from '../../support/web-stack';

/**
 * The newcomer's path through the demo, in Chromium: the real API and worker over this file's
 * database, the demo seeded as `npm start` seeds it (the API first, the worker's process managers
 * alone while the seed runs, then the whole worker), and every step taken on the screens from the
 * development "sign in as" page. The other browser journeys run on small tenants of their own; this
 * one meets the demo's half-year workflow, its fifty people and its history.
 */
/** The tenant `npm start` seeds (seedConfiguredDemo seeds no other). */
const DEMO = DEMO_TENANT;
const HR: Caller = { role: 'hr' };

describe('A newcomer in the demo that npm start seeds, in a real browser', () => {
  let stack: WebStack;
  let browser: Chromium;
  let seeded: SeedResult;
  let receiverPort: number;

  /** What the API says of Chen Jing's appraisal (the seed's featured one). */
  type Periods = Record<string, { status: string; result?: { score: string; grade: string } }>;
  const chensPeriods = async () =>
    (
      await stack.call<{ state: { periods: Periods } }>(
        'GET',
        `/appraisals/${seeded.featuredAppraisalId}`,
        HR,
      )
    ).state.periods;

  const expectAccessible = async (page: Page, screen: string) => {
    await page.locator('.ant-btn-loading, .ant-skeleton').first().waitFor({ state: 'detached' });
    expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
  };

  /**
   * Opens the printed URL and signs in on the development page as the newcomer would: the button
   * `name` (a person's role and name, or a role without a person), paging the list of people.
   */
  async function signIn(name: string | RegExp): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${stack.base}/`);
    await page.getByRole('heading', { name: 'Sign in as' }).waitFor();
    const button = page.getByRole('button', { name, exact: typeof name === 'string' }).first();
    // A row with a role's button: while the people load, the table shows a row saying there is no data.
    const firstPerson = page
      .getByRole('row')
      .filter({ has: page.getByRole('button') })
      .first();
    await firstPerson.waitFor();
    for (let pageNumber = 1; !(await button.isVisible()); pageNumber++) {
      const next = page.getByRole('listitem', { name: 'Next Page' });
      if (pageNumber > 20 || (await next.getAttribute('aria-disabled')) === 'true')
        throw new Error(`no "${String(name)}" on the sign-in page`);
      const shown = (await firstPerson.textContent()) ?? '';
      await next.click();
      // The click does not wait for the next page to be drawn: looking before it is would skip a page.
      await firstPerson.filter({ hasNotText: shown }).waitFor();
    }
    await button.click();
    await page.waitForURL((url) => url.pathname.startsWith('/app/') && !url.pathname.endsWith('/sign-in'));
    return page;
  }

  /** A failed step says what each open tab showed; every tab is closed after. */
  const explained = (run: () => Promise<void>) => explainedIn(browser, run, 6000);

  beforeAll(async () => {
    receiverPort = await freePort();
    // The README: a receiver on a private address must be in WEBHOOK_ALLOWLIST.
    stack = await startWebStack(DEMO, { env: { WEBHOOK_ALLOWLIST: '127.0.0.1/32' }, retryConflicts: true });
    try {
      // As infra/scripts/start.js: only the process managers while the seed runs, then the whole worker.
      await stack.stopWorker();
      await stack.startWorker({ env: { WORKER_ONLY: 'process-managers', WORKER_METRICS_PORT: '0' } });
      // The seed start.js runs, through the stack's API.
      seeded = await seedConfiguredDemo({
        ...loadConfig(),
        HOST: '127.0.0.1',
        PORT: Number(new URL(stack.base).port),
      });
      await stack.restartWorker({ env: {} });
      // start.js prints its summary once the read models have caught up.
      await eventually(
        async () => {
          const body = (await (await fetch(`${stack.base}/health`)).json()) as {
            info?: { projections?: { consumers?: Record<string, { events: number }> } };
          };
          const consumers = Object.values(body.info?.projections?.consumers ?? {});
          return consumers.length > 0 && consumers.every((lag) => lag.events === 0);
        },
        180_000,
        'the read models caught up with the seed',
      );
      browser = await launchChromium();
      browser.context.setDefaultTimeout(60_000);
    } catch (error) {
      // What the apps last wrote explains most failures of the seed (a process manager refusing, a crash).
      if (error instanceof Error)
        error.message += `\nworker output:\n${stack.worker().output().slice(-4000)}\napi output:\n${stack.api.output().slice(-3000)}`;
      await stack.stop();
      throw error;
    }
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it(
    "lets Chen Jing file her month due now and her team lead Huang Jun assess it, the month's score then shown",
    () =>
      explained(async () => {
        const appraisalId = seeded.featuredAppraisalId!;
        const before = await chensPeriods();
        // The seed leaves her month due now open for her: the newcomer files it.
        const reviewed = seeded.dueNow!;
        expect(before[reviewed]?.status).toBe('pending');

        // Chen Jing: her appraisal, the month due now offered for filing; she files it.
        const chen = await signIn('Sign in as Employee: Chen Jing');
        expect(new URL(chen.url()).pathname).toBe('/app/my-appraisal');
        await chen.getByRole('tab', { name: 'Monthly reviews' }).click();
        await chen.getByText(`File the review: ${reviewed}`).waitFor();
        // A month that has not ended yet is not offered for filing (the API would refuse it).
        const notEnded = Object.keys(before).filter(
          (id) => id !== reviewed && before[id].status === 'pending',
        );
        for (const periodId of notEnded)
          expect(await chen.getByText(`File the review: ${periodId}`).count()).toBe(0);
        // The actuals the README's step 7 files for her (its later figures depend on them).
        const actuals: Record<string, string> = {
          'Sales volume (销售量)': '1040',
          'Receivables (应收账款)': '1.9',
          'Inventory (库存量)': '460',
          'Product-mix sales (结构品种销量)': '390',
        };
        for (const [name, actual] of Object.entries(actuals))
          await chen.getByLabel(`${name} (`, { exact: false }).first().fill(actual);
        await chen
          .getByLabel('Evidence for Product-mix sales (结构品种销量) (document or link)')
          .fill(`erp/${reviewed}/e-1121/mix.pdf`);
        await chen.getByLabel('Reasons for gaps').fill('Two distributor orders slipped into the next month');
        await expectAccessible(chen, 'demo: her review form');
        await sendUntil(
          chen,
          chen.getByRole('button', { name: 'File the review', exact: true }),
          '/file-period-review',
          async () => (await chensPeriods())[reviewed].status === 'filed',
        );
        await chen
          .getByRole('row')
          .filter({ hasText: reviewed })
          .getByText('filed', { exact: true })
          .waitFor();
        await expectAccessible(chen, 'demo: her monthly reviews');

        // Huang Jun: his inbox leads to Chen Jing's appraisal; he assesses the filed month.
        const huang = await signIn('Sign in as Manager: Huang Jun');
        await huang.getByRole('heading', { name: 'Inbox' }).waitFor();
        // A step on her appraisal (not a colleague's rating, which opens the rating form).
        const toHer = huang
          .getByRole('row')
          .filter({ hasText: 'e-1121' })
          .locator(`a[href="/app/appraisals/${appraisalId}"]`);
        await toHer.first().waitFor();
        await expectAccessible(huang, 'demo: his inbox');
        await toHer.first().click();
        await huang.getByRole('tab', { name: 'Monthly reviews' }).click();
        await huang.getByText(`Assess: ${reviewed}`).waitFor();
        await huang.getByTestId('preview-total').waitFor();
        await huang.getByLabel('Comment').fill('Product mix back on track');
        await expectAccessible(huang, 'demo: his assessment');
        await sendUntil(
          huang,
          huang.getByRole('button', { name: 'Assess', exact: true }),
          '/assess-period-review',
          async () => ['assessed', 'scored'].includes((await chensPeriods())[reviewed].status),
        );
        // The worker's period-scoring process manager scores it.
        await eventually(
          async () => (await chensPeriods())[reviewed].status === 'scored',
          120_000,
          `${reviewed} scored by the worker`,
        );
        const { score, grade } = (await chensPeriods())[reviewed].result!;

        // Chen Jing sees the month's score, and her running score as the API gives it.
        await chen.reload();
        await chen.getByRole('tab', { name: 'Monthly reviews' }).click();
        await chen.getByRole('row').filter({ hasText: reviewed }).getByText(`${score} ${grade}`).waitFor();
        type Score = { runningScore: string; runningGrade: string; periods: { periodId: string }[] };
        let running: Score | undefined;
        await eventually(
          async () => {
            running = await stack.call<Score>('GET', `/scores/appraisals/${appraisalId}`, HR);
            return running.periods.some((period) => period.periodId === reviewed);
          },
          60_000,
          `${reviewed} in the score read model`,
        );
        await chen.getByRole('tab', { name: 'Scores' }).click();
        await chen
          .getByText(`Running score ${running!.runningScore}, grade ${running!.runningGrade}`, {
            exact: false,
          })
          .first()
          .waitFor();
        await expectAccessible(chen, 'demo: her scores');
      }),
    900_000,
  );

  it(
    "lets the process owner publish a new version of the demo's workflow, and HR open a cycle with it",
    () =>
      explained(async () => {
        const owner = await signIn(/^Sign in as Process owner: /);
        await owner.getByRole('menuitem', { name: 'Workflows' }).click();
        await owner.getByRole('textbox', { name: 'Workflow id' }).fill('sales-4232');
        await owner.getByRole('button', { name: 'Open', exact: true }).click();
        const editor = owner.getByRole('textbox', { name: 'Workflow definition (YAML)' });
        await eventually(
          async () => (await editor.inputValue()).includes('indicators:'),
          10_000,
          'the live version in the editor',
        );
        // The README's change: the product-mix veto line from 85 % to 80 % of target.
        const document = parseDocument(await editor.inputValue());
        const indicators = document.getIn(['scorecard', 'indicators']) as { toJSON(): { id: string }[] };
        const productMix = indicators.toJSON().findIndex((indicator) => indicator.id === 'product_mix');
        expect(productMix).toBeGreaterThanOrEqual(0);
        const line = ['scorecard', 'indicators', productMix, 'veto', 'threshold', 'percentOfTarget'];
        expect(document.getIn(line)).toBe(85);
        document.setIn(line, 80);
        await editor.fill(String(document));
        await owner.getByRole('button', { name: 'Check', exact: true }).click();
        await owner.getByText('The draft is valid and would become version 2 (1 change(s)).').waitFor();
        await expectAccessible(owner, 'demo: workflow draft');
        await owner.getByRole('button', { name: 'Publish as version 2' }).click();
        await owner.getByText('Version 2 published.').waitFor();
        const workflow = await stack.call<{ latestVersion: number }>('GET', '/workflows/sales-4232', {
          role: 'process-owner',
        });
        expect(workflow.latestVersion).toBe(2);

        // HR opens next half-year's cycle over East team A with the new version, from the Cycles screen.
        const hr = await signIn(/^Sign in as HR: /);
        await hr.getByRole('menuitem', { name: 'Cycles' }).click();
        await hr.getByRole('heading', { name: 'Cycles' }).waitFor();
        const year = seeded.cycleId ? Number(/^demo-(\d{4})-h/.exec(seeded.cycleId)![1]) + 1 : 2027;
        const cycleId = `east-a-${year}-h1`;
        const form = hr.locator('form').filter({ hasText: 'Org units in scope' });
        await form.getByLabel('Cycle id', { exact: true }).fill(cycleId);
        await form.getByLabel('Name', { exact: true }).fill(`East team A ${year} H1`);
        await form.getByLabel('Year', { exact: true }).fill(String(year));
        await form.getByLabel('Workflow', { exact: true }).fill('sales-4232');
        await form.getByLabel('Version', { exact: true }).fill('2');
        await form.getByLabel('Half', { exact: true }).click();
        await hr.locator('.ant-select-item-option[title="First half (H1)"]').click();
        await form.getByLabel('Org units in scope').fill('sales-east-a');
        await form.getByLabel('Org units in scope').press('Enter');
        await expectAccessible(hr, 'demo: open a cycle');
        await hr.getByRole('button', { name: 'Open the cycle' }).click();
        await hr.getByText(`Cycle ${cycleId} opened; its appraisals are being opened.`).waitFor();
        let of = 0;
        await eventually(
          async () => {
            const cycle = await stack.call<{ opening: { of: number; done: boolean } }>(
              'GET',
              `/cycles/${cycleId}`,
              HR,
            );
            of = cycle.opening.of;
            return cycle.opening.done;
          },
          120_000,
          'the cycle opened',
        );
        // East team A: at least its nine sales representatives (Chen Jing among them).
        expect(of).toBeGreaterThanOrEqual(9);
        await hr.getByText(`${of} of ${of} appraisals open`).waitFor();
        const subjects = hr.getByRole('table', { name: 'Subjects' });
        await subjects.getByRole('row').filter({ hasText: 'e-1121' }).waitFor();
        await expectAccessible(hr, 'demo: cycle opened');
      }),
    900_000,
  );

  it(
    "lets the auditor see Chen Jing's appraisal as it stood before this month's assessment",
    () =>
      explained(async () => {
        const auditor = await signIn('Sign in as Auditor');
        await auditor.getByRole('heading', { name: 'Audit' }).waitFor();
        await auditor.getByRole('combobox', { name: 'Appraisal' }).click();
        await auditor.getByRole('combobox', { name: 'Appraisal' }).fill('e-1121');
        await auditor
          .locator(
            `.ant-select-item-option[title="e-1121 · ${seeded.cycleId} · ${seeded.featuredAppraisalId}"]`,
          )
          .click();
        const slider = auditor.getByRole('slider', { name: 'Moment in the history' });
        await slider.waitFor();
        const periods = await chensPeriods();
        const scored = Object.keys(periods)
          .filter((id) => periods[id].status === 'scored')
          .sort();
        const last = scored[scored.length - 1];
        const tag = (periodId: string) =>
          auditor.getByText(
            `${periodId}: ${periods[periodId].result!.score} (${periods[periodId].result!.grade})`,
          );
        // Now: every scored month, this month's assessment included.
        for (const periodId of scored) await tag(periodId).waitFor();
        // Back, event by event, until the last month's score is gone: the appraisal as it stood then.
        const moment = auditor.getByTestId('as-of-moment');
        await slider.focus();
        for (let step = 0; (await tag(last).count()) > 0; step++) {
          if (step > 50)
            throw new Error(`${last} still scored 50 events back: ${await moment.textContent()}`);
          const shown = await moment.textContent();
          await slider.press('ArrowLeft');
          await eventually(async () => (await moment.textContent()) !== shown, 5_000, 'the slider moved');
          await auditor.locator('[data-testid="as-of-grade"]').waitFor();
          await auditor.waitForLoadState('networkidle');
        }
        for (const periodId of scored.slice(0, -1)) await tag(periodId).waitFor();
        await expectAccessible(auditor, 'demo: as it stood');
        await auditor.getByRole('button', { name: 'Verify the chain' }).click();
        await auditor.getByText(/^Chain intact: \d+ events in \d+ streams checked\.$/).waitFor();
      }),
    900_000,
  );

  it(
    'lets the integrator subscribe a local receiver to the demo and receive a signed test event',
    () =>
      explained(async () => {
        const page = await signIn('Sign in as Integrator');
        await page.getByRole('heading', { name: 'Integrations' }).waitFor();
        await page.getByLabel('Receiver URL').fill(`http://127.0.0.1:${receiverPort}/hooks`);
        await page.getByRole('button', { name: 'Subscribe' }).click();
        const secret = (await page.getByTestId('secret-once').locator('code').textContent())!;
        expect(secret).toMatch(/^whsec_/);
        await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();
        const receiver = new WebhookReceiver(secret, receiverPort);
        await receiver.start();
        try {
          await page.getByRole('button', { name: 'Send a test' }).click();
          await page.getByText('The receiver accepted the test event.').waitFor();
          await receiver.waitFor((received) => received.length > 0);
          expect(receiver.rejected).toEqual([]);
          expect(receiver.received.every((delivery) => delivery.signatureValid)).toBe(true);
          await expectAccessible(page, 'demo: integrations');
        } finally {
          await receiver.stop();
        }
      }),
    900_000,
  );
});
