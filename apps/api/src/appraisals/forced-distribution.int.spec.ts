import { sales4232Workflow } from '@verity/domain';
import {
  scoredAndCalibrated,
  setUpTenant,
  tenantOnTestApi,
  type TenantFixture,
} from '../testing/tenant-fixture';

/** A workflow whose forced distribution blocks finalizing: at most half of a unit graded B. */
describe('forced distribution that blocks finalizing', () => {
  const rules = { forcedDistribution: [{ grade: 'B', max: 50 }] };
  const t = tenantOnTestApi('fd-block', {
    workflow: { ...sales4232Workflow, ...rules, forcedDistributionEnforcement: 'block' },
  });
  let warned: TenantFixture;

  beforeAll(async () => {
    warned = await setUpTenant(t.app, t.config, 'fd-warn', {
      workflow: { ...sales4232Workflow, ...rules, forcedDistributionEnforcement: 'warn' },
    });
  });

  /** One month scored, the ratings in, the year scored by HR and calibrated to `grade`. */
  async function scoredAndCalibratedAs(
    f: TenantFixture,
    who: 'ann' | 'bob',
    peers: ['ann' | 'bob' | 'cai', 'ann' | 'bob' | 'cai'],
    grade: string,
  ): Promise<string> {
    const id = await f.appraisalOf(`e-${who}`);
    const { headers } = f;
    await scoredAndCalibrated(
      f,
      id,
      { appraisee: headers[who], peers: [headers[peers[0]], headers[peers[1]]] },
      { month: '2025-01', grade },
    );
    return id;
  }

  it('refuses finalize (422) naming the unit, the band and the counts, until calibration brings the unit within it', async () => {
    const ann = await scoredAndCalibratedAs(t, 'ann', ['bob', 'cai'], 'B');
    const bob = await scoredAndCalibratedAs(t, 'bob', ['ann', 'cai'], 'B');
    const refused = await t.http().post(`/appraisals/${ann}/finalize-appraisal`).set(t.headers.hr).send({});
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      code: 'forced-distribution-violated',
      orgUnitId: 'sales',
      violations: [
        expect.objectContaining({ grade: 'B', bound: 'max', limitPercent: '50', count: 2, total: 2 }),
      ],
    });
    expect(refused.body.detail).toContain('unit sales');
    expect(refused.body.detail).toContain('2 of 2 (100.00%) graded B, above the maximum of 50%');

    t.ok(
      await t
        .http()
        .post(`/appraisals/${bob}/calibrate-appraisal`)
        .set(t.headers.hr)
        .send({ grade: 'C', reason: 'Unit calibration' }),
      'calibrate bob',
    );
    t.ok(
      await t.http().post(`/appraisals/${ann}/finalize-appraisal`).set(t.headers.hr).send({}),
      'finalize ann',
    );
    t.ok(
      await t.http().post(`/appraisals/${bob}/finalize-appraisal`).set(t.headers.hr).send({}),
      'finalize bob',
    );
  });

  it('finalizes under `warn` with the unit outside its bands', async () => {
    const ann = await scoredAndCalibratedAs(warned, 'ann', ['bob', 'cai'], 'B');
    await scoredAndCalibratedAs(warned, 'bob', ['ann', 'cai'], 'B');
    warned.ok(
      await warned.http().post(`/appraisals/${ann}/finalize-appraisal`).set(warned.headers.hr).send({}),
      'finalize under warn',
    );
  });
});
