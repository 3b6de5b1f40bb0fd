import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { sales4232Workflow } from '@verity/domain';
import { workedActuals, workedAttachments } from '@verity/domain/testing/appraisal-scenario';
import type { Config } from '@verity/platform';
import { catchUpProcessManagers } from '../../../worker/src/process-managers/testing/catch-up';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { bearer, testApiOfThisFile, tokenFor, type TestApi } from './api-test-kit';

/**
 * A tenant set up through the API as a newcomer would: directory (boss → mgr → ann, bob, cai in
 * sales; zed, another manager, in hq), the sales 4232 workflow v1 (or `options.workflow`), cycle 2025 over sales.
 * Tokens are named by person; `headers.ann` etc. are ready-to-use Authorization headers.
 */
export async function setUpTenant(
  app: INestApplication,
  config: Config,
  tenant: string,
  options: { workflow?: object } = {},
) {
  const token = (role: Parameters<typeof tokenFor>[1]['role'], employeeId?: string, sub?: string) =>
    tokenFor(config, { role, tenant, employeeId, sub: sub ?? employeeId ?? `${role}-${tenant}` });
  const headers = {
    admin: bearer(await token('admin')),
    hr: bearer(await token('hr')),
    owner: bearer(await token('process-owner')),
    auditor: bearer(await token('auditor')),
    boss: bearer(await token('manager', 'e-boss')),
    mgr: bearer(await token('manager', 'e-mgr')),
    zed: bearer(await token('manager', 'e-zed')),
    ann: bearer(await token('employee', 'e-ann')),
    bob: bearer(await token('employee', 'e-bob')),
    cai: bearer(await token('employee', 'e-cai')),
  };
  const http = () => request(app.getHttpServer());
  const ok = (response: request.Response, what: string) => {
    if (response.status >= 300)
      throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };

  /** One of the tenant's people posts `body` to `path`; a refusal fails the test, named `what`. */
  const postOk = async (who: keyof typeof headers, path: string, body: object, what: string) =>
    ok(await http().post(path).set(headers[who]).send(body), what);

  /** One of the tenant's people sends a command to an appraisal; a refusal fails the test. */
  const send = (who: keyof typeof headers, appraisalId: string, command: string, body: object = {}) =>
    postOk(who, `/appraisals/${appraisalId}/${command}`, body, command);

  /** Posts a file as an upload sends it: its text as `type`. The response is returned as it is. */
  const postFile = (
    path: string,
    as: Record<string, string>,
    type: 'text/csv' | 'application/yaml',
    text: string,
  ) => http().post(path).set(as).set('Content-Type', type).send(text);

  /**
   * HR asks for the erasure of a person's personal data and an auditor approves it (ADR 0115); a
   * refusal fails the test. Resolves with the approval's answer.
   */
  const erase = async (employeeId: string) => {
    const erasure = `/directory/employees/${employeeId}/erasure`;
    await postOk('hr', erasure, {}, `RequestSubjectErasure ${employeeId}`);
    return postOk('auditor', `${erasure}/approve`, {}, `EraseSubjectData ${employeeId}`);
  };

  /** HR imports directory rows (hires, leavers, moves…), refused rows failing the test. */
  const importDirectory = (rows: object[], what = 'ImportDirectory') =>
    postOk('hr', '/directory/import', { rows }, what);

  /** HR opens a cycle of the sales 4232 workflow, version 1, over the sales department. */
  const openCycle = (cycle: { cycleId: string; name: string; year: number }) =>
    postOk(
      'hr',
      '/cycles',
      { ...cycle, workflowId: 'sales-4232', workflowVersion: 1, orgUnitIds: ['sales'] },
      `OpenCycle ${cycle.cycleId}`,
    );

  await postOk('admin', '/directory/tenant', { name: `Tenant ${tenant}` }, 'CreateTenant');
  const from = '2025-01-01';
  const person = (employeeId: string, orgUnitId: string, managerId: string | null, name: string) => ({
    command: 'HireEmployee',
    employeeId,
    orgUnitId,
    managerId,
    position: null,
    name,
    effectiveFrom: from,
  });
  await importDirectory([
    {
      command: 'CreateOrgUnit',
      orgUnitId: 'hq',
      parentId: null,
      kind: 'hq',
      name: 'HQ',
      effectiveFrom: from,
    },
    {
      command: 'CreateOrgUnit',
      orgUnitId: 'sales',
      parentId: 'hq',
      kind: 'department',
      name: 'Sales',
      effectiveFrom: from,
    },
    person('e-boss', 'hq', null, 'Boss'),
    person('e-zed', 'hq', 'e-boss', 'Zed'),
    person('e-mgr', 'sales', 'e-boss', 'Mgr'),
    person('e-ann', 'sales', 'e-mgr', 'Ann'),
    person('e-bob', 'sales', 'e-mgr', 'Bob'),
    person('e-cai', 'sales', 'e-mgr', 'Cai'),
  ]);
  await postOk(
    'owner',
    '/workflows/sales-4232/versions',
    { definition: options.workflow ?? sales4232Workflow },
    'PublishWorkflowVersion',
  );
  await openCycle({ cycleId: 'c2025', name: 'Sales 2025', year: 2025 });
  // The worker's cycle-opening process manager opens the cycle's appraisals (no worker runs here).
  const readCycle = async () => ok(await http().get('/cycles/c2025').set(headers.hr), 'GET cycle').body;
  await catchUpProcessManagers(app.get(EVENT_STORE), tenant, async () => (await readCycle()).opening.done);
  const cycle = await readCycle();

  /** The appraisal of one employee of the cycle (the process manager opened it with the cycle). */
  const appraisalOf = async (employeeId: string): Promise<string> => {
    const entry = cycle.opened.appraisals.find(
      (appraisal: { subject: { employeeId?: string } }) => appraisal.subject.employeeId === employeeId,
    );
    if (!entry) throw new Error(`no appraisal of ${employeeId} in cycle c2025`);
    return entry.appraisalId as string;
  };

  /** HR hires a newcomer into Sales under Mgr from 1 February, after the cycle opened. */
  const hireIntoSales = (employeeId: string, name: string, email?: string) =>
    postOk(
      'hr',
      '/directory/employees',
      {
        employeeId,
        orgUnitId: 'sales',
        managerId: 'e-mgr',
        position: null,
        name,
        email,
        effectiveFrom: '2025-02-01',
      },
      'HireEmployee',
    );

  /**
   * HR waives every period of the appraisal neither scored nor waived, so the year may be scored:
   * a year with a month nobody scored nor waived is refused (ADR 0133).
   */
  const waiveUnscored = async (appraisalId: string): Promise<void> => {
    const { state } = ok(
      await http().get(`/appraisals/${appraisalId}`).set(headers.hr),
      'GET appraisal',
    ).body;
    const periods = state.periods as Record<string, { status: string; result: unknown }>;
    for (const [periodId, period] of Object.entries(periods))
      if (period.result === null && period.status !== 'waived')
        await postOk(
          'hr',
          `/appraisals/${appraisalId}/waive-period`,
          { periodId, reason: 'Not reviewed in this test' },
          `waive ${periodId}`,
        );
  };

  /**
   * The appraisee's plan (no targets or actions) submitted and approved by Mgr, then `periodId` filed
   * with the worked example's actuals (87.30 on the sales 4232 scorecard) and assessed by Mgr.
   */
  const planApprovedAndMonthAssessed = async (
    appraisalId: string,
    periodId: string,
    appraisee: 'ann' | 'bob' | 'cai' = 'ann',
  ): Promise<void> => {
    await send(appraisee, appraisalId, 'submit-plan');
    await send('mgr', appraisalId, 'approve-plan');
    await send(appraisee, appraisalId, 'file-period-review', {
      periodId,
      actuals: workedActuals,
      attachments: workedAttachments,
    });
    await send('mgr', appraisalId, 'assess-period-review', { periodId, corrections: [] });
  };

  /** `planApprovedAndMonthAssessed`, then the month scored by Mgr. */
  const planApprovedAndMonthScored = async (
    appraisalId: string,
    periodId: string,
    appraisee: 'ann' | 'bob' | 'cai' = 'ann',
  ): Promise<void> => {
    await planApprovedAndMonthAssessed(appraisalId, periodId, appraisee);
    await send('mgr', appraisalId, 'score-period', { periodId });
  };

  /**
   * HR sets a sales-volume target (in units) of cycle c2025 in the target tree: `extra` overrides a
   * field (another indicator, another unit). The response is returned as it is, refusals included.
   */
  const setTarget = (
    targetId: string,
    parentId: string | null,
    level: string,
    ownerId: string,
    amount: string,
    extra: Record<string, unknown> = {},
  ) =>
    http()
      .post('/cycles/c2025/targets')
      .set(headers.hr)
      .send({
        targetId,
        parentId,
        level,
        ownerId,
        indicatorId: 'sales_volume',
        unit: 'units',
        amount,
        ...extra,
      });

  return {
    tenant,
    headers,
    http,
    ok,
    postOk,
    send,
    postFile,
    erase,
    importDirectory,
    openCycle,
    cycle,
    appraisalOf,
    hireIntoSales,
    waiveUnscored,
    planApprovedAndMonthAssessed,
    planApprovedAndMonthScored,
    setTarget,
  };
}

