import type { Page } from 'playwright-core';
import { LineCounter, parseDocument } from 'yaml';
import { WebhookReceiver } from '@verity/integrations/testing/webhook-receiver';
import { pick, type Chromium } from '../../support/browser';
import { eventually } from '../../support/eventually';
import { freePort } from '../../support/processes';
import {
  hire,
  startWebTenant,
  unit,
  type Caller,
  type Language,
  type SignInAs,
  type WebTenant,
} from '../../support/web-tenant';

/**
 * HR's, the auditor's and the integrator's screens in Chromium against the real API, worker, PostgreSQL
 * and Redis (one API and worker for the file). The auditor's appraisal is graded A, then a red line
 * forces D: the slider shows each as it stood, and the chain verifies. The process owner sees a
 * refused draft's problem on its line, fixes it, sees the diff and publishes. HR previews a directory
 * import with a bad row (refused with its reason, nothing written), then imports it corrected. The integrator subscribes a
 * real local receiver from the browser, sees its signed deliveries in the log and redelivers one.
 */
interface AuditEntry {
  position: string;
  type: string;
}

/** Mgr manages Ann, Bob and Cai in sales; HR and PO are the tenant's HR partner and the sales process's owner. */
const DIRECTORY = [
  unit('hq', null, 'hq'),
  unit('sales', 'hq', 'department'),
  hire('e-boss', 'hq', null, 'BOSS'),
  hire('e-mgr', 'hq', 'e-boss', 'MGR'),
  hire('e-ann', 'sales', 'e-mgr', 'ANN'),
  hire('e-bob', 'sales', 'e-mgr', 'BOB'),
  hire('e-cai', 'sales', 'e-mgr', 'CAI'),
  hire('e-hr', 'hq', 'e-boss', 'HR'),
  { command: 'AssignHrPartner', employeeId: 'e-hr', orgUnitId: null, effectiveFrom: '2025-01-01' },
  hire('e-po', 'hq', 'e-boss', 'PO'),
  {
    command: 'AssignProcessOwner',
    employeeId: 'e-po',
    process: 'sales-4232',
    orgUnitId: null,
    effectiveFrom: '2025-01-01',
  },
];

