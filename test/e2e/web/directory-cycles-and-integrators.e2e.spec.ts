import { WebhookReceiver } from '@verity/integrations/testing/webhook-receiver';
import { eventually } from '../../support/eventually';
import { freePort } from '../../support/processes';
import { auditCoForTheFile, caisYearForcedToD, hr } from './audit-co';

/**
 * HR's directory and cycles and the integrator's screens in Chromium against the real API, worker,
 * PostgreSQL and Redis (one API and worker for the file; the tenant: ./audit-co.ts, with Cai's year
 * graded D set up through the API). HR previews a directory import with a bad row (refused with its
 * reason, nothing written), then imports it corrected, and reads the calibration. The integrator
 * subscribes a real local receiver from the browser, sees its signed deliveries in the log and
 * redelivers one. HR opens a cycle over the imported unit in Chinese.
 */
describe('HR, the process owner, the auditor and the integrator, in a real browser', () => {
  const co = auditCoForTheFile({
    timeout: 480_000,
    ready: async (web) => {
      await caisYearForcedToD(web);
      // The calibration reads Cai's D from the score read model: wait for the worker to project it.
      type Unit = { annual: { grades: { grade: string; count: number }[] } };
      await eventually(
        async () => {
          const { annual } = await web.call<Unit>('GET', '/scores/org-units/sales?includeSubUnits=false', hr);
          return annual.grades.length === 1 && annual.grades[0].grade === 'D' && annual.grades[0].count === 1;
        },
        90_000,
        "Cai's D in the score read model",
      );
    },
  });
  const { call, expectAccessible, journey, screenshot, signIn } = co;

  journey(
    'lets HR preview a CSV import with a bad row (refused with its reason, nothing written), then import it corrected',
    async () => {
      const page = await signIn({ role: 'hr', name: 'HR' });
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
      await page
        .getByRole('searchbox', { name: 'Find a unit or a person by name or id' })
        .fill('nobody here');
      await page.getByText('No unit or person matches "nobody here".').waitFor();

      // Calibration: each unit's grade distribution as a chart with its text alternative.
      await page.goto(`${co.base}/app/calibration`);
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
    },
    240_000,
  );

  journey(
    'lets the integrator sign in, subscribe a local receiver, see signed deliveries over time and redeliver one',
    async () => {
      const receiverPort = await freePort();
      // The integrator's own sign-in entry: the role the webhook routes are for.
      const page = await signIn({ role: 'integrator' });
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
        const row = page
          .getByRole('row')
          .filter({ hasText: 'EmployeeHired' })
          .filter({ hasText: 'delivered' });
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
    },
    240_000,
  );

  journey(
    "lets HR open a cycle in Chinese and watch it open its subjects' appraisals (zh-CN)",
    async () => {
      const page = await signIn({ role: 'hr', name: 'HR' }, 'zh-CN');
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
    },
    240_000,
  );
});
