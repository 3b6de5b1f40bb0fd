import { randomUUID } from 'node:crypto';
import { sales4232Workflow } from '@verity/domain';
import { tenantOnTestApi } from '../testing/tenant-fixture';

/**
 * A decimal actual of 131,073 digits once passed validation and, scored, kept the score projection
 * retrying for every tenant. Every number bound at the edge: a 400 naming the field and the rule.
 */
describe('numbers at the edge are bounded per field', () => {
  let appraisalId: string;
  const huge = '9'.repeat(131_073);
  const rule = 'at most 15 digits before the decimal point and 6 after';

  const t = tenantOnTestApi(`nb${randomUUID().slice(0, 8)}`);

  beforeAll(async () => {
    appraisalId = await t.appraisalOf('e-ann');
  });

  const refused = async (path: string, headers: Record<string, string>, body: object) => {
    const response = await t.http().post(path).set(headers).send(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    return response.body.errors as { path: string; message: string }[];
  };

  it('an actual (filed) or a correction (assessed) too long on either side of the point', async () => {
    for (const actual of [huge, `1.${'0'.repeat(6)}1`, 1e300]) {
      expect(
        await refused(`/appraisals/${appraisalId}/file-period-review`, t.headers.ann, {
          periodId: '2025-01',
          actuals: [{ indicatorId: 'sales_volume', actual }],
        }),
      ).toContainEqual(expect.objectContaining({ path: 'actuals.0.actual', message: rule }));
    }
    expect(
      await refused(`/appraisals/${appraisalId}/assess-period-review`, t.headers.mgr, {
        periodId: '2025-01',
        corrections: [{ indicatorId: 'sales_volume', actual: huge, reason: 'typo' }],
      }),
    ).toContainEqual(expect.objectContaining({ path: 'corrections.0.actual', message: rule }));
  });

  it('targets, ratings and calibrated scores', async () => {
    expect(
      await refused(`/appraisals/${appraisalId}/submit-plan`, t.headers.ann, {
        targets: [{ indicatorId: 'sales_volume', threshold: 800, target: huge, stretch: 1200 }],
      }),
    ).toContainEqual(expect.objectContaining({ path: 'targets.0.target', message: rule }));
    const scale = 'at most 6 digits before the decimal point and 4 after';
    expect(
      await refused(`/appraisals/${appraisalId}/submit-self-assessment`, t.headers.ann, {
        rating: '1.00001',
      }),
    ).toContainEqual(expect.objectContaining({ path: 'rating', message: scale }));
    expect(
      await refused(`/appraisals/${appraisalId}/calibrate-appraisal`, t.headers.hr, {
        score: huge,
        reason: 'x',
      }),
    ).toContainEqual(expect.objectContaining({ path: 'score', message: scale }));
  });

  it("a workflow's weights", async () => {
    const definition = structuredClone(sales4232Workflow) as unknown as {
      scorecard: { indicators: { weight: unknown; levels?: { target: unknown } }[] };
    };
    definition.scorecard.indicators[0].weight = '1000';
    const errors = await refused('/workflows/nb-wf/versions', t.headers.owner, { definition });
    expect(errors).toContainEqual(
      expect.objectContaining({
        path: 'scorecard.indicators[0].weight',
        message: 'at most 3 digits before the decimal point and 4 after',
      }),
    );
  });
});