describe('HR, the process owner, the auditor and the integrator, in a real browser', () => {
  let web: WebTenant;
  let base: string;
  let browser: Chromium;
  const call: WebTenant['call'] = (method, url, who, body) => web.call(method, url, who, body);
  const expectAccessible = (page: Page, screen: string) => web.expectAccessible(page, screen);
  const screenshot = (page: Page, name: string) => web.screenshot(page, name);
  const signIn = (page: Page, as: SignInAs, language: Language = 'en') => web.signIn(as, language, page);

  const hr = { role: 'hr' };
  const person = (employeeId: string, role = 'employee') => ({ role, employeeId });
  const mgr = person('e-mgr', 'manager');

  beforeAll(async () => {
    // The cycle opens in the first journey; the worker's timers append to its long-overdue steps meanwhile.
    web = await startWebTenant({
      prefix: 'web-audit',
      company: 'Audit Co',
      directory: DIRECTORY,
      cycle: false,
      env: { WEBHOOK_ALLOWLIST: '127.0.0.1/32' },
      retryConflicts: true,
      // The machine running the tier may be busy: a screen gets more than Playwright's default 30 s.
      timeout: 90_000,
    });
    base = web.base;
    browser = web.browser;
  }, 240_000);

  afterAll(async () => {
    await web?.stop();
  });

  it('shows the auditor an appraisal as it stood before a red line (A) and after (D), and verifies the chain', async () => {
    // Cai's year: three strong months and strong ratings make an A; then a safety red line forces D.
    await web.openCycle({ cycleId: 'c2025', year: 2025 });
    const appraisalId = web.appraisalOf.get('e-cai')!;
    const on = (action: string, who: Caller, body: unknown = {}) =>
      web.command(appraisalId, action, who, body);
    await on('submit-plan', person('e-cai'));
    await on('approve-plan', mgr);
    const months = ['2025-01', '2025-02', '2025-03'];
    for (const periodId of months) {
      await on('file-period-review', person('e-cai'), {
        periodId,
        actuals: [
          { indicatorId: 'sales_volume', actual: 1000 },
          { indicatorId: 'receivables', actual: '2.0' },
          { indicatorId: 'inventory', actual: 500 },
          { indicatorId: 'product_mix', actual: 400 },
        ],
        attachments: [{ indicatorId: 'product_mix', ref: `erp-${periodId}` }],
      });
      await on('assess-period-review', mgr, { periodId, corrections: [] });
    }
    type Appraisal = {
      state: { periods: Record<string, { status: string }>; redLines: Record<string, unknown> };
    };
    await eventually(
      async () => {
        const { state } = await call<Appraisal>('GET', `/appraisals/${appraisalId}`, hr);
        return months.every((p) => state.periods[p].status === 'scored');
      },
      90_000,
      "Cai's months scored",
    );
    await on('submit-self-assessment', person('e-cai'), { rating: 95 });
    await on('submit-rating', person('e-ann'), { group: 'peer', rating: 95 });
    await on('submit-rating', person('e-bob'), { group: 'peer', rating: 95 });
    await on('submit-rating', mgr, { group: 'manager', rating: 95 });
    await web.scoreYear(appraisalId);
    await on('file-red-line-breach', hr, { redLineId: 'safety', description: 'Unreported incident' });
    await on('score-appraisal', hr);

    // The audit read model, as the screen reads it, once the worker has projected the rescoring.
    let trail: AuditEntry[] = [];
    await eventually(
      async () => {
        trail = (
          await call<{ items: AuditEntry[] }>('GET', `/audit?appraisalId=${appraisalId}&limit=1000`, {
            role: 'auditor',
          })
        ).items;
        const redLine = trail.findIndex((e) => e.type === 'RedLineBreached');
        return redLine > 0 && trail.slice(redLine).some((e) => e.type === 'AppraisalScored');
      },
      90_000,
      'the red line and the rescoring in the audit trail',
    );
    const redLine = trail.findIndex((e) => e.type === 'RedLineBreached');
    expect(trail.slice(0, redLine).some((e) => e.type === 'AppraisalScored')).toBe(true);

    const page = await browser.context.newPage();
    await signIn(page, { role: 'auditor' });
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    await page.goto(`${base}/app/audit?appraisalId=${appraisalId}`);
    const slider = page.getByRole('slider', { name: 'Moment in the history' });
    await slider.waitFor();
    const grade = page.getByTestId('as-of-grade');
    // Now (the last event): the red line has forced D.
    await eventually(async () => (await grade.textContent()) === 'D', 10_000, 'grade D now');

    // Back, event by event, to the red line: the appraisal still stands at the A it was scored.
    // (The worker's timers may append reminders meanwhile, so the page's count is read, not assumed.)
    const moment = page.getByTestId('as-of-moment');
    await slider.focus();
    await slider.press('End');
    for (let step = 0; !(await moment.textContent())?.includes('RedLineBreached'); step++) {
      if (step > trail.length)
        throw new Error(`no RedLineBreached on the slider: ${await moment.textContent()}`);
      const before = await moment.textContent();
      await slider.press('ArrowLeft');
      await eventually(async () => (await moment.textContent()) !== before, 5_000, 'the slider moved');
    }
    await eventually(async () => (await grade.textContent()) === 'A', 10_000, 'grade A at the red line');
    await slider.press('ArrowLeft');
    await eventually(async () => (await grade.textContent()) === 'A', 10_000, 'grade A before the red line');

    // Forward past the red line and its rescoring: D again.
    await slider.press('End');
    await eventually(async () => (await grade.textContent()) === 'D', 10_000, 'grade D after the red line');

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(/^Chain intact: \d+ events in \d+ streams checked\.$/).waitFor();
    await expectAccessible(page, 'audit');
    await screenshot(page, 'audit');

    // The export streams the appraisal's entries: at least the trail read above (the worker's timers
    // may have appended reminders since).
    await page.getByRole('button', { name: 'Export JSON Lines' }).click();
    const exported = page.getByText(/^\d+ lines exported \(json\)\.$/);
    await exported.waitFor();
    expect(Number((await exported.textContent())!.split(' ')[0])).toBeGreaterThanOrEqual(trail.length);
    await page.close();
  }, 240_000);

  it('lets HR preview a CSV import with a bad row (refused with its reason, nothing written), then import it corrected', async () => {
    const page = await browser.context.newPage();
    await signIn(page, { role: 'hr', name: 'HR' });
    await page.getByRole('menuitem', { name: 'Directory' }).click();
    await page.getByRole('heading', { name: 'Directory' }).waitFor();
    await page.getByText(/^e-cai · /).waitFor();
    const csv = [
      'command,orgUnitId,parentId,kind,name,employeeId,managerId,position,effectiveFrom',
      'CreateOrgUnit,north,hq,branch,North,,,,2025-02-01',
      'HireEmployee,north,,,Nia,e-nia,e-nobody,,2025-02-01',
      'HireEmployee,north,,,Ola,e-ola,e-mgr,Sales rep,2025-02-01',
    ].join('\n');
    const box = page.getByRole('textbox', { name: 'CSV to import' });
    await box.fill(csv);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('1 of 3 rows are refused.').waitFor();
    const refused = page.getByRole('row').filter({ hasText: 'e-nia' });
    await refused.getByText('refused', { exact: true }).waitFor();
    await refused.getByText(/e-nobody/).waitFor();
    expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'directory-import-refused');
    await screenshot(page, 'directory-import-preview');
    // Nothing was written: the directory has no unit north and no Ola.
    type Directory = {
      orgUnits: { orgUnitId: string; parentId: string | null; headId: string | null }[];
      employees: { employeeId: string; name: string | null }[];
    };
    const before = await call<Directory>('GET', '/directory', hr);
    expect(before.orgUnits.map((u) => u.orgUnitId)).not.toContain('north');
    expect(before.employees.map((e) => e.employeeId)).not.toContain('e-ola');

    // Corrected: every row accepted, imported, and in the org chart.
    await box.fill(csv.replace('e-nobody', 'e-mgr'));
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('All 3 rows can be imported.').waitFor();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText(/^Imported 3 rows \(\d+ events\)\.$/).waitFor();
    await page.getByText(/^e-nia · /).waitFor();
    const after = await call<Directory>('GET', '/directory', hr);
    expect(after.employees.map((e) => e.employeeId)).toEqual(expect.arrayContaining(['e-nia', 'e-ola']));

    // The org chart nests the units as the API's directory does, each with the API's head.
    const chart = page.getByTestId('org-chart');
    const drawn = async () =>
      chart.evaluate((tree) => {
        const units: { orgUnitId: string; depth: number; text: string }[] = [];
        for (const node of tree.querySelectorAll('.ant-tree-treenode')) {
          const unit = node.querySelector('[data-unit-id]');
          if (unit)
            units.push({
              orgUnitId: unit.getAttribute('data-unit-id')!,
              depth: node.querySelectorAll('.ant-tree-indent-unit').length,
              text: unit.textContent ?? '',
            });
        }
        return units;
      });
    // Drawn in order, depth first: a unit's parent is the nearest unit above it one level up.
    const parentsOf = (units: { orgUnitId: string; depth: number }[]) =>
      Object.fromEntries(
        units.map((unit, index) => [
          unit.orgUnitId,
          units
            .slice(0, index)
            .reverse()
            .find((above) => above.depth === unit.depth - 1)?.orgUnitId ?? null,
        ]),
      );
    const units = await drawn();
    expect(parentsOf(units)).toEqual(
      Object.fromEntries(after.orgUnits.map((u) => [u.orgUnitId, u.parentId])),
    );
    expect(parentsOf(units)).toEqual({ hq: null, sales: 'hq', north: 'hq' });
    const named = (id: string | null) => after.employees.find((e) => e.employeeId === id);
    for (const unit of after.orgUnits) {
      const head = named(unit.headId);
      expect(units.find((u) => u.orgUnitId === unit.orgUnitId)!.text).toContain(
        head ? `head: ${head.name} (${head.employeeId})` : 'no single head',
      );
    }
    expect(units.find((u) => u.orgUnitId === 'hq')!.text).toContain('head: BOSS (e-boss)');
    await expectAccessible(page, 'directory');
    await screenshot(page, 'directory');

    // Searched by a person's name: only Ola, inside the units above her.
    await page.getByRole('searchbox', { name: 'Find a unit or a person by name or id' }).fill('ola');
    await chart.getByText(/^e-ola · Ola · /).waitFor();
    expect(await chart.getByText(/^e-cai · /).count()).toBe(0);
    expect(parentsOf(await drawn())).toEqual({ hq: null, north: 'hq' });
    await page.getByRole('searchbox', { name: 'Find a unit or a person by name or id' }).fill('nobody here');
    await page.getByText('No unit or person matches "nobody here".').waitFor();

    // Calibration: each unit's grade distribution as a chart with its text alternative.
    await page.goto(`${base}/app/calibration`);
    await page.getByRole('heading', { name: 'Calibration' }).waitFor();
    // The units table and the chart's text alternative (the Chart component's label) count Cai's D.
    await page
      .getByRole('row')
      .filter({ hasText: 'SALES' })
      .filter({ hasText: /0\s*0\s*0\s*1/ })
      .waitFor();
    await page
      .getByRole('img', { name: /^Grade distribution per unit: .*SALES[^;]*: A 0, B 0, C 0, D 1/ })
      .waitFor();
    await expectAccessible(page, 'calibration');
    await screenshot(page, 'calibration');
    await page.close();
  }, 240_000);

  it('lets the process owner see an error on its line, fix it, see the diff and the what-if on a running appraisal, publish and move one', async () => {
    const page = await browser.context.newPage();
    await signIn(page, { role: 'process-owner', name: 'PO' });
    await page.getByRole('menuitem', { name: 'Workflows' }).click();
    await page.getByRole('textbox', { name: 'Workflow id' }).fill('sales-4232');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const editor = page.getByRole('textbox', { name: 'Workflow definition (YAML)' });
    await eventually(
      async () => (await editor.inputValue()).includes('indicators:'),
      10_000,
      'version 1 in the editor',
    );
    const yaml = await editor.inputValue();
    // Where the first two indicators' weights stand in the YAML the editor shows.
    const lineCounter = new LineCounter();
    const document = parseDocument(yaml, { lineCounter });
    const weightLine = (index: number) => {
      const node = document.getIn(['scorecard', 'indicators', index, 'weight'], true) as { range: number[] };
      return lineCounter.linePos(node.range[0]).line;
    };
    const weights = [0, 1].map((index) =>
      Number(document.getIn(['scorecard', 'indicators', index, 'weight'])),
    );
    const withWeights = (first: number, second: number) =>
      yaml
        .split('\n')
        .map((text, index) =>
          index + 1 === weightLine(0)
            ? text.replace(/weight: .*/, `weight: ${first}`)
            : index + 1 === weightLine(1)
              ? text.replace(/weight: .*/, `weight: ${second}`)
              : text,
        )
        .join('\n');

    // A negative weight: refused, the API's message on the weight's own line.
    await editor.fill(withWeights(-40, weights[1]));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page
      .getByTestId('draft-with-problems')
      .getByText(new RegExp(`^Line ${weightLine(0)}: \\S*weight: `))
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: 'Publish as version 2' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'workflow-refused');
    await screenshot(page, 'workflow-editor-error');

    // Five points moved from the first indicator to the second: valid, the diff shows both.
    await editor.fill(withWeights(weights[0] - 5, weights[1] + 5));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('The draft is valid and would become version 2 (2 change(s)).').waitFor();
    const changes = page.getByRole('row').filter({ hasText: 'scorecard.indicators.' });
    await eventually(async () => (await changes.count()) === 2, 5_000, 'two changes in the diff');

    // The draft on Cai's running appraisal: each scored month under the draft beside today's score,
    // as the API answers it (nothing written: the workflow still has one version).
    const draft = withWeights(weights[0] - 5, weights[1] + 5);
    const caiAppraisal = web.appraisalOf.get('e-cai')!;
    const expected = await fetch(
      `${base}/workflows/sales-4232/versions/what-if?appraisalIds=${caiAppraisal}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/yaml',
          authorization: `Bearer ${await web.token({ role: 'process-owner' })}`,
        },
        body: draft,
      },
    ).then(async (response) => {
      if (!response.ok) throw new Error(`what-if: ${response.status} ${await response.text()}`);
      return (await response.json()) as {
        appraisals: {
          periods: { periodId: string; recorded: { score: string }; whatIf: { score: string } }[];
        }[];
      };
    });
    expect(expected.appraisals[0].periods.map((p) => p.periodId)).toEqual(['2025-01', '2025-02', '2025-03']);
    const whatIfCard = page.getByTestId('draft-what-if');
    await whatIfCard.getByRole('checkbox', { name: 'Choose e-cai' }).check();
    await whatIfCard.getByRole('button', { name: 'What-if on 1 appraisal(s)' }).click();
    const results = whatIfCard.getByRole('table', { name: 'Scores under the draft' });
    for (const period of expected.appraisals[0].periods)
      await results
        .getByRole('row')
        .filter({ hasText: period.periodId })
        .filter({ hasText: `${period.recorded.score} (` })
        .filter({ hasText: `${period.whatIf.score} (` })
        .waitFor();
    expect(
      (await call<{ latestVersion: number }>('GET', '/workflows/sales-4232', { role: 'process-owner' }))
        .latestVersion,
    ).toBe(1);
    await expectAccessible(page, 'workflow-what-if');
    await screenshot(page, 'workflow-what-if');

    await page.getByRole('button', { name: 'Publish as version 2' }).click();
    await page.getByText('Version 2 published.').waitFor();
    const summary = await call<{ latestVersion: number }>('GET', '/workflows/sales-4232', {
      role: 'process-owner',
    });
    expect(summary.latestVersion).toBe(2);
    // The versions' diff, v1 → v2: the same two changes.
    await page.getByText('v2', { exact: true }).first().waitFor();
    await eventually(async () => (await changes.count()) === 2, 10_000, "the versions' diff");
    await expectAccessible(page, 'workflows');
    await screenshot(page, 'workflows');

    // Running appraisals stay on v1 until moved: the process owner moves Ann's, explicitly.
    const annAppraisal = web.appraisalOf.get('e-ann')!;
    const older = page.getByRole('table', { name: 'Running appraisals before version 2' });
    await older.getByRole('checkbox', { name: 'Choose e-ann' }).check();
    await page.getByRole('textbox', { name: 'Reason for the move' }).fill('Weights corrected');
    await page.getByRole('button', { name: 'Move 1 to version 2' }).click();
    await page.getByText('1 appraisal(s) moved to version 2.').waitFor();
    await page.getByRole('table', { name: 'Moves' }).getByText('moved to v2').waitFor();
    const ann = await call<{ state: { workflowVersion: number } }>('GET', `/appraisals/${annAppraisal}`, hr);
    expect(ann.state.workflowVersion).toBe(2);
    await expectAccessible(page, 'workflow-migrate');
    await page.close();
  }, 240_000);

  it('lets the integrator sign in, subscribe a local receiver, see signed deliveries over time and redeliver one', async () => {
    const receiverPort = await freePort();
    const page = await browser.context.newPage();
    // The integrator's own sign-in entry: the role the webhook routes are for.
    await signIn(page, { role: 'integrator' });
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    await page.getByLabel('Receiver URL').fill(`http://127.0.0.1:${receiverPort}/hooks`);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const secretText = (await page.getByTestId('secret-once').locator('code').textContent())!;
    expect(secretText).toMatch(/^whsec_/);
    // axe measures contrast as the page stands: wait for the dialog's opening animation to end.
    await eventually(
      async () => (await page.locator('[class*="-enter"], [class*="-appear"]').count()) === 0,
      10_000,
      "the dialog's animation over",
    );
    await expectAccessible(page, 'integrations-secret');
    await page.getByRole('dialog').getByRole('button', { name: 'OK' }).click();

    const receiver = new WebhookReceiver(secretText, receiverPort);
    await receiver.start();
    try {
      // A test delivery, then real ones: an event of the tenant after the subscription.
      await page.getByRole('button', { name: 'Send a test' }).click();
      await page.getByText('The receiver accepted the test event.').waitFor();
      await call('POST', '/directory/import', hr, {
        rows: [
          {
            command: 'HireEmployee',
            employeeId: 'e-dan',
            orgUnitId: 'sales',
            managerId: 'e-mgr',
            position: null,
            name: 'DAN',
            effectiveFrom: '2025-06-01',
          },
        ],
      });
      await receiver.waitFor((received) => received.some((d) => d.type === 'verity.EmployeeHired.v1'));

      // The log shows the delivery as delivered (refreshed until the worker has recorded it).
      const row = page.getByRole('row').filter({ hasText: 'EmployeeHired' }).filter({ hasText: 'delivered' });
      await eventually(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return (await row.count()) > 0;
        },
        20_000,
        'the delivery in the log',
      );
      // The log as a chart over time, its text alternative counting the delivered ones.
      await page.getByRole('img', { name: /^Deliveries over time: .*[1-9]\d* delivered/ }).waitFor();
      await expectAccessible(page, 'integrations');
      await screenshot(page, 'integrations');

      const before = receiver.received.filter((d) => d.type === 'verity.EmployeeHired.v1');
      await row
        .first()
        .getByRole('button', { name: /^Redeliver/ })
        .click();
      await page.getByText('Scheduled for delivery again.').waitFor();
      await receiver.waitFor(
        (received) => received.filter((d) => d.id === before[0].id).length === before.length + 1,
      );
      expect(receiver.rejected).toEqual([]);
      expect(receiver.received.every((d) => d.signatureValid)).toBe(true);

      // The catalogue lists each type with its schema and a sample.
      await page.getByRole('tab', { name: 'Event catalogue' }).click();
      await page
        .getByRole('button', { name: /RedLineBreached/ })
        .first()
        .click();
      await page.getByText('Sample delivery').waitFor();
      await expectAccessible(page, 'event-catalogue');
    } finally {
      await receiver.stop();
      await page.close();
    }
  }, 240_000);
  it('lets HR file a red line (its breachId shown), the employee contest it, HR uphold it, withdraw another, and resolve the appeal', async () => {
    // Cai's appraisal of the first journey: scored, with the safety red line it was filed.
    const appraisalId = web.appraisalOf.get('e-cai')!;
    type State = {
      state: { status: string; redLines: Record<string, { redLineId: string; status: string }> };
    };
    const read = async () => (await call<State>('GET', `/appraisals/${appraisalId}`, hr)).state;
    const safetyBreach = Object.entries((await read()).redLines).find(
      ([, b]) => b.redLineId === 'safety',
    )![0];

    const page = await browser.context.newPage();
    await signIn(page, { role: 'hr', name: 'HR' });
    await page.getByRole('menuitem', { name: 'Red lines and appeals' }).click();
    await page.getByRole('heading', { name: 'Red lines and appeals' }).waitFor();
    await page.getByRole('textbox', { name: 'Appraisal id' }).fill(appraisalId);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByRole('combobox', { name: 'Red line' }).click();
    await page.getByTitle('Falsified figures or fraud (fraud)').click();
    await page.getByLabel('What happened').fill('Invoices dated into the next quarter');
    await page.getByRole('button', { name: 'File the breach' }).click();
    const filed = page.getByTestId('filed-breach-id');
    await filed.waitFor();
    const breachId = (await filed.textContent())!;
    // The id shown is the one the appraisal recorded for the fraud breach.
    expect((await read()).redLines[breachId]).toEqual(expect.objectContaining({ redLineId: 'fraud' }));
    await expectAccessible(page, 'red-lines');

    // Cai sees it on his appraisal, with what happened, and contests it; a blank reason is refused
    // by the API on the field.
    const cai = await browser.context.newPage();
    await signIn(cai, { role: 'employee', name: 'CAI' });
    await cai.getByRole('tab', { name: 'Red lines' }).click();
    const mine = cai.getByRole('table', { name: 'Red lines filed against me' });
    const fraud = mine.getByRole('row').filter({ hasText: 'Falsified figures or fraud' });
    await fraud.getByText('Invoices dated into the next quarter').waitFor();
    await fraud.getByText('breached', { exact: true }).waitFor();
    await fraud.getByRole('button', { name: 'Contest: Falsified figures or fraud' }).click();
    const contest = cai.getByRole('dialog');
    await contest.getByLabel('Why it does not apply').fill('   ');
    await contest.getByRole('button', { name: 'Contest' }).click();
    await contest.getByText('a reason is required').waitFor();
    await expectAccessible(cai, 'contest-red-line');
    await contest.getByLabel('Why it does not apply').fill('The invoices were dated by the customer');
    await contest.getByRole('button', { name: 'Contest' }).click();
    await cai.getByText(/^Contested: HR will uphold/).waitFor();
    await fraud.getByText('contested', { exact: true }).waitFor();
    await fraud.getByText('Contested: The invoices were dated by the customer').waitFor();
    await expectAccessible(cai, 'my-red-lines');
    await screenshot(cai, 'my-red-lines');
    await cai.close();
    expect((await read()).redLines[breachId].status).toBe('contested');

    // HR sees it contested and upholds it. The appraisal is read from its stream: one reload shows the contest.
    await page.reload();
    const fraudRow = page.getByRole('row').filter({ hasText: breachId });
    await fraudRow.getByText('contested', { exact: true }).waitFor();
    await fraudRow.getByRole('button', { name: `Uphold: ${breachId}` }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('The customer denies it');
    await page.getByRole('dialog').getByRole('button', { name: 'Uphold' }).click();
    await page.getByText('Breach upheld.').waitFor();
    await fraudRow.getByText('upheld', { exact: true }).waitFor();

    // The safety breach is withdrawn: a reason is required.
    const safetyRow = page.getByRole('row').filter({ hasText: safetyBreach });
    await safetyRow.getByRole('button', { name: `Withdraw: ${safetyBreach}` }).click();
    // Sent without a reason, the dialog asks for one. On a busy machine a press can land while the
    // dialog still moves in and go unseen: the person presses again until the dialog answers.
    await eventually(
      async () => {
        const dialog = page.getByRole('dialog');
        if (await dialog.getByText('Give the reason').isVisible()) return true;
        await dialog.getByLabel('Reason').waitFor({ timeout: 5_000 });
        await dialog.getByRole('button', { name: 'Withdraw' }).click({ timeout: 5_000 });
        await dialog.getByText('Give the reason').waitFor({ timeout: 5_000 });
        return true;
      },
      60_000,
      'the withdrawal asks for its reason',
    );
    await page.getByRole('dialog').getByLabel('Reason').fill('Filed against the wrong person');
    await page.getByRole('dialog').getByRole('button', { name: 'Withdraw' }).click();
    await page.getByText(/^Breach withdrawn/).waitFor();
    await safetyRow.getByText('withdrawn', { exact: true }).waitFor();
    expect(
      Object.values((await read()).redLines)
        .map((b) => b.status)
        .sort(),
    ).toEqual(['upheld', 'withdrawn']);
    await screenshot(page, 'red-lines');

    // Scored again, finalized, appealed by Cai: the appeal waits in HR's list; HR upholds it with B.
    await call('POST', `/appraisals/${appraisalId}/score-appraisal`, hr, {});
    await call('POST', `/appraisals/${appraisalId}/finalize-appraisal`, hr, {});
    await call('POST', `/appraisals/${appraisalId}/file-appeal`, person('e-cai'), {
      reason: "The invoices were the customer's",
    });
    const resolve = page.getByRole('button', { name: 'Resolve: e-cai' });
    await eventually(
      async () => {
        // The list is HR's inbox, a read model the worker feeds: reload until it has the appeal.
        await page.reload();
        await page.getByText('No appeal is waiting.').or(resolve).first().waitFor();
        return (await resolve.count()) > 0;
      },
      60_000,
      "Cai's appeal in the list",
    );
    await expectAccessible(page, 'appeals');
    await resolve.click();
    const dialog = page.getByRole('dialog');
    const newGrade = dialog.getByRole('combobox', { name: 'New grade' });
    await pick(page, dialog.getByRole('combobox', { name: 'Outcome' }), 'upheld: a new result', newGrade);
    await pick(page, newGrade, 'B', dialog.getByTitle('B', { exact: true }));
    await dialog.getByLabel('Reason').fill('The customer confirmed the dates');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('Appeal resolved.').waitFor();
    const closed = await call<{ state: { status: string } }>('GET', `/appraisals/${appraisalId}`, hr);
    type Events = { items: { type: string; data: { outcome?: string; to?: { grade: string } | null } }[] };
    const events = await call<Events>('GET', `/appraisals/${appraisalId}/events?limit=500`, hr);
    const resolved = events.items.find((event) => event.type === 'AppealResolved')!;
    // Upheld with B as chosen on screen; the upheld fraud red line still bounds the result to D.
    expect({
      status: closed.state.status,
      outcome: resolved.data.outcome,
      grade: resolved.data.to?.grade,
    }).toEqual({
      status: 'closed',
      outcome: 'upheld',
      grade: 'D',
    });
    await screenshot(page, 'appeals');
    await page.close();
  }, 240_000);
  it('shows the process owner the SLA by unit as a chart and by step kind as a table', async () => {
    const page = await browser.context.newPage();
    await signIn(page, { role: 'process-owner', name: 'PO' });
    await page.getByRole('menuitem', { name: 'SLA' }).click();
    await page.getByRole('heading', { name: 'SLA', exact: true }).waitFor();
    // The sales unit's steps (its appraisals' plans, reviews and ratings) counted in the chart's text alternative.
    await page
      .getByRole('img', {
        name: /^SLA by unit: (.*; )?sales: on time \d+, late \d+, overdue \d+, escalated \d+/,
      })
      .waitFor();
    const steps = page.getByRole('table', { name: 'Steps by kind' });
    await steps.getByRole('row').filter({ hasText: 'sales' }).filter({ hasText: 'plan' }).first().waitFor();
    await expectAccessible(page, 'sla');
    await screenshot(page, 'sla');
    // By process owner: PO owns the sales process, its steps are counted under e-po.
    await page.getByText('Process owner', { exact: true }).click();
    await page.getByRole('img', { name: /^SLA by process owner: (.*; )?e-po: on time \d+/ }).waitFor();
    await page.close();
  }, 240_000);

  it("lets HR open a cycle in Chinese and watch it open its subjects' appraisals (zh-CN)", async () => {
    const page = await browser.context.newPage();
    await signIn(page, { role: 'hr', name: 'HR' }, 'zh-CN');
    await page.getByRole('menuitem', { name: '考核周期' }).click();
    await page.getByRole('heading', { name: '考核周期' }).waitFor();
    // The north unit HR imported in the directory journey: Nia and Ola.
    const form = page.locator('form');
    await form.getByLabel('周期编号').fill('north-2026');
    await form.getByLabel('名称').fill('北区 2026');
    await form.getByLabel('年度').fill('2026');
    await form.getByLabel('流程').fill('sales-4232');
    await form.getByLabel('版本').fill('1');
    await form.getByLabel('范围内的组织单元').fill('north');
    await form.getByLabel('范围内的组织单元').press('Enter');
    await expectAccessible(page, 'cycles-open');
    await page.getByRole('button', { name: '开启周期' }).click();
    await page.getByText('周期 north-2026 已开启，正在为其开启考核。').waitFor();
    // Progress "opening N of M" until every subject's appraisal is open, then the subjects.
    await page
      .getByRole('status')
      .filter({ hasText: /^已开启 \d+ \/ 2 份考核$/ })
      .first()
      .waitFor();
    await page.getByText('已开启 2 / 2 份考核').waitFor();
    const subjects = page.getByRole('table', { name: '考核对象' });
    await subjects.getByRole('row').filter({ hasText: 'e-nia' }).waitFor();
    await subjects.getByRole('row').filter({ hasText: 'e-ola' }).waitFor();
    const cycle = await call<{ opening: { opened: number; of: number; done: boolean } }>(
      'GET',
      '/cycles/north-2026',
      hr,
    );
    expect(cycle.opening).toMatchObject({ opened: 2, of: 2, done: true });
    await expectAccessible(page, 'cycles');
    await screenshot(page, 'cycles-zh-CN');
    await page.close();
  }, 240_000);
});
