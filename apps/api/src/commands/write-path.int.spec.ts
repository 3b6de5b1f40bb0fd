import request from 'supertest';
import { decideAppraisal, evolveAppraisal, initialAppraisalState } from '@verity/domain';
import { tenantOnTestApi } from '../testing/tenant-fixture';
import { burst } from '../testing/burst';
import { toProblem } from '../errors/problem.filter';
import { CommandExecutor } from './command-executor';
import { PinnedWorkflows } from '../workflows/pinned-workflows';

describe('write path: ETag/If-Match, concurrency, idempotency (directory import, definitions and cycles: write-path-definitions)', () => {
  const t = tenantOnTestApi('write');

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
        t.app.getHttpServer(),
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
      t.app.getHttpServer(),
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
    const executor = t.app.get(CommandExecutor);
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
        relationOf: barrier,
        extraContext: async () => ({
          workflow: await t.app.get(PinnedWorkflows).pinned(t.tenant, 'sales-4232', 1),
        }),
      });
    const results = await Promise.allSettled([annotate('one'), annotate('two')]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(toProblem(refused.reason)).toMatchObject({ status: 409, code: 'wrong-expected-revision' });
  });

  it('a request decided again after the API died between its append and its stored response appends nothing twice', async () => {
    const id = bobAppraisal;
    const executor = t.app.get(CommandExecutor);
    const hr = { tenantId: t.tenant, subject: 'hr-y', role: 'hr' as const, scopes: [], via: 'jwt' as const };
    // The same request twice, as the client's retry reaches a fresh API with no stored response.
    const annotate = () =>
      executor.execute({
        streamId: `appraisal-${t.tenant}.${id}`,
        decider: { decide: decideAppraisal, evolve: evolveAppraisal, initialState: initialAppraisalState },
        command: { type: 'AddAnnotation', data: { appraisalId: id, on: {}, text: 'once only' } },
        envelope: { principal: hr, correlationId: 'retry', idempotencyKey: 'client-key-17' },
        relationOf: async () => 'none' as const,
        extraContext: async () => ({
          workflow: await t.app.get(PinnedWorkflows).pinned(t.tenant, 'sales-4232', 1),
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
    /** HR annotates the appraisal on the condition that its revision is `ifMatch`. */
    const annotateIf = (ifMatch: string, text: string) =>
      t
        .http()
        .post(`/appraisals/${id}/annotations`)
        .set(t.headers.hr)
        .set('If-Match', ifMatch)
        .send({ text });
    const stale = await annotateIf('"0"', 'stale');
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition-failed');
    expect(await revisionOf(`/appraisals/${id}`)).toBe(etag);
    const fresh = await annotateIf(etag, 'fresh');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe(`"${BigInt(JSON.parse(etag)) + 1n}"`);
    const garbage = await annotateIf('yesterday', 'x');
    expect(garbage.status).toBe(400);
  });

  it('a POST retried with its Idempotency-Key after the client gave up records one set of events', async () => {
    const id = await t.appraisalOf('e-ann');
    const key = `submit-${id}`;
    const body = { actions: [] };
    const submitWithKey = () =>
      t.http().post(`/appraisals/${id}/submit-plan`).set(t.headers.ann).set('Idempotency-Key', key);
    // The client gives up after 1 ms; the server still completes the command.
    await expect(submitWithKey().timeout(1).send(body)).rejects.toThrow(/timeout/i);
    // The retry either replays the first response (the server finished it) or, if the server never
    // saw the first, runs it now; a third send is then certainly a replay of the same response.
    const retried = await submitWithKey().send(body);
    expect(retried.status).toBe(200);
    expect(retried.headers.etag).toBe(`"${retried.body.revision}"`);
    const again = await submitWithKey().send(body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.status).toBe(200);
    expect(again.headers.etag).toBe(retried.headers.etag);
    expect(again.body).toEqual(retried.body);
    expect((await appraisalEvents(id)).filter((event) => event.type === 'PlanSubmitted')).toHaveLength(1);
    const reused = await submitWithKey().send({ targets: [] });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency-key-reused');
  });

  it('answers problem+json for unknown routes and keeps the tenant from the credential only', async () => {
    const unknown = await request(t.app.getHttpServer()).get('/no-such-route');
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
