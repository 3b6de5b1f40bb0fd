import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { sales4232Workflow } from '@verity/domain';
import { loadConfig, jose } from '@verity/platform';
import { launchChromium, SCREENSHOTS, seriousViolations, type Chromium } from '../../support/browser';
import { eventually } from '../../support/eventually';
import { RunningApp, freePort, startApp } from '../../support/processes';
import { workerDatabaseUrl, workerRedisUrl } from '../../support/environment';

/**
 * The web app in Chromium against the real API, worker, PostgreSQL and Redis, over a tenant of its
 * own with an open cycle: the development sign-in lists the tenant's people, passes axe, and is
 * saved as the README's screenshot. (The plan, review and team board journeys are to follow.)
 */
const TENANT = `web-${randomUUID().slice(0, 8)}`;
const secret = loadConfig().JWT_SECRET;

describe('the web app, in a real browser', () => {
  let api: RunningApp;
  let worker: RunningApp;
  let base: string;
  let browser: Chromium;
  const appraisalOf = new Map<string, string>();

  async function token(role: string, employeeId?: string): Promise<string> {
    return new jose.SignJWT({ tenant: TENANT, role, ...(employeeId ? { employee_id: employeeId } : {}) })
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

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const violations = await seriousViolations(page);
    expect({ screen, violations }).toEqual({ screen, violations: [] });
  }

  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
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
});
