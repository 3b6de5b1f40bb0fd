import { stringify as toYaml } from 'yaml';
import { tenantOnTestApi, setUpTenant, type TenantFixture } from '../../testing/tenant-fixture';
import { postSalesYaml, salesWeighing } from '../../testing/workflow-drafts';
import { WhatIfDraftResponse } from './what-if-draft.response';

/** A draft workflow applied to live appraisals: scored under the draft beside today's, nothing written. */
describe('POST /workflows/{id}/versions/what-if: a draft on chosen live appraisals', () => {
  let other: TenantFixture;
  let ann: string;
  let bob: string;

  // Sales volume weighs 70 and the others 10 each: Ann's January, 87.30 under v1, would be 89.60.
  const draft = salesWeighing((indicator) => (indicator.id === 'sales_volume' ? 70 : 10));

  const whatIf = (ids: string, body: object = { definition: draft }, headers = t.headers.owner) =>
    t.http().post(`/workflows/sales-4232/versions/what-if?appraisalIds=${ids}`).set(headers).send(body);
  /** What a what-if must leave as it was: the workflow's versions and the appraisals' revisions. */
  const written = async () => ({
    latest: (await t.http().get('/workflows/sales-4232').set(t.headers.owner)).body.latestVersion,
    ann: (await t.http().get(`/appraisals/${ann}`).set(t.headers.hr)).headers.etag,
    bob: (await t.http().get(`/appraisals/${bob}`).set(t.headers.hr)).headers.etag,
  });

  const t = tenantOnTestApi('wf-what-if');

  beforeAll(async () => {
    other = await setUpTenant(t.app, t.config, 'wf-what-if-other');
    ann = await t.appraisalOf('e-ann');
    bob = await t.appraisalOf('e-bob');
    await t.planApprovedAndMonthScored(ann, '2025-01');
  });

  it("answers each filed period's score under the draft beside today's, and writes nothing", async () => {
    const before = await written();
    const response = await whatIf(`${ann},${bob}`).expect(200);
    expect(response.body).toMatchObject({ workflowId: 'sales-4232', version: 2 });
    // The answer is the one the OpenAPI document describes (the web client's types come from it).
    expect(WhatIfDraftResponse.safeParse(response.body).error?.issues).toBeUndefined();
    const [annAnswer, bobAnswer] = response.body.appraisals;
    expect(annAnswer).toMatchObject({ appraisalId: ann, employeeId: 'e-ann', workflowVersion: 1 });
    expect(annAnswer.periods).toHaveLength(1);
    expect(annAnswer.periods[0]).toMatchObject({
      periodId: '2025-01',
      recorded: { workflowVersion: 1, score: '87.30' },
      whatIf: { workflowVersion: 2, score: '89.60' },
      difference: '2.3',
    });
    // Bob has filed nothing: no period to score, under any version.
    expect(bobAnswer).toMatchObject({ appraisalId: bob, employeeId: 'e-bob', periods: [] });
    // The same draft as YAML gives the same answer.
    const yaml = await postSalesYaml(t, `versions/what-if?appraisalIds=${ann}`, toYaml(draft), t.headers.hr);
    expect(yaml.status).toBe(200);
    expect(yaml.body.appraisals[0].periods[0].whatIf.score).toBe('89.60');
    expect(await written()).toEqual(before);
  });

  it("refuses a draft publishing would refuse, with the publish's problem and paths", async () => {
    const negative = structuredClone(draft);
    negative.scorecard.indicators[0].weight = -40;
    const refused = await whatIf(ann, { definition: negative }).expect(400);
    expect(refused.body.code).toBe('invalid-workflow-definition');
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining([expect.stringContaining('weight')]),
    );
  });

  it('names a bad list of appraisals, and finds no appraisal of another tenant', async () => {
    const none = await t.http().post('/workflows/sales-4232/versions/what-if').set(t.headers.owner).send({
      definition: draft,
    });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].path).toBe('appraisalIds');
    const many = Array.from({ length: 21 }, (_, i) => `a-${i}`).join(',');
    expect((await whatIf(many).expect(400)).body.errors[0].path).toBe('appraisalIds');
    await whatIf(`${ann},nope`).expect(404);
    // The other tenant's Ann filed nothing: its owner sees its own stream, never this tenant's January.
    const theirs = await other.appraisalOf('e-ann');
    const answer = await whatIf(theirs, { definition: draft }, other.headers.owner)
      .expect(200)
      .then((response) => response.body.appraisals[0]);
    expect(answer.periods).toEqual([]);
  });

  it('is for process owners and HR only', async () => {
    await whatIf(ann, { definition: draft }, t.headers.auditor).expect(403);
    await whatIf(ann, { definition: draft }, t.headers.mgr).expect(403);
    await whatIf(ann, { definition: draft }, t.headers.ann).expect(403);
  });
});
