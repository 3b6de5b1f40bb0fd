import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { salesWithTwoLineRubric as workflow } from '@verity/domain/testing/behaviour-workflow';
import { launchChromium, seriousViolations, type Chromium } from '../../support/browser';
import { eventually } from '../../support/eventually';
import { startWebStack, type Caller } from '../../support/web-stack';
import { en } from '../../../apps/web/src/i18n/en';

/**
 * The scores tab's behaviour line and stale alert in Chromium, against the real API (and, while the
 * year is scored, the real worker). Ann plans, summarizes and is scored on February's four weeks
 * (83.00, 91.20, 89.20, 92.00: 88.85 on average, 20 % of the month); her manager assesses February
 * and the worker scores it with its weeks and, once the other months are waived and the ratings in,
 * scores the year. Then, with the worker stopped (it would score the year again at once, ADR 0140),
 * Mei scores a week again and rescores February by hand: the year is stale. The screen shows the
 * figures of the API's score view, in English from the app's catalogue, and passes axe.
 */
const TENANT = `web-beh-${randomUUID().slice(0, 8)}`;
const HR: Caller = { role: 'hr' };
const ANN: Caller = { role: 'employee', employeeId: 'e-ann' };
const MEI: Caller = { role: 'manager', employeeId: 'e-mei' };
const say = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));

/** February 2026's ISO weeks (Thursdays 5, 12, 19, 26 February) and the two ratings of each. */
const WEEKS: [string, number, number][] = [
  ['2026-W06', 80, 85],
  ['2026-W07', 90, 92],
  ['2026-W08', 88, 90],
  ['2026-W09', 95, 90],
];

type Behaviour = { weeks: { week: string }[]; score: string | null; weight: string; scorecardScore: string };
type ScoreView = {
  annualScore: string | null;
  periods: { periodId: string; score: string; behaviour?: Behaviour | null }[];
  stale: { reasons: { cause: string; periodId?: string; from?: string | null; to?: string }[] } | null;
};

