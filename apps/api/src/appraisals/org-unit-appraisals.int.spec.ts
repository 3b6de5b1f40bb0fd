import type { INestApplication } from '@nestjs/common';
import type { Config } from '@verity/platform';
import { startTestApi } from '../testing/api-test-kit';
import { setUpTenant, type TenantFixture } from '../testing/tenant-fixture';

/**
 * An org unit's appraisal: Mgr heads sales (his manager, Boss, works in HQ), Boss heads HQ, sales's
 * parent. Mgr acts for sales; Boss assesses it; nobody else does either.
 */
describe("an org unit's appraisal", () => {
  let app: INestApplication;
  let config: Config;
  let t: TenantFixture;

  beforeAll(async () => {
    ({ app, config } = await startTestApi());
    t = await setUpTenant(app, config, 'org-unit-appraisals');
  });
  afterAll(() => app.close());

  it("is planned by the unit's head and approved by the parent unit's head", async () => {
    // The unit's appraisal follows the cycle's dates and periods, like its people's.
    const employees = (
      await t
        .http()
        .get(`/appraisals/${await t.appraisalOf('e-ann')}`)
        .set(t.headers.hr)
    ).body.state;
    const id = 'a-2025-sales';
    t.ok(
      await t
        .http()
        .post('/appraisals')
        .set(t.headers.hr)
        .send({
          appraisalId: id,
          cycleId: 'c2025',
          subject: { kind: 'org-unit', orgUnitId: 'sales' },
          workflowId: 'sales-4232',
          workflowVersion: 1,
          cycleStartsAt: employees.cycleStartsAt,
          cycleEndsAt: employees.cycleEndsAt,
          periods: employees.periodOrder.map((periodId: string) => {
            const { startsAt, endsAt } = employees.periods[periodId];
            return { periodId, startsAt, endsAt };
          }),
        }),
      'open the unit appraisal',
    );
    const post = (who: keyof TenantFixture['headers'], command: string) =>
      t.http().post(`/appraisals/${id}/${command}`).set(t.headers[who]).send({});

    for (const who of ['ann', 'boss', 'zed'] as const)
      expect((await post(who, 'submit-plan')).status).toBe(403);
    t.ok(await post('mgr', 'submit-plan'), 'the head of sales submits the plan');
    for (const who of ['mgr', 'ann', 'zed'] as const)
      expect((await post(who, 'approve-plan')).status).toBe(403);
    t.ok(await post('boss', 'approve-plan'), 'the head of HQ approves it');
    const state = (await t.http().get(`/appraisals/${id}`).set(t.headers.hr)).body.state;
    expect(state).toMatchObject({ status: 'in-progress', plan: { status: 'approved' } });
  });
});
