import { LineCounter, parseDocument } from 'yaml';
import { pick } from '../../support/browser';
import { eventually } from '../../support/eventually';
import { auditCoForTheFile, caisYearForcedToD, hr, person, type AuditEntry } from './audit-co';

/**
 * The auditor's, the process owner's and HR's screens in Chromium against the real API, worker,
 * PostgreSQL and Redis (one API and worker for the file; the tenant: ./audit-co.ts). The auditor's
 * appraisal is graded A, then a red line forces D: the slider shows each as it stood, and the chain
 * verifies. The process owner sees a refused draft's problem on its line, fixes it, sees the diff
 * and publishes. HR files, upholds and withdraws red lines and resolves an appeal; the process owner
 * reads the SLA. The directory import, the integrator and the cycle in Chinese are in
 * directory-cycles-and-integrators.e2e.spec.ts.
 */
describe('HR, the process owner, the auditor and the integrator, in a real browser', () => {
  // The cycle opens in the first journey; the worker's timers append to its long-overdue steps meanwhile.
  const co = auditCoForTheFile();
  const { call, expectAccessible, journey, screenshot, signIn } = co;

  journey(
    'shows the auditor an appraisal as it stood before a red line (A) and after (D), and verifies the chain',
    async () => {
      // Cai's year: three strong months and strong ratings make an A; then a safety red line forces D.
      const appraisalId = await caisYearForcedToD(co.web);

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

      const page = await signIn({ role: 'auditor' });
      await page.getByRole('heading', { name: 'Audit' }).waitFor();
      await page.goto(`${co.base}/app/audit?appraisalId=${appraisalId}`);
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
      await eventually(
        async () => (await grade.textContent()) === 'A',
        10_000,
        'grade A before the red line',
      );

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
    },
    240_000,
  );

  journey(
    'lets the process owner see an error on its line, fix it, see the diff and the what-if on a running appraisal, publish and move one',
    async () => {
      const page = await signIn({ role: 'process-owner', name: 'PO' });
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
        const node = document.getIn(['scorecard', 'indicators', index, 'weight'], true) as {
          range: number[];
        };
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
      const caiAppraisal = co.web.appraisalOf.get('e-cai')!;
      const expected = await fetch(
        `${co.base}/workflows/sales-4232/versions/what-if?appraisalIds=${caiAppraisal}`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/yaml',
            authorization: `Bearer ${await co.web.token({ role: 'process-owner' })}`,
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
      expect(expected.appraisals[0].periods.map((p) => p.periodId)).toEqual([
        '2025-01',
        '2025-02',
        '2025-03',
      ]);
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
      const annAppraisal = co.web.appraisalOf.get('e-ann')!;
      const older = page.getByRole('table', { name: 'Running appraisals before version 2' });
      await older.getByRole('checkbox', { name: 'Choose e-ann' }).check();
      await page.getByRole('textbox', { name: 'Reason for the move' }).fill('Weights corrected');
      await page.getByRole('button', { name: 'Move 1 to version 2' }).click();
      await page.getByText('1 appraisal(s) moved to version 2.').waitFor();
      await page.getByRole('table', { name: 'Moves' }).getByText('moved to v2').waitFor();
      const ann = await call<{ state: { workflowVersion: number } }>(
        'GET',
        `/appraisals/${annAppraisal}`,
        hr,
      );
      expect(ann.state.workflowVersion).toBe(2);
      await expectAccessible(page, 'workflow-migrate');
    },
    240_000,
  );

  journey(
    'lets HR file a red line (its breachId shown), the employee contest it, HR uphold it, withdraw another, and resolve the appeal',
    async () => {
      // Cai's appraisal of the first journey: scored, with the safety red line it was filed.
      const appraisalId = co.web.appraisalOf.get('e-cai')!;
      type State = {
        state: { status: string; redLines: Record<string, { redLineId: string; status: string }> };
      };
      const read = async () => (await call<State>('GET', `/appraisals/${appraisalId}`, hr)).state;
      const safetyBreach = Object.entries((await read()).redLines).find(
        ([, b]) => b.redLineId === 'safety',
      )![0];

      const page = await signIn({ role: 'hr', name: 'HR' });
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
      const cai = await signIn({ role: 'employee', name: 'CAI' });
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
    },
    240_000,
  );

  journey(
    'shows the process owner the SLA by unit as a chart and by step kind as a table',
    async () => {
      const page = await signIn({ role: 'process-owner', name: 'PO' });
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
    },
    240_000,
  );
});
