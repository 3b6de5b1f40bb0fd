import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { en } from '../../apps/web/src/i18n/en';
import { zhCN } from '../../apps/web/src/i18n/zh-CN';
import { explained, launchChromium, SCREENSHOTS, seriousViolations, type Chromium } from './browser';
import { hire, unit } from './directory-rows';
import { eventually } from './eventually';
import { openCycle, setUpTenant, type SetUpRequests } from './tenant-setup';
import { startWebStack, type Caller, type WebStack, type WebStackOptions } from './web-stack';

export type { Caller } from './web-stack';
export { hire, unit } from './directory-rows';

/** The languages of the web app, with their catalogues. */
export type Language = 'en' | 'zh-CN';
const CATALOGUES: Record<Language, typeof en> = { en, 'zh-CN': zhCN };

/** A catalogue's string, interpolated as i18next does (`{{name}}`). */
export function say(language: Language, key: string, values: Record<string, string | number> = {}): string {
  const text = key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], CATALOGUES[language]);
  if (typeof text !== 'string') throw new Error(`no message ${key} in ${language}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
}

/** The sales team most journeys use: Boss Wu manages Mei Lin, who manages Ann Chen, Bo Xu and Cai Yun in sales. */
export const SALES_TEAM: object[] = [
  unit('hq', null, 'hq', 'HQ'),
  unit('sales', 'hq', 'department', 'Sales'),
  hire('e-boss', 'hq', null, 'Boss Wu'),
  hire('e-mei', 'hq', 'e-boss', 'Mei Lin'),
  hire('e-ann', 'sales', 'e-mei', 'Ann Chen'),
  hire('e-bo', 'sales', 'e-mei', 'Bo Xu'),
  hire('e-cai', 'sales', 'e-mei', 'Cai Yun'),
];

export interface WebTenantOptions extends WebStackOptions {
  /** The start of the tenant's id (a random suffix makes it the file's own). */
  prefix: string;
  /** The tenant's whole id, when something started before the stack must know it (an identity provider). */
  tenant?: string;
  /** The tenant's name. */
  company: string;
  /** The directory import's rows; the sales team unless given. */
  directory?: object[];
  /** The `sales-4232` workflow's version 1; the sales 4232 workflow unless given. */
  workflow?: object;
  /** The cycle over sales opened in the set-up (its appraisals open and projected); none when false. */
  cycle?: { cycleId: string; year: number } | false;
  /** Playwright's default timeout: an upper bound for a busy machine, never a claim about speed. */
  timeout?: number;
}

/** Who signs in on the development sign-in page: a role, as a person of the directory or not. */
export interface SignInAs {
  role: 'employee' | 'manager' | 'hr' | 'process-owner' | 'auditor' | 'integrator' | 'admin';
  /** The person's name as the sign-in page lists it (none for a role without a person). */
  name?: string;
}

export interface WebTenant extends WebStack {
  tenant: string;
  browser: Chromium;
  /** The appraisal of each employee of the cycles opened so far. */
  appraisalOf: Map<string, string>;
  /** Opens a cycle of the sales 4232 workflow over `orgUnitIds` and waits until its appraisals are open and projected. */
  openCycle: (cycle: { cycleId: string; year: number; orgUnitIds?: string[] }) => Promise<void>;
  /** Signs in through the development sign-in page, as the person clicking it would, in a new page unless given one. */
  signIn: (as: SignInAs, language?: Language, page?: Page) => Promise<Page>;
  /** The page's serious accessibility violations, none expected, once the screen is at rest. */
  expectAccessible: (page: Page, screen: string) => Promise<void>;
  /** Saves the page as a screenshot the README shows. */
  screenshot: (page: Page, name: string) => Promise<void>;
  /** Runs a journey's steps; a failed step says what each open tab showed; every tab is closed after. */
  explained: (run: () => Promise<void>) => Promise<void>;
  /** Opens the inbox on `page` until `row` shows (the inbox is a read model the worker feeds). */
  untilInInbox: (page: Page, row: Locator, what: string, language?: Language) => Promise<void>;
  /** Sends `POST /appraisals/:appraisalId/<action>` as `who`. */
  command: (appraisalId: string, action: string, who: Caller, body?: unknown) => Promise<unknown>;
  /** Opens `path` as `who` with a session of its own token (a scope the sign-in page does not give). */
  openAs: (who: Caller & { name: string }, path: string, language?: Language) => Promise<Page>;
  /** HR waives the months neither scored nor waived, then scores the year. */
  scoreYear: (appraisalId: string) => Promise<void>;
}

/**
 * One browser journey file's world: the real API and worker (startWebStack), a tenant of its own
 * with a directory, the sales 4232 workflow v1 and (unless `cycle: false`) this year's cycle over
 * sales with its appraisals opened by the worker and projected, and a Chromium.
 */
export async function startWebTenant(options: WebTenantOptions): Promise<WebTenant> {
  const tenant = options.tenant ?? `${options.prefix}-${randomUUID().slice(0, 8)}`;
  const stack = await startWebStack(tenant, options);
  const { call, base } = stack;
  const hr: Caller = { role: 'hr' };
  const appraisalOf = new Map<string, string>();
  let browser: Chromium | undefined;

  /** The set-up's requests through the stack's client. */
  const requests: SetUpRequests = {
    command: (url, who, body) => call('POST', url, who, body),
    get: (url, who) => call('GET', url, who),
  };

  async function openAndProject(cycle: {
    cycleId: string;
    year: number;
    orgUnitIds?: string[];
  }): Promise<void> {
    const { opened } = await openCycle(requests, { ...cycle, orgUnitIds: cycle.orgUnitIds ?? ['sales'] });
    for (const entry of opened.appraisals) appraisalOf.set(entry.subject.employeeId, entry.appraisalId);
    // The score read model lists an appraisal to its appraisee: wait for the worker to project them.
    await eventually(
      async () => {
        const { items } = await call<{ items: { appraisalId: string }[] }>('GET', '/scores?limit=500', hr);
        const projected = new Set(items.map((item) => item.appraisalId));
        return opened.appraisals.every((entry) => projected.has(entry.appraisalId));
      },
      60_000,
      "the cycle's appraisals projected",
    );
  }

  try {
    await setUpTenant(requests, {
      company: options.company,
      directory: options.directory ?? SALES_TEAM,
      workflow: options.workflow,
    });
    if (options.cycle !== false) await openAndProject(options.cycle ?? { cycleId: 'c2026', year: 2026 });
    browser = await launchChromium();
    browser.context.setDefaultTimeout(options.timeout ?? 60_000);
  } catch (error) {
    await browser?.close();
    await stack.stop();
    throw error;
  }
  const chromium = browser;

  async function signIn(as: SignInAs, language: Language = 'en', page?: Page): Promise<Page> {
    const tab = page ?? (await chromium.context.newPage());
    await tab.goto(`${base}/app/sign-in?tenant=${tenant}&lang=${language}`);
    const role = say(language, 'signIn.as', { role: say(language, `roles.${as.role}`) });
    await tab.getByRole('button', { name: as.name ? `${role}: ${as.name}` : role, exact: true }).click();
    // Each role lands on its own start screen.
    await tab.waitForURL((url) => url.pathname.startsWith('/app/') && !url.pathname.endsWith('/sign-in'));
    return tab;
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    // The screen at rest: no button still loading, no skeleton waiting for its data.
    // A field's error message fading out is mid-animation (half its contrast): wait until it is gone.
    // A toast (antd message) fading in or out is too: wait until its motion classes are removed.
    const atRest = () =>
      page
        .locator(
          '.ant-btn-loading, .ant-skeleton, .ant-form-show-help-item-leave, [class*="ant-message-fade-"]',
        )
        .first()
        .waitFor({ state: 'detached' });
    await atRest();
    let violations = await seriousViolations(page);
    // A toast can be added just after the wait above (the answer's field error shows first) and
    // fade in while the check runs (daily-plans e2e, once, on a loaded machine). A screen's own
    // violation is there on every look; one that goes when its motion ends was the animation.
    for (let look = 2; violations.length > 0 && look <= 3; look++) {
      await page.waitForTimeout(400);
      await atRest();
      violations = await seriousViolations(page);
    }
    expect({ screen, violations }).toEqual({ screen, violations: [] });
  }

  async function untilInInbox(
    page: Page,
    row: Locator,
    what: string,
    language: Language = 'en',
  ): Promise<void> {
    await eventually(
      async () => {
        await page.goto(`${base}/app/inbox`);
        // The screen has finished loading (the inbox's chunk and its answer).
        await page.getByRole('heading', { name: say(language, 'inbox.title') }).waitFor();
        await page.locator('.ant-table-tbody').waitFor();
        return (await page.locator('.ant-spin-spinning').count()) === 0 && (await row.count()) > 0;
      },
      60_000,
      what,
    );
  }

  /**
   * A year is scored only when each month is scored or waived (ADR 0133). The last waiver may let the
   * annual-scoring process manager score the year at the same moment, and HR's command then meets a
   * 409 (the appraisal moved): it is sent again on the newer appraisal, as a person would after reloading.
   */
  async function scoreYear(appraisalId: string): Promise<void> {
    type Periods = { state: { periods: Record<string, { status: string }> } };
    const { state } = await call<Periods>('GET', `/appraisals/${appraisalId}`, hr);
    for (const [periodId, period] of Object.entries(state.periods))
      if (period.status !== 'scored' && period.status !== 'waived')
        await call('POST', `/appraisals/${appraisalId}/waive-period`, hr, {
          periodId,
          reason: 'Not reviewed in this journey',
        });
    await eventually(
      () => call('POST', `/appraisals/${appraisalId}/score-appraisal`, hr, {}).then(() => true),
      30_000,
      'HR scores the year',
    );
  }

  async function openAs(
    who: Caller & { name: string },
    to: string,
    language: Language = 'en',
  ): Promise<Page> {
    const page = await chromium.context.newPage();
    const session = {
      token: await stack.token(who),
      tenant,
      role: who.role,
      employeeId: who.employeeId ?? null,
      name: who.name,
    };
    await page.addInitScript(
      (saved) => sessionStorage.setItem('verity.session', saved),
      JSON.stringify(session),
    );
    await page.goto(`${base}${to}${to.includes('?') ? '&' : '?'}lang=${language}`);
    return page;
  }

  return {
    ...stack,
    command: (appraisalId, action, who, body = {}) =>
      call('POST', `/appraisals/${appraisalId}/${action}`, who, body),
    openAs,
    explained: (run) => explained(chromium, run),
    untilInInbox,
    scoreYear,
    tenant,
    browser: chromium,
    appraisalOf,
    openCycle: openAndProject,
    signIn,
    expectAccessible,
    screenshot: async (page, name) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    stop: async () => {
      await chromium.close();
      await stack.stop();
    },
  };
}
