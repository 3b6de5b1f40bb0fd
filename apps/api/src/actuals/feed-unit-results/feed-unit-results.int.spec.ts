import { sales4232Workflow } from '@verity/domain';
import { tenantOnTestApi } from '../../testing/tenant-fixture';
import { UnitResultsResponse } from './unit-results.response';

/**
 * The sales department's result feeds its head's appraisal: the workflow says the unit's sales
 * volume (its target rolled up over ann, bob and cai) is the actual of mgr's sales volume.
 */
describe('a unit result feeds its head (POST /cycles/{id}/unit-results)', () => {
  const t = tenantOnTestApi('unit-feed', {
    workflow: {
      ...sales4232Workflow,
      unitResults: [{ targetIndicatorId: 'sales_volume', headIndicatorId: 'sales_volume' }],
    },
  });

  beforeAll(async () => {
    t.ok(await t.setTarget('company', null, 'company', 'unit-feed', '30000'), 'company');
    t.ok(await t.setTarget('sales', 'company', 'org-unit', 'sales', '30000'), 'sales');
    for (const person of ['e-ann', 'e-bob', 'e-cai'])
      t.ok(await t.setTarget(person, 'sales', 'person', person, '9000'), person);
    const rows = await Promise.all(
      [
        ['e-ann', '2025-01', '300'],
        ['e-bob', '2025-01', '400'],
        ['e-cai', '2025-01', '100'],
        ['e-ann', '2025-02', '999'],
      ].map(async ([employeeId, periodId, actual]) => ({
        appraisalId: await t.appraisalOf(employeeId),
        periodId,
        indicatorId: 'sales_volume',
        actual,
        system: 'erp',
      })),
    );
    expect(
      t.ok(await t.http().post('/actuals/bulk').set(t.headers.hr).send({ rows }), 'file').body.refused,
    ).toBe(0);
  });

  const feed = (body: object) => t.http().post('/cycles/c2025/unit-results').set(t.headers.hr).send(body);

  it("files the unit's result of the month as its head's actual, once (300 + 400 + 100)", async () => {
    const preview = t.ok(await feed({ periodId: '2025-01', dryRun: true }), 'dry run').body;
    expect(preview.units).toEqual([
      expect.objectContaining({
        targetId: 'sales',
        orgUnitId: 'sales',
        headEmployeeId: 'e-mgr',
        indicatorId: 'sales_volume',
        actual: '800',
        result: expect.objectContaining({ status: 'would-file' }),
      }),
    ]);
    const mgr = await t.appraisalOf('e-mgr');
    const read = async () =>
      (await t.http().get(`/appraisals/${mgr}`).set(t.headers.hr)).body.state.periods['2025-01'].imported;
    expect(await read()).toBeUndefined();

    const fed = t.ok(await feed({ periodId: '2025-01' }), 'feed').body;
    expect(fed.units[0].result).toMatchObject({ status: 'filed', appraisalId: mgr });
    expect((await read()).sales_volume).toMatchObject({
      actual: '800',
      system: 'target-tree',
      reference: 'sales',
    });
    const again = t.ok(await feed({ periodId: '2025-01' }), 'feed again').body;
    expect(again.units[0].result).toMatchObject({ status: 'unchanged' });
    // Each answer is what OpenAPI describes.
    for (const answer of [preview, fed, again])
      expect(UnitResultsResponse.safeParse(answer).error?.issues).toBeUndefined();
  });

  it('refuses a bad period and callers other than HR', async () => {
    const bad = await feed({ periodId: '2025-13' });
    expect([bad.status, bad.body.errors[0].path]).toEqual([400, 'periodId']);
    const absent = await feed({ periodId: '2026-01' });
    expect(absent.status).toBe(404);
    const manager = await t
      .http()
      .post('/cycles/c2025/unit-results')
      .set(t.headers.mgr)
      .send({ periodId: '2025-01' });
    expect(manager.status).toBe(403);
  });
});