export type TenantFixture = Awaited<ReturnType<typeof setUpTenant>>;

/** Ann's plan as she submits it: one action, a campaign for the product mix due by the end of March. */
export const annsPlan = {
  actions: [
    {
      indicatorId: 'product_mix',
      ownerEmployeeId: 'e-ann',
      dueDate: '2025-03-31',
      goal: 'Launch mix campaign',
      measures: 'Weekly promotions',
    },
  ],
};

/** The API and one tenant set up through it, as a test file shares them. */
export type TenantOnTestApi = TenantFixture & TestApi;

/**
 * The file's API (`testApiOfThisFile`) with `tenant` set up through it before the file's tests. The
 * answer is filled in by then: read it in tests and hooks, not while the file is being loaded.
 */
export function tenantOnTestApi(tenant: string, options: { workflow?: object } = {}): TenantOnTestApi {
  const api = testApiOfThisFile();
  const fixture = {} as TenantOnTestApi;
  beforeAll(async () => {
    Object.assign(fixture, api, await setUpTenant(api.app, api.config, tenant, options));
  });
  return fixture;
}

type AuthHeader = Record<string, string>;

/**
 * One month filed (the same actuals each time), assessed and scored, the self-assessment and the
 * manager's and two peers' ratings in, the year scored by HR (other months waived) and calibrated to
 * `grade`: how a test brings an appraisal of `f`'s sales team to the forced-distribution check.
 */
