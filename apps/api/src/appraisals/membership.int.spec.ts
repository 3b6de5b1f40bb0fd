import { randomUUID } from 'node:crypto';
import { joinerAppraisalId, sales4232Workflow } from '@verity/domain';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { catchUpProcessManagers } from '../../../worker/src/process-managers/testing/catch-up';
import { bearer, tokenFor } from '../testing/api-test-kit';
import { scoredAndCalibrated, setUpTenant, tenantOnTestApi } from '../testing/tenant-fixture';

/**
 * A workflow's membership rule (ADR 0146) through the HTTP API: stated and validated on publishing,
 * applied by the process manager as HR records a hire and a leaver, and a withdrawn appraisal's
 * refusals naming the rule.
 */
describe('people who join or leave during a cycle', () => {
  const membership = {
    joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 92 },
    leavers: { appraisal: 'withdraw' },
  };

  /** Dan joins sales in April, after the cycle opened. */
  const danHired = {
    command: 'HireEmployee',
    employeeId: 'e-dan',
    orgUnitId: 'sales',
    managerId: 'e-mgr',
    position: null,
    name: 'Dan',
    effectiveFrom: '2025-04-14',
  };

  const t = tenantOnTestApi(`mb${randomUUID().slice(0, 8)}`, {
    workflow: { ...sales4232Workflow, membership },
  });

  const readAppraisal = (appraisalId: string) => t.http().get(`/appraisals/${appraisalId}`).set(t.headers.hr);

  // Invalid definitions are validation errors: 400 by the one mapping of intents (problem.filter.ts).
  it.each([
    [
      { joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 365 } },
      'membership.joiners.cutoffDaysBeforeEnd',
      'cutoff-within-cycle',
    ],
    [{ joiners: { open: 'always' } }, 'membership.joiners.open', 'invalid_union'],
    [{ leavers: { appraisal: 'delete' } }, 'membership.leavers.appraisal', 'invalid_value'],
  ])('a rule that cannot hold (%j) is refused, naming the field and the rule', async (rule, path, broken) => {
    const response = await t
      .http()
      .post('/workflows/mb-wf/versions')
      .set(t.headers.owner)
      .send({ definition: { ...sales4232Workflow, membership: rule } });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ path, rule: broken }));
  });

  it('a joiner gets an appraisal with the months before the hire waived; a leaver’s is withdrawn and refuses further commands', async () => {
    await t.importDirectory([
      danHired,
      { command: 'RecordEmployeeLeft', employeeId: 'e-bob', effectiveFrom: '2025-05-31' },
    ]);
    const bob = await t.appraisalOf('e-bob');
    const dan = joinerAppraisalId(t.tenant, 'c2025', 'e-dan');
    await catchUpProcessManagers(t.app.get(EVENT_STORE), t.tenant, async () => {
      const [left, joined] = await Promise.all([readAppraisal(bob), readAppraisal(dan)]);
      return left.body.state?.status === 'withdrawn' && joined.status === 200;
    });

    const joined = (await readAppraisal(dan)).body.state;
    expect(joined.subject).toEqual({ kind: 'employee', employeeId: 'e-dan', orgUnitId: 'sales' });
    expect(
      Object.values(joined.periods as Record<string, { periodId: string; status: string }>)
        .filter((period) => period.status === 'waived')
        .map((period) => period.periodId),
    ).toEqual(['2025-01', '2025-02', '2025-03']);

    const left = (await readAppraisal(bob)).body.state;
    expect(left.withdrawal).toEqual({ cause: 'employee-left', effectiveFrom: '2025-05-31' });
    expect(Object.values(left.steps as Record<string, { open: boolean }>).some((step) => step.open)).toBe(
      false,
    );

    const refused = await t
      .http()
      .post(`/appraisals/${bob}/submit-plan`)
      .set(t.headers.bob)
      .send({ targets: [{ indicatorId: 'sales_volume', threshold: 800, target: 1000, stretch: 1200 }] });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'appraisal-withdrawn' });
    expect(JSON.stringify(refused.body)).toContain('membership.leavers');
  });

  it("a joiner's grade counts in the unit's blocking forced distribution", async () => {
    // At most half of the unit graded B: Ann's B alone is 1 of 1; with Dan, the joiner, graded C, 1 of 2.
    const f = await setUpTenant(t.app, t.config, `mbfd${randomUUID().slice(0, 8)}`, {
      workflow: {
        ...sales4232Workflow,
        membership,
        forcedDistribution: [{ grade: 'B', max: 50 }],
        forcedDistributionEnforcement: 'block',
      },
    });
    await f.importDirectory([danHired]);
    const dan = joinerAppraisalId(f.tenant, 'c2025', 'e-dan');
    await catchUpProcessManagers(
      t.app.get(EVENT_STORE),
      f.tenant,
      async () => (await f.http().get(`/appraisals/${dan}`).set(f.headers.hr)).status === 200,
    );
    const danHeader = bearer(
      await tokenFor(t.config, { role: 'employee', tenant: f.tenant, employeeId: 'e-dan', sub: 'e-dan' }),
    );
    const peers: [Record<string, string>, Record<string, string>] = [f.headers.bob, f.headers.cai];
    const ann = await f.appraisalOf('e-ann');
    await scoredAndCalibrated(f, ann, { appraisee: f.headers.ann, peers }, { month: '2025-01', grade: 'B' });
    const alone = await f.http().post(`/appraisals/${ann}/finalize-appraisal`).set(f.headers.hr).send({});
    expect(alone.status).toBe(422);
    expect(alone.body).toMatchObject({ code: 'forced-distribution-violated' });
    await scoredAndCalibrated(f, dan, { appraisee: danHeader, peers }, { month: '2025-04', grade: 'C' });
    f.ok(
      await f.http().post(`/appraisals/${ann}/finalize-appraisal`).set(f.headers.hr).send({}),
      'finalize ann',
    );
  });
});
