import { stringify as toYaml } from 'yaml';
import { sales4232Workflow } from '@verity/domain';
import { tenantOnTestApi } from '../../testing/tenant-fixture';
import { postSalesYaml, salesWeighing } from '../../testing/workflow-drafts';
import { VersionPreviewResponse } from '../read-workflow/workflow.response';

describe('workflow version preview: checked as publishing checks it, diffed, nothing published', () => {
  const t = tenantOnTestApi('wf-preview');

  const latest = async () =>
    (await t.http().get('/workflows/sales-4232').set(t.headers.owner)).body.latestVersion as number;
  const preview = (yaml: string, headers = t.headers.owner) =>
    postSalesYaml(t, 'versions/preview', yaml, headers);
  const withWeight = (weight: number) =>
    salesWeighing((indicator, index) => (index === 0 ? weight : indicator.weight));

  it("refuses an invalid draft with the publish's own problem and paths, and publishes nothing", async () => {
    const before = await latest();
    const refused = await preview(toYaml(withWeight(-40)));
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('invalid-workflow-definition');
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(
      expect.arrayContaining([expect.stringContaining('weight')]),
    );
    const published = await postSalesYaml(t, 'versions', toYaml(withWeight(-40)));
    expect({ status: published.status, code: published.body.code }).toEqual({
      status: refused.status,
      code: refused.body.code,
    });
    expect(await latest()).toBe(before);
    const badYaml = await preview('name: [unclosed');
    expect(badYaml.status).toBe(400);
    expect(badYaml.body.errors[0].path).toMatch(/^line \d+$/);
  });

  it('diffs a valid draft against the latest version, writes nothing, and answers a stale base with 409', async () => {
    const before = await latest();
    const original = sales4232Workflow.scorecard.indicators;
    // Two weights moved between the first two indicators: still 100 in all.
    const draft = salesWeighing((indicator, index) =>
      index === 0 ? indicator.weight - 5 : index === 1 ? indicator.weight + 5 : indicator.weight,
    );
    const response = await preview(toYaml(draft));
    expect(response.status).toBe(200);
    expect(VersionPreviewResponse.safeParse(response.body).error?.issues).toBeUndefined();
    expect(response.body).toMatchObject({
      workflowId: 'sales-4232',
      version: before + 1,
      against: before,
      events: ['WorkflowVersionPublished'],
    });
    expect(response.body.changes).toEqual([
      {
        path: 'scorecard.indicators.0.weight',
        op: 'changed',
        from: original[0].weight,
        to: original[0].weight - 5,
      },
      {
        path: 'scorecard.indicators.1.weight',
        op: 'changed',
        from: original[1].weight,
        to: original[1].weight + 5,
      },
    ]);
    expect(await latest()).toBe(before);
    const stale = await postSalesYaml(t, `versions/preview?expectedVersion=${before - 1}`, toYaml(draft));
    expect(stale.status).toBe(409);
    expect((await preview(toYaml(draft), t.headers.ann)).status).toBe(403);
  });
});
