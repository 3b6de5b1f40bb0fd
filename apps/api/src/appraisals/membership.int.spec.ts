import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { joinerAppraisalId, sales4232Workflow } from '@verity/domain';
import type { Config } from '@verity/platform';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { catchUpProcessManagers } from '../../../worker/src/process-managers/testing/catch-up';
import { startTestApi } from '../testing/api-test-kit';
import { setUpTenant, type TenantFixture } from '../testing/tenant-fixture';

/**
 * A workflow's membership rule (ADR 0146) through the HTTP API: stated and validated on publishing,
 * applied by the process manager as HR records a hire and a leaver, and a withdrawn appraisal's
 * refusals naming the rule.
 */
describe('people who join or leave during a cycle', () => {
  let app: INestApplication;
  let config: Config;
  let t: TenantFixture;
  const membership = {
    joiners: { open: 'if-hired-before', cutoffDaysBeforeEnd: 92 },
    leavers: { appraisal: 'withdraw' },
  };

  beforeAll(async () => {
    ({ app, config } = await startTestApi());
    t = await setUpTenant(app, config, `mb${randomUUID().slice(0, 8)}`, {
      workflow: { ...sales4232Workflow, membership },
    });
  });
  afterAll(() => app.close());

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
    t.ok(
      await t
        .http()
        .post('/directory/import')
        .set(t.headers.hr)
        .send({
          rows: [
            {
              command: 'HireEmployee',
              employeeId: 'e-dan',
              orgUnitId: 'sales',
              managerId: 'e-mgr',
              position: null,
              name: 'Dan',
              effectiveFrom: '2025-04-14',
            },
            { command: 'RecordEmployeeLeft', employeeId: 'e-bob', effectiveFrom: '2025-05-31' },
          ],
        }),
      'ImportDirectory',
    );
    const bob = await t.appraisalOf('e-bob');
    const dan = joinerAppraisalId(t.tenant, 'c2025', 'e-dan');
    await catchUpProcessManagers(app.get(EVENT_STORE), t.tenant, async () => {
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
});
