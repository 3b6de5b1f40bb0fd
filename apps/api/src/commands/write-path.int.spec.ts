import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { stringify as toYaml } from 'yaml';
import { decideAppraisal, evolveAppraisal, initialAppraisalState, sales4232Workflow } from '@verity/domain';
import type { Config } from '@verity/platform';
import { startTestApi } from '../testing/api-test-kit';
import { setUpTenant, type TenantFixture } from '../testing/tenant-fixture';
import { burst } from '../testing/burst';
import { toProblem } from '../errors/problem.filter';
import { CommandExecutor } from './command-executor';
import { PinnedWorkflows } from './pinned-workflows';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { catchUpProcessManagers } from '../../../worker/src/process-managers/testing/catch-up';

describe('write path: ETag/If-Match, concurrency, idempotency, directory import, definitions, cycles', () => {
  let app: INestApplication;
  let config: Config;
  let t: TenantFixture;

  beforeAll(async () => {
    ({ app, config } = await startTestApi());
    t = await setUpTenant(app, config, 'write');
  });
  afterAll(() => app.close());

  const revisionOf = async (path: string) => (await t.http().get(path).set(t.headers.hr)).headers.etag;
  const appraisalEvents = async (id: string) =>
    (await t.http().get(`/appraisals/${id}/events?limit=500`).set(t.headers.hr)).body.items as {
      type: string;
    }[];

  let bobAppraisal: string;

  it('20 parallel approvals of one plan: one succeeds, the others are refused (409 or 422), one PlanApproved', async () => {
    const id = (bobAppraisal = await t.appraisalOf('e-bob'));
    expect((await t.http().post(`/appraisals/${id}/submit-plan`).set(t.headers.bob).send({})).status).toBe(
      200,
    );
    const approve = (headers: Record<string, string>) =>
      burst(
        app.getHttpServer(),
        Array.from({ length: 20 }, () => ({
          method: 'POST',
          path: `/appraisals/${id}/approve-plan`,
          headers,
          body: {},
        })),
      );
    const responses = await approve(t.headers.mgr);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    // A loser that loaded before the winner appended lost the append race (409); one that loaded
    // after it finds the plan approved (the domain's 422). Which happens depends on timing.
    for (const loser of responses.filter((response) => response.status !== 200)) {
      expect([409, 422]).toContain(loser.status);
      expect(loser.body).toMatchObject({
        code: loser.status === 409 ? 'wrong-expected-revision' : 'appraisal-in-progress',
      });
    }
    expect((await appraisalEvents(id)).filter((event) => event.type === 'PlanApproved')).toHaveLength(1);
  });

  it('text the schema lets through but the store cannot keep (a NUL character) is a 400, and nothing is written', async () => {
    const id = bobAppraisal;
    const before = await revisionOf(`/appraisals/${id}`);
    const response = await t
      .http()
      .post(`/appraisals/${id}/annotations`)
      .set(t.headers.mgr)
      .send({ text: 'before\u0000after' });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message ?? response.body.detail).toMatch(/NUL/);
    expect(await revisionOf(`/appraisals/${id}`)).toBe(before);
  });

  it('20 parallel approvals sent with the If-Match the clients read: one succeeds, 19 get 412', async () => {
    const id = await t.appraisalOf('e-cai');
    const submitted = await t.http().post(`/appraisals/${id}/submit-plan`).set(t.headers.cai).send({});
    const responses = await burst(
      app.getHttpServer(),
      Array.from({ length: 20 }, () => ({
        method: 'POST',
        path: `/appraisals/${id}/approve-plan`,
        headers: { ...t.headers.mgr, 'If-Match': submitted.headers.etag },
        body: {},
      })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(412)]);
    expect((await appraisalEvents(id)).filter((event) => event.type === 'PlanApproved')).toHaveLength(1);
  });

  it('two writers that loaded the same revision: the second append is refused, and the API answers 409', async () => {
    const id = bobAppraisal;
    const executor = app.get(CommandExecutor);
    const hr = {
      tenantId: t.tenant,
      subject: 'hr-x',
      role: 'hr' as const,
      scopes: [],
      via: 'jwt' as const,
    };
    // Both executions wait for each other after loading, so both append expecting the same revision.
    let arrived = 0;
    let release!: () => void;
    const bothLoaded = new Promise<void>((resolve) => (release = resolve));
    const barrier = async () => {
      if (++arrived === 2) release();
      await bothLoaded;
      return 'none' as const;
    };
    const annotate = (text: string) =>
      executor.execute({
        streamId: `appraisal-${t.tenant}.${id}`,
        decider: { decide: decideAppraisal, evolve: evolveAppraisal, initialState: initialAppraisalState },
        command: { type: 'AddAnnotation', data: { appraisalId: id, on: {}, text } },
        envelope: { principal: hr, correlationId: `race-${text}` },
        schemaVersionOf: () => 1,
        relationOf: barrier,
        extraContext: async () => ({
          workflow: await app.get(PinnedWorkflows).pinned(t.tenant, 'sales-4232', 1),
        }),
      });
    const results = await Promise.allSettled([annotate('one'), annotate('two')]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(toProblem(refused.reason)).toMatchObject({ status: 409, code: 'wrong-expected-revision' });
  });

  it('a request decided again after the API died between its append and its stored response appends nothing twice', async () => {
    const id = bobAppraisal;
    const executor = app.get(CommandExecutor);
    const hr = { tenantId: t.tenant, subject: 'hr-y', role: 'hr' as const, scopes: [], via: 'jwt' as const };
    // The same request twice, as the client's retry reaches a fresh API with no stored response.
    const annotate = () =>
      executor.execute({
        streamId: `appraisal-${t.tenant}.${id}`,
        decider: { decide: decideAppraisal, evolve: evolveAppraisal, initialState: initialAppraisalState },
        command: { type: 'AddAnnotation', data: { appraisalId: id, on: {}, text: 'once only' } },
        envelope: { principal: hr, correlationId: 'retry', idempotencyKey: 'client-key-17' },
        schemaVersionOf: () => 1,
        relationOf: async () => 'none' as const,
        extraContext: async () => ({
          workflow: await app.get(PinnedWorkflows).pinned(t.tenant, 'sales-4232', 1),
        }),
      });
    const first = await annotate();
    const retried = await annotate();
    expect(retried.events).toEqual(first.events);
    const annotations = (await appraisalEvents(id)).filter(
      (event) => event.type === 'AnnotationAdded' && JSON.stringify(event).includes('once only'),
    );
    expect(annotations).toHaveLength(1);
  });

  it('If-Match: a stale revision gets 412 and changes nothing; the current one applies', async () => {
    const id = await t.appraisalOf('e-mgr');
    const etag = await revisionOf(`/appraisals/${id}`);
    const stale = await t
      .http()
      .post(`/appraisals/${id}/annotations`)
      .set(t.headers.hr)
      .set('If-Match', '"0"')
      .send({ text: 'stale' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition-failed');
    expect(await revisionOf(`/appraisals/${id}`)).toBe(etag);
    const fresh = await t
      .http()
      .post(`/appraisals/${id}/annotations`)
      .set(t.headers.hr)
      .set('If-Match', etag)
      .send({ text: 'fresh' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe(`"${BigInt(JSON.parse(etag)) + 1n}"`);
    const garbage = await t
      .http()
      .post(`/appraisals/${id}/annotations`)
      .set(t.headers.hr)
      .set('If-Match', 'yesterday')
      .send({ text: 'x' });
    expect(garbage.status).toBe(400);
  });

  it('a POST retried with its Idempotency-Key after the client gave up records one set of events', async () => {
    const id = await t.appraisalOf('e-ann');
    const key = `submit-${id}`;
    const body = { actions: [] };
    // The client gives up after 1 ms; the server still completes the command.
    await expect(
      t
        .http()
        .post(`/appraisals/${id}/submit-plan`)
        .set(t.headers.ann)
        .set('Idempotency-Key', key)
        .timeout(1)
        .send(body),
    ).rejects.toThrow(/timeout/i);
    // The retry either replays the first response (the server finished it) or, if the server never
    // saw the first, runs it now; a third send is then certainly a replay of the same response.
    const retried = await t
      .http()
      .post(`/appraisals/${id}/submit-plan`)
      .set(t.headers.ann)
      .set('Idempotency-Key', key)
      .send(body);
    expect(retried.status).toBe(200);
    expect(retried.headers.etag).toBe(`"${retried.body.revision}"`);
    const again = await t
      .http()
      .post(`/appraisals/${id}/submit-plan`)
      .set(t.headers.ann)
      .set('Idempotency-Key', key)
      .send(body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.status).toBe(200);
    expect(again.headers.etag).toBe(retried.headers.etag);
    expect(again.body).toEqual(retried.body);
    expect((await appraisalEvents(id)).filter((event) => event.type === 'PlanSubmitted')).toHaveLength(1);
    const reused = await t
      .http()
      .post(`/appraisals/${id}/submit-plan`)
      .set(t.headers.ann)
      .set('Idempotency-Key', key)
      .send({ targets: [] });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency-key-reused');
  });

  it('directory import: a half-valid CSV imports nothing and names each bad row; a valid one imports all', async () => {
    const before = await revisionOf('/directory');
    const csv = [
      'command,orgUnitId,parentId,kind,name,employeeId,managerId,effectiveFrom',
      'CreateOrgUnit,north,hq,branch,North,,,2025-02-01',
      'HireEmployee,north,,,Dan,e-dan,e-boss,2025-02-01',
      'HireEmployee,north,,,Eve,e-eve,e-boss,not-a-date',
      'FireEveryone,,,,,,,2025-02-01',
    ].join('\n');
    const rejected = await t
      .http()
      .post('/directory/import')
      .set(t.headers.hr)
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(rejected.status).toBe(400);
    expect(rejected.body.code).toBe('invalid-import');
    expect(rejected.body.errors).toEqual([
      expect.objectContaining({ row: 3, path: 'effectiveFrom' }),
      expect.objectContaining({ row: 4, path: 'command' }),
    ]);
    expect(await revisionOf('/directory')).toBe(before);

    // Schema-valid but refused by the domain (unknown manager): 422 per row, still nothing imported.
    const unknownManager = csv.split('\n').slice(0, 3).join('\n').replace('e-boss', 'e-nobody');
    const refused = await t
      .http()
      .post('/directory/import')
      .set(t.headers.hr)
      .set('Content-Type', 'text/csv')
      .send(unknownManager);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ row: 2 });
    expect(await revisionOf('/directory')).toBe(before);

    const valid = csv.split('\n').slice(0, 3).join('\n');
    const imported = await t
      .http()
      .post('/directory/import')
      .set(t.headers.hr)
      .set('Content-Type', 'text/csv')
      .send(valid);
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
        { orgUnitId: 'south', kind: 'branch', parentId: 'sales', name: 'South branch' },
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
    const published = await t
      .http()
      .post('/workflows/sales-4232/versions?expectedVersion=1')
      .set(t.headers.owner)
      .set('Content-Type', 'application/yaml')
      .send(yaml);
    expect(published.status).toBe(200);
    const invalid = {
      ...sales4232Workflow,
      scorecard: {
        ...sales4232Workflow.scorecard,
        indicators: sales4232Workflow.scorecard.indicators.map((indicator, index) =>
          index === 0 ? { ...indicator, weight: -40 } : indicator,
        ),
      },
    };
    const refused = await t
      .http()
      .post('/workflows/sales-4232/versions')
      .set(t.headers.owner)
      .send({ definition: invalid });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('invalid-workflow-definition');
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining([expect.stringContaining('weight')]),
    );
    const badYaml = await t
      .http()
      .post('/workflows/sales-4232/versions')
      .set(t.headers.owner)
      .set('Content-Type', 'application/yaml')
      .send('name: [unclosed');
    expect(badYaml.status).toBe(400);
    expect(badYaml.body.code).toBe('malformed-body');
    const stale = await t
      .http()
      .post('/workflows/sales-4232/versions')
      .set(t.headers.owner)
      .send({ definition: sales4232Workflow, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('workflow-version-conflict');

    const summary = await t.http().get('/workflows/sales-4232').set(t.headers.mgr);
    expect(summary.body).toMatchObject({ latestVersion: 2, versions: [1, 2], status: 'active' });
    const diff = await t.http().get('/workflows/sales-4232/diff?from=1&to=2').set(t.headers.owner);
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([
      { path: 'name', op: 'changed', from: sales4232Workflow.name, to: 'Sales (YAML)' },
    ]);
    expect((await t.http().get('/workflows/sales-4232/diff?from=1&to=9').set(t.headers.owner)).status).toBe(
      404,
    );
    expect((await t.http().get('/workflows/sales-4232/diff?from=x&to=2').set(t.headers.owner)).status).toBe(
      400,
    );
    expect(
      (
        await t
          .http()
          .post('/workflows/sales-4232/versions')
          .set(t.headers.mgr)
          .send({ definition: sales4232Workflow })
      ).status,
    ).toBe(403);

    const template = await t
      .http()
      .post('/scorecard-templates/sales-card/versions')
      .set(t.headers.owner)
      .send({ definition: sales4232Workflow.scorecard });
    expect(template.status).toBe(201);
    expect(
      (await t.http().get('/scorecard-templates/sales-card/versions/1').set(t.headers.owner)).status,
    ).toBe(200);
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
    const publish = await t
      .http()
      .post('/workflows/hq-flow/versions')
      .set(t.headers.owner)
      .send({ definition: sales4232Workflow });
    expect(publish.status).toBe(201);
    const opened = await t
      .http()
      .post('/cycles')
      .set(t.headers.hr)
      .send({
        cycleId: 'hq-2025',
        name: 'HQ 2025',
        year: 2025,
        workflowId: 'hq-flow',
        workflowVersion: 1,
        subjects: [{ kind: 'employee', employeeId: 'e-zed', orgUnitId: 'hq' }],
      });
    expect(opened.status).toBe(201);
    expect(opened.headers.etag).toBe('"0"');
    const both = await t
      .http()
      .post('/cycles')
      .set(t.headers.hr)
      .send({
        cycleId: 'x',
        name: 'x',
        year: 2025,
        workflowId: 'hq-flow',
        workflowVersion: 1,
        subjects: [],
        orgUnitIds: ['hq'],
      });
    expect(both.status).toBe(400);
    const cycle = await t.http().get('/cycles/hq-2025').set(t.headers.hr);
    expect(cycle.body.appraisalIds).toHaveLength(1);
    // The appraisal is opened after the cycle, by the worker's process manager: the cycle says so.
    expect(cycle.body.opening).toEqual({ opened: 0, of: 1, done: false, progress: 'opening 0 of 1' });
    const opening = async () => (await t.http().get('/cycles/hq-2025').set(t.headers.hr)).body.opening;
    await catchUpProcessManagers(app.get(EVENT_STORE), t.tenant, async () => (await opening()).done);
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
    expect(
      (await t.http().post('/workflows/h2-flow/versions').set(t.headers.owner).send({ definition: halfYear }))
        .status,
    ).toBe(201);
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
    const open = (cycleId: string, half?: 1 | 2) =>
      t
        .http()
        .post('/cycles')
        .set(t.headers.hr)
        .send({
          cycleId,
          name: cycleId,
          year: 2025,
          ...(half ? { half } : {}),
          workflowId: 'h2-flow',
          workflowVersion: 1,
          orgUnitIds: ['sales'],
        });
    expect((await open('sales-2025-h1', 1)).status).toBe(201);
    expect((await open('sales-2025-h2', 2)).status).toBe(201);
    const subjectsOf = async (cycleId: string) =>
      (
        (await t.http().get(`/cycles/${cycleId}`).set(t.headers.hr)).body.opened.appraisals as {
          subject: { employeeId: string };
        }[]
      ).map((appraisal) => appraisal.subject.employeeId);
    expect(await subjectsOf('sales-2025-h1')).not.toContain('e-june');
    expect(await subjectsOf('sales-2025-h2')).toContain('e-june');
  });

  it('answers problem+json for unknown routes and keeps the tenant from the credential only', async () => {
    const unknown = await request(app.getHttpServer()).get('/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    // A tenant named in the body is refused (unknown field), never used.
    const sneaky = await t.http().post('/directory/org-units').set(t.headers.hr).send({
      orgUnitId: 'x1',
      parentId: 'hq',
      kind: 'team',
      name: 'X',
      effectiveFrom: '2025-01-01',
      tenantId: 'other',
    });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.errors[0]).toMatchObject({ rule: 'unrecognized_keys' });
  });
});
