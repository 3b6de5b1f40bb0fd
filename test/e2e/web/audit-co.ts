import type { Page } from 'playwright-core';
import type { Chromium } from '../../support/browser';
import { eventually } from '../../support/eventually';
import {
  hire,
  startWebTenant,
  unit,
  type Caller,
  type Language,
  type SignInAs,
  type WebTenant,
} from '../../support/web-tenant';

/*
 * Audit Co, the tenant of the browser journeys of HR, the process owner, the auditor and the
 * integrator (audit-workflows-and-appeals.e2e.spec.ts, directory-cycles-and-integrators.e2e.spec.ts):
 * its directory, its stack and the appraisal most journeys read, Cai's year of 2025.
 */

/** An entry of the audit read model, as the journeys read it. */
export interface AuditEntry {
  position: string;
  type: string;
}

/** Mgr manages Ann, Bob and Cai in sales; HR and PO are the tenant's HR partner and the sales process's owner. */
export const DIRECTORY = [
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

export const hr = { role: 'hr' };
export const person = (employeeId: string, role = 'employee') => ({ role, employeeId });
export const mgr = person('e-mgr', 'manager');

/** The file's stack, tenant and Chromium; no cycle yet (Cai's year opens it). */
export function startAuditCo(): Promise<WebTenant> {
  // The worker's timers append to the 2025 cycle's long-overdue steps meanwhile: a 409 is sent again.
  return startWebTenant({
    prefix: 'web-audit',
    company: 'Audit Co',
    directory: DIRECTORY,
    cycle: false,
    env: { WEBHOOK_ALLOWLIST: '127.0.0.1/32' },
    retryConflicts: true,
    // The machine running the tier may be busy: a screen gets more than Playwright's default 30 s.
    timeout: 90_000,
  });
}

/** A journey file's handles on its Audit Co; `web`, `base` and `browser` are read inside its tests. */
export interface AuditCoJourneys {
  readonly web: WebTenant;
  readonly base: string;
  readonly browser: Chromium;
  call: WebTenant['call'];
  expectAccessible: (page: Page, screen: string) => Promise<void>;
  screenshot: (page: Page, name: string) => Promise<void>;
  /** Signs in as `as` in a new tab (closed with the others when the journey ends). */
  signIn: (as: SignInAs, language?: Language) => Promise<Page>;
  /**
   * A test of the file (jest's `it`) whose failure says what each open tab showed; every tab is
   * closed when it ends (WebTenant.explained).
   */
  journey: (name: string, run: () => Promise<void>, timeout: number) => void;
}

/**
 * The file's Audit Co (startAuditCo) before its tests and stopped after them, with what the file
 * needs done once it runs (`ready`, within `timeout`); called in the file's describe.
 */
export function auditCoForTheFile(
  options: { ready?: (web: WebTenant) => Promise<void>; timeout?: number } = {},
): AuditCoJourneys {
  let web: WebTenant | undefined;
  const started = (): WebTenant => {
    if (!web) throw new Error('Audit Co is read before its stack started (outside a test)');
    return web;
  };
  // A failed journey runs once more, its first failure printed: the workflow editor's journey lost
  // its Check button in the continuous-integration runs only, never here (docs/adr/0195). Each
  // journey signs in on tabs of its own and closes them, so a second try starts from the same screen.
  jest.retryTimes(1, { logErrorsBeforeRetry: true });
  beforeAll(async () => {
    web = await startAuditCo();
    await options.ready?.(web);
  }, options.timeout ?? 240_000);
  afterAll(async () => {
    await web?.stop();
  });
  return {
    get web() {
      return started();
    },
    get base() {
      return started().base;
    },
    get browser() {
      return started().browser;
    },
    call: (method, url, who, body) => started().call(method, url, who, body),
    expectAccessible: (page, screen) => started().expectAccessible(page, screen),
    screenshot: (page, name) => started().screenshot(page, name),
    signIn: (as, language = 'en') => started().signIn(as, language),
    journey: (name, run, timeout) => it(name, () => started().explained(run), timeout),
  };
}

/**
 * Cai's year through the API: the 2025 cycle opened, three strong months and strong ratings make
 * an A; then a safety red line forces D. Resolves with her appraisal's id.
 */
export async function caisYearForcedToD(web: WebTenant): Promise<string> {
  await web.openCycle({ cycleId: 'c2025', year: 2025 });
  const appraisalId = web.appraisalOf.get('e-cai')!;
  const on = (action: string, who: Caller, body: unknown = {}) => web.command(appraisalId, action, who, body);
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
      const { state } = await web.call<Appraisal>('GET', `/appraisals/${appraisalId}`, hr);
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
  return appraisalId;
}
