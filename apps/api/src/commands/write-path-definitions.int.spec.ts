import { stringify as toYaml } from 'yaml';
import { sales4232Workflow } from '@verity/domain';
import { CycleResponse } from '../cycles/read-cycle/cycle.response';
import {
  DefinitionDiffResponse,
  DefinitionSummaryResponse,
  ScorecardTemplateVersionResponse,
  WorkflowVersionResponse,
} from '../workflows/read-workflow/workflow.response';
import { tenantOnTestApi } from '../testing/tenant-fixture';
import { postSalesYaml, salesWeighing } from '../testing/workflow-drafts';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { catchUpProcessManagers } from '../../../worker/src/process-managers/testing/catch-up';

describe('write path: directory import, definitions, cycles', () => {
  const t = tenantOnTestApi('write');

  const revisionOf = async (path: string) => (await t.http().get(path).set(t.headers.hr)).headers.etag;
  /** Publishes a version of `workflowId` (as the process owner unless told); the response as it is. */
  const publish = (workflowId: string, body: object, as = t.headers.owner) =>
    t.http().post(`/workflows/${workflowId}/versions`).set(as).send(body);
  /** Opens a cycle of version 1 of `workflowId` as HR; the response as it is. */
  const openCycle = (workflowId: string, cycle: object) =>
    t
      .http()
      .post('/cycles')
      .set(t.headers.hr)
      .send({ year: 2025, workflowId, workflowVersion: 1, ...cycle });

  it('directory import: a half-valid CSV imports nothing and names each bad row; a valid one imports all', async () => {
    const before = await revisionOf('/directory');
    const csv = [
      'command,orgUnitId,parentId,kind,name,employeeId,managerId,effectiveFrom',
      'CreateOrgUnit,north,hq,branch,North,,,2025-02-01',
      'HireEmployee,north,,,Dan,e-dan,e-boss,2025-02-01',
      'HireEmployee,north,,,Eve,e-eve,e-boss,not-a-date',
      'FireEveryone,,,,,,,2025-02-01',
    ].join('\n');
    const rejected = await t.postFile('/directory/import', t.headers.hr, 'text/csv', csv);
    expect(rejected.status).toBe(400);
    expect(rejected.body.code).toBe('invalid-import');
    expect(rejected.body.errors).toEqual([
      expect.objectContaining({ row: 3, path: 'effectiveFrom' }),
      expect.objectContaining({ row: 4, path: 'command' }),
    ]);
    expect(await revisionOf('/directory')).toBe(before);

    // Schema-valid but refused by the domain (unknown manager): 422 per row, still nothing imported.
    const unknownManager = csv.split('\n').slice(0, 3).join('\n').replace('e-boss', 'e-nobody');
    const refused = await t.postFile('/directory/import', t.headers.hr, 'text/csv', unknownManager);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ row: 2 });
    expect(await revisionOf('/directory')).toBe(before);

    const valid = csv.split('\n').slice(0, 3).join('\n');
    const imported = await t.postFile('/directory/import', t.headers.hr, 'text/csv', valid);
    expect(imported.status).toBe(200);
    expect(imported.body.imported).toBe(2);
    const dan = await t.http().get('/directory/employees/e-dan').set(t.headers.hr);
    expect(dan.body).toMatchObject({ orgUnitId: 'north', managerId: 'e-boss' });
    expect((await t.http().post('/directory/import').set(t.headers.mgr).send({ rows: [] })).status).toBe(403);
  });

  it('directory commands one by one; reads as of a date', async () => {
    const moved = await t
      .http()
      .post('/directory/employees/e-dan/transfer')
      .set(t.headers.hr)
      .send({ orgUnitId: 'sales', effectiveFrom: '2025-06-01' });
    expect(moved.status).toBe(200);
    expect(
      (await t.http().get('/directory/employees/e-dan?asOf=2025-03-01').set(t.headers.hr)).body.orgUnitId,
    ).toBe('north');
    expect(
      (await t.http().get('/directory/employees/e-dan?asOf=2025-07-01').set(t.headers.hr)).body.orgUnitId,
    ).toBe('sales');
    for (const [path, body] of [
      [
        '/directory/org-units',
        { orgUnitId: 'south', parentId: 'hq', kind: 'branch', name: 'South', effectiveFrom: '2025-02-01' },
      ],
      ['/directory/org-units/south/rename', { name: 'South branch', effectiveFrom: '2025-03-01' }],
      ['/directory/org-units/south/move', { parentId: 'sales', effectiveFrom: '2025-04-01' }],
      [
        '/directory/employees',
        {
          employeeId: 'e-fay',
          orgUnitId: 'south',
          managerId: 'e-boss',
          name: 'Fay',
          effectiveFrom: '2025-02-01',
        },
      ],
      ['/directory/employees/e-fay/manager', { managerId: 'e-zed', effectiveFrom: '2025-05-01' }],
      ['/directory/employees/e-fay/process-owner', { process: 'sales-4232', effectiveFrom: '2025-05-01' }],
      ['/directory/employees/e-fay/leave', { effectiveFrom: '2025-09-30' }],
    ] as const) {
      const response = await t.http().post(path).set(t.headers.hr).send(body);
      expect({
        path,
        status: response.status,
        body: response.status === 200 ? null : response.body,
      }).toEqual({ path, status: 200, body: null });
    }
    const directory = await t.http().get('/directory?asOf=2025-05-15').set(t.headers.hr);
    expect(directory.body.orgUnits).toEqual(
      expect.arrayContaining([
        { orgUnitId: 'south', kind: 'branch', parentId: 'sales', name: 'South branch', headId: 'e-fay' },
      ]),
    );
    // Names are personal data: HR reads them, the process owner does not (ADR 0122).
    expect(directory.body.employees).toEqual(
      expect.arrayContaining([expect.objectContaining({ employeeId: 'e-fay', name: 'Fay' })]),
    );
    const asOwner = await t.http().get('/directory?asOf=2025-05-15').set(t.headers.owner);
    expect(JSON.stringify(asOwner.body)).not.toContain('Fay');
  });

  it('workflow versions: YAML publish, domain validation messages with paths, optimistic version, diff, retire', async () => {
    const yaml = toYaml({ ...sales4232Workflow, name: 'Sales (YAML)' });
    const published = await postSalesYaml(t, 'versions?expectedVersion=1', yaml);
    expect(published.status).toBe(200);
    const invalid = salesWeighing((indicator, index) => (index === 0 ? -40 : indicator.weight));
    const refused = await publish('sales-4232', { definition: invalid });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('invalid-workflow-definition');
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining([expect.stringContaining('weight')]),
    );
    const badYaml = await postSalesYaml(t, 'versions', 'name: [unclosed');
    expect(badYaml.status).toBe(400);
    expect(badYaml.body.code).toBe('malformed-body');
    const stale = await publish('sales-4232', { definition: sales4232Workflow, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('workflow-version-conflict');

    const summary = await t.http().get('/workflows/sales-4232').set(t.headers.mgr);
    expect(summary.body).toMatchObject({ latestVersion: 2, versions: [1, 2], status: 'active' });
    const diff = await t.http().get('/workflows/sales-4232/diff?from=1&to=2').set(t.headers.owner);
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([
      { path: 'name', op: 'changed', from: sales4232Workflow.name, to: 'Sales (YAML)' },
    ]);
    // Both answers are the ones the OpenAPI document describes (the web client's types come from it).
    expect(DefinitionSummaryResponse.safeParse(summary.body).error?.issues).toBeUndefined();
    expect(DefinitionDiffResponse.safeParse(diff.body).error?.issues).toBeUndefined();
    // The version's definition is the domain's schema, which drops unknown keys: parsed, it loses nothing.
    const version = await t.http().get('/workflows/sales-4232/versions/2').set(t.headers.mgr);
    expect(WorkflowVersionResponse.parse(version.body)).toEqual(version.body);
    expect((await t.http().get('/workflows/sales-4232/diff?from=1&to=9').set(t.headers.owner)).status).toBe(
      404,
    );
    expect((await t.http().get('/workflows/sales-4232/diff?from=x&to=2').set(t.headers.owner)).status).toBe(
      400,
    );
    expect((await publish('sales-4232', { definition: sales4232Workflow }, t.headers.mgr)).status).toBe(403);

    const template = await t
      .http()
      .post('/scorecard-templates/sales-card/versions')
      .set(t.headers.owner)
      .send({ definition: sales4232Workflow.scorecard });
    expect(template.status).toBe(201);
    const templateVersion = await t
      .http()
      .get('/scorecard-templates/sales-card/versions/1')
      .set(t.headers.owner);
    expect(templateVersion.status).toBe(200);
    expect(ScorecardTemplateVersionResponse.parse(templateVersion.body)).toEqual(templateVersion.body);
    expect(
      (await t.http().get('/scorecard-templates/sales-card').set(t.headers.owner)).body.latestVersion,
    ).toBe(1);

    expect(
      (await t.http().post('/workflows/sales-4232/retire').set(t.headers.owner).send({ reason: 'replaced' }))
        .status,
    ).toBe(200);
    expect((await t.http().post('/workflows/sales-4232/retire').set(t.headers.owner).send({})).status).toBe(
      422,
    );
    expect((await t.http().post('/workflows/no-such/retire').set(t.headers.owner).send({})).status).toBe(404);
  });

  it('cycles: explicit subjects, scope resolution, close', async () => {
    const published = await publish('hq-flow', { definition: sales4232Workflow });
    expect(published.status).toBe(201);
    const opened = await openCycle('hq-flow', {
      cycleId: 'hq-2025',
      name: 'HQ 2025',
      subjects: [{ kind: 'employee', employeeId: 'e-zed', orgUnitId: 'hq' }],
    });
    expect(opened.status).toBe(201);
    expect(opened.headers.etag).toBe('"0"');
    const both = await openCycle('hq-flow', { cycleId: 'x', name: 'x', subjects: [], orgUnitIds: ['hq'] });
    expect(both.status).toBe(400);
    const cycle = await t.http().get('/cycles/hq-2025').set(t.headers.hr);
    expect(cycle.body.appraisalIds).toHaveLength(1);
    // The appraisal is opened after the cycle, by the worker's process manager: the cycle says so.
    expect(cycle.body.opening).toEqual({ opened: 0, of: 1, done: false, progress: 'opening 0 of 1' });
    const opening = async () => (await t.http().get('/cycles/hq-2025').set(t.headers.hr)).body.opening;
    await catchUpProcessManagers(t.app.get(EVENT_STORE), t.tenant, async () => (await opening()).done);
    expect(await opening()).toEqual({
      opened: 1,
      of: 1,
      done: true,
      progress: 'opened 1 of 1',
    });
    expect((await t.http().post('/cycles/hq-2025/close').set(t.headers.hr).send({})).status).toBe(200);
    expect((await t.http().get('/cycles/hq-2025').set(t.headers.hr)).body.status).toBe('closed');
    expect((await t.http().post('/cycles/hq-2025/close').set(t.headers.ann).send({})).status).toBe(403);
  });

  it('a second-half cycle takes in the people of its units on 1 July, not on 1 January', async () => {
    const halfYear = { ...sales4232Workflow, cadence: { cycle: 'half-year', period: 'month' } };
    expect((await publish('h2-flow', { definition: halfYear })).status).toBe(201);
    const hired = await t
      .http()
      .post('/directory/import')
      .set(t.headers.hr)
      .send({
        rows: [
          {
            command: 'HireEmployee',
            employeeId: 'e-june',
            orgUnitId: 'sales',
            managerId: 'e-mgr',
            position: null,
            name: 'June',
            effectiveFrom: '2025-06-01',
          },
        ],
      });
    expect(hired.status).toBeLessThan(300);
    const open = (cycleId: string, half: 1 | 2) =>
      openCycle('h2-flow', { cycleId, name: cycleId, half, orgUnitIds: ['sales'] });
    expect((await open('sales-2025-h1', 1)).status).toBe(201);
    expect((await open('sales-2025-h2', 2)).status).toBe(201);
    const subjectsOf = async (cycleId: string) => {
      const { body } = await t.http().get(`/cycles/${cycleId}`).set(t.headers.hr);
      // The answer is what the OpenAPI document (and the web app's generated types) says it is.
      expect(CycleResponse.safeParse(body).error?.issues).toBeUndefined();
      return (body.opened.appraisals as { subject: { employeeId: string } }[]).map(
        (appraisal) => appraisal.subject.employeeId,
      );
    };
    expect(await subjectsOf('sales-2025-h1')).not.toContain('e-june');
    expect(await subjectsOf('sales-2025-h2')).toContain('e-june');
  });
});