export async function scoredAndCalibrated(
  f: TenantFixture,
  appraisalId: string,
  people: { appraisee: AuthHeader; peers: [AuthHeader, AuthHeader] },
  { month, grade }: { month: string; grade: string },
): Promise<void> {
  const actuals = [
    { indicatorId: 'sales_volume', actual: 950 },
    { indicatorId: 'receivables', actual: '2.2' },
    { indicatorId: 'inventory', actual: 450 },
    { indicatorId: 'product_mix', actual: 400 },
  ];
  const { appraisee, peers } = people;
  const { mgr, hr } = f.headers;
  const steps: [AuthHeader, string, object][] = [
    [appraisee, 'submit-plan', {}],
    [mgr, 'approve-plan', {}],
    [
      appraisee,
      'file-period-review',
      { periodId: month, actuals, attachments: [{ indicatorId: 'product_mix', ref: 'd' }] },
    ],
    [mgr, 'assess-period-review', { periodId: month, corrections: [] }],
    [mgr, 'score-period', { periodId: month }],
    [appraisee, 'submit-self-assessment', { rating: 80 }],
    [mgr, 'submit-rating', { group: 'manager', rating: 80 }],
    [peers[0], 'submit-rating', { group: 'peer', rating: 80 }],
    [peers[1], 'submit-rating', { group: 'peer', rating: 80 }],
    [hr, 'score-appraisal', {}],
    [hr, 'calibrate-appraisal', { grade, reason: 'Unit calibration' }],
  ];
  for (const [actor, command, body] of steps) {
    if (command === 'score-appraisal') await f.waiveUnscored(appraisalId);
    f.ok(await f.http().post(`/appraisals/${appraisalId}/${command}`).set(actor).send(body), command);
  }
}