describe("the scores tab's behaviour line, in a real browser", () => {
  let stack: Awaited<ReturnType<typeof startWebStack>>;
  let browser: Chromium;
  let appraisalId: string;

  const send = (url: string, who: Caller, body: unknown = {}) => stack.call('POST', url, who, body);
  const on = (action: string, who: Caller, body: unknown = {}) =>
    send(`/appraisals/${appraisalId}/${action}`, who, body);
  const scoreView = () => stack.call<ScoreView>('GET', `/scores/appraisals/${appraisalId}`, HR);

  beforeAll(async () => {
    // The cycle's deadlines have passed: the worker's timers append to the appraisals meanwhile.
    stack = await startWebStack(TENANT, { retryConflicts: true });
    const { call } = stack;
    await call('POST', '/directory/tenant', { role: 'admin' }, { name: 'Behaviour Co' });
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
    await call('POST', '/workflows/sales-4232/versions', { role: 'process-owner' }, { definition: workflow });
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
    const of = (employeeId: string) =>
      cycle.opened.appraisals.find((entry) => entry.subject.employeeId === employeeId)!.appraisalId;
    appraisalId = of('e-ann');

    // February's four weeks: planned, summarized, scored by Mei.
    for (const [week, reporting, execution] of WEEKS) {
      await send(`/weekly-plans/e-ann.${week}/submit`, ANN, {
        employeeId: 'e-ann',
        cycleId: 'c2026',
        week,
        items: [{ itemId: 'visit', kind: 'action', text: 'Visit the two largest distributors' }],
      });
      await send(`/weekly-plans/e-ann.${week}/summary`, ANN, {
        results: [{ itemId: 'visit', done: true }],
        summary: `Summary of ${week}`,
      });
      await send(`/weekly-plans/e-ann.${week}/score`, MEI, {
        ratings: [
          { criterionId: 'reporting', score: reporting },
          { criterionId: 'execution', score: execution },
        ],
      });
    }

    // February reviewed; the worker scores it with its weeks.
    await on('submit-plan', ANN);
    await on('approve-plan', MEI);
    await on('file-period-review', ANN, {
      periodId: '2026-02',
      actuals: [
        { indicatorId: 'sales_volume', actual: 950 },
        { indicatorId: 'receivables', actual: '2.2' },
        { indicatorId: 'inventory', actual: 450 },
        { indicatorId: 'product_mix', actual: 330 },
      ],
      attachments: [{ indicatorId: 'product_mix', ref: 'doc-17' }],
    });
    await on('assess-period-review', MEI, { periodId: '2026-02', corrections: [] });
    await eventually(
      async () => (await scoreView()).periods.some((period) => period.periodId === '2026-02'),
      60_000,
      'February scored by the worker',
    );

    // The rest of the year: the other months waived, the ratings in; the worker scores the year.
    for (let month = 1; month <= 12; month++) {
      const periodId = `2026-${String(month).padStart(2, '0')}`;
      if (periodId !== '2026-02')
        await on('waive-period', HR, { periodId, reason: 'Not reviewed in this journey' });
    }
    await on('submit-self-assessment', ANN, { rating: 90 });
    await on('submit-rating', MEI, { group: 'manager', rating: 80 });
    await on('submit-rating', { role: 'employee', employeeId: 'e-bo' }, { group: 'peer', rating: 70 });
    await on('submit-rating', { role: 'employee', employeeId: 'e-cai' }, { group: 'peer', rating: 90 });
    await eventually(
      async () => (await scoreView()).annualScore !== null,
      60_000,
      'the year scored by the worker',
    );
    // Ann's own appraisal is found through the score read model: the worker has projected it.
    await eventually(
      async () => (await call<{ items: unknown[] }>('GET', '/scores', ANN)).items.length > 0,
      60_000,
      "Ann's appraisal projected",
    );

    browser = await launchChromium();
    // Upper bounds for a busy machine, never a claim about speed.
    browser.context.setDefaultTimeout(60_000);
  }, 480_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signIn(name: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${stack.base}/app/sign-in?tenant=${TENANT}&lang=en`);
    await page.getByRole('button', { name: `Sign in as ${en.roles.employee}: ${name}`, exact: true }).click();
    await page.waitForURL(/\/app\/my-appraisal$/);
    return page;
  }

  /** Ann's scores tab, February's row opened onto its breakdown. */
  async function februaryOnScreen(): Promise<{ page: Page; line: string | null }> {
    const page = await signIn('Ann Chen');
    await page.getByRole('tab', { name: en.appraisal.tabs.scores }).click();
    await page.getByRole('row').filter({ hasText: '2026-02' }).getByRole('button').first().click();
    const line = page.getByTestId('behaviour-2026-02');
    await line.waitFor();
    await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' });
    return { page, line: await line.textContent() };
  }
  const lineOf = (behaviour: Behaviour) =>
    say(en.scores.behaviour, {
      score: behaviour.score!,
      weeks: behaviour.weeks.length,
      weight: behaviour.weight,
      scorecard: behaviour.scorecardScore,
    });

  it("shows February's behaviour score as the API's score view says: 88.85 from 4 weeks, 20 %", async () => {
    const view = await scoreView();
    const february = view.periods.find((period) => period.periodId === '2026-02')!;
    // By hand: (83.00 + 91.20 + 89.20 + 92.00) / 4 = 88.85.
    expect(february.behaviour).toMatchObject({ score: '88.85', weight: '20' });
    expect(february.behaviour!.weeks).toHaveLength(4);
    expect(view.stale).toBeNull();
    const { page, line } = await februaryOnScreen();
    expect(line).toBe(lineOf(february.behaviour!));
    expect(line).toContain('88.85 from 4 scored weeks, weighs 20 % of the month');
    expect(await page.getByTestId('score-stale').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('a week scored again and its month rescored after the year: the new figure and the stale alert', async () => {
    // The API alone from here: the worker would score the year again as soon as it is stale.
    await stack.worker().stop('SIGTERM');
    await send('/weekly-plans/e-ann.2026-W08/score', MEI, {
      ratings: [
        { criterionId: 'reporting', score: 75 },
        { criterionId: 'execution', score: 75 },
      ],
    });
    await on('rescore-behaviour', MEI, { periodId: '2026-02' });

    const view = await scoreView();
    const february = view.periods.find((period) => period.periodId === '2026-02')!;
    // By hand: (83.00 + 91.20 + 75.00 + 92.00) / 4 = 85.30 now that W08 is 75.
    expect(february.behaviour).toMatchObject({ score: '85.30', weight: '20' });
    const rescored = view.stale!.reasons.find((reason) => reason.cause === 'period-rescored')!;
    expect(rescored).toMatchObject({ periodId: '2026-02', to: february.score });
    expect(rescored.from).not.toBe(rescored.to);

    const { page, line } = await februaryOnScreen();
    expect(line).toBe(lineOf(february.behaviour!));
    const stale = page.getByTestId('score-stale');
    await stale.getByText(en.scores.stale, { exact: true }).waitFor();
    await stale
      .getByText(say(en.scores.staleRescored, { period: '2026-02', from: rescored.from!, to: rescored.to! }))
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
