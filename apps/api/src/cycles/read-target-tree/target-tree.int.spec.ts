import type { Pool } from 'pg';
import { PG_POOL } from '@verity/platform';
import { waitUntilReadable } from '../../testing/sign-checkpoint';
import { tenantOnTestApi } from '../../testing/tenant-fixture';
import { TargetTreeResponse } from './target-tree.response';

const TENANT = 'targets-a';

interface Node {
  targetId: string;
  actual: string;
  progress: string | null;
  allocated: string | null;
  children: Node[];
}

/**
 * The target tree of cycle c2025 (docs/adr/0117): company → East / West → East's team A → people,
 * every link checked, and people's filed actuals rolled up, compared with sums done by hand.
 */
describe('target tree with roll-up (SetTarget, GET /cycles/{id}/target-tree)', () => {
  let pool: Pool;

  const t = tenantOnTestApi(TENANT);

  beforeAll(async () => {
    pool = t.app.get(PG_POOL);
  });

  const file = async (rows: [string, string, string][]) => {
    const body = t.ok(
      await t
        .http()
        .post('/actuals/bulk')
        .set(t.headers.hr)
        .send({
          rows: await Promise.all(
            rows.map(async ([employeeId, periodId, actual]) => ({
              appraisalId: await t.appraisalOf(employeeId),
              periodId,
              indicatorId: 'sales_volume',
              actual,
              system: 'erp',
            })),
          ),
        }),
      'file actuals',
    ).body;
    expect(body.refused).toBe(0);
  };

  const flatten = (nodes: Node[]): Record<string, Node> =>
    Object.fromEntries(
      nodes.flatMap((node) => [[node.targetId, node], ...Object.entries(flatten(node.children))]),
    );

  it('checks every link: parent exists, level order, same indicator and unit, children within the parent', async () => {
    t.ok(await t.setTarget('company', null, 'company', TENANT, '10000'), 'company');
    const orphan = await t.setTarget('ghost', 'does-not-exist', 'org-unit', 'sales', '1');
    expect([orphan.status, orphan.body.code]).toEqual([404, 'parent-target-not-found']);
    const family = await t.setTarget('east', 'company', 'org-unit', 'east', '6000', {
      indicatorId: 'inventory',
    });
    expect([family.status, family.body.code]).toEqual([400, 'indicator-family']);
    expect(family.body.errors[0]).toMatchObject({ path: 'indicatorId', rule: 'indicator-family' });
    const unit = await t.setTarget('east', 'company', 'org-unit', 'east', '6000', { unit: 'boxes' });
    expect(unit.body.code).toBe('unit-mismatch');
    const personUnderCompany = await t.setTarget('ann', 'company', 'person', 'e-ann', '10');
    expect(personUnderCompany.body.code).toBe('level-order');

    t.ok(await t.setTarget('east', 'company', 'org-unit', 'east', '6000'), 'east');
    t.ok(await t.setTarget('west', 'company', 'org-unit', 'west', '4000'), 'west');
    const tooMuch = await t.setTarget('north', 'company', 'org-unit', 'north', '1');
    expect([tooMuch.status, tooMuch.body.code]).toEqual([400, 'children-exceed-parent']);
    t.ok(await t.setTarget('east-a', 'east', 'org-unit', 'east-a', '6000'), 'east-a');
    t.ok(await t.setTarget('ann', 'east-a', 'person', 'e-ann', '3000'), 'ann');
    t.ok(await t.setTarget('bob', 'east-a', 'person', 'e-bob', '2500'), 'bob');
    t.ok(await t.setTarget('cai', 'west', 'person', 'e-cai', '4000'), 'cai');
    const twice = await t.setTarget('cai', 'west', 'person', 'e-cai', '1');
    expect([twice.status, twice.body.code]).toEqual([409, 'target-exists']);
  });

  it('rolls actuals up the tree as they are filed, and answers as of an earlier time', async () => {
    await file([
      ['e-ann', '2025-01', '300'],
      ['e-bob', '2025-01', '400'],
    ]);
    await waitUntilReadable(pool, TENANT);
    const firstBatch = (
      await pool.query<{ at: Date }>('SELECT max(recorded_at) AS at FROM events WHERE tenant_id = $1', [
        TENANT,
      ])
    ).rows[0].at.toISOString();
    await file([
      ['e-ann', '2025-02', '250'],
      ['e-cai', '2025-01', '100'],
      ['e-cai', '2025-03', '50'],
    ]);

    const answer = t.ok(await t.http().get('/cycles/c2025/target-tree').set(t.headers.hr), 'tree').body;
    // The answer is what OpenAPI describes, to the last nested node.
    expect(TargetTreeResponse.safeParse(answer).error?.issues).toBeUndefined();
    const now = flatten(answer.targets);
    // By hand: ann 300 + 250 = 550; bob 400; team A 550 + 400 = 950; East = 950; cai 100 + 50 = 150;
    // West = 150; company 950 + 150 = 1100.
    const actuals = Object.fromEntries(Object.entries(now).map(([id, node]) => [id, node.actual]));
    expect(actuals).toEqual({
      company: '1100',
      east: '950',
      'east-a': '950',
      ann: '550',
      bob: '400',
      west: '150',
      cai: '150',
    });
    // Progress: actual ÷ amount, two places (950 / 6000 = 15.8333…).
    expect(now.company.progress).toBe('11.00');
    expect(now.east.progress).toBe('15.83');
    expect(now.ann.progress).toBe('18.33');
    expect(now.cai.progress).toBe('3.75');
    expect(now.company.allocated).toBe('10000');
    expect(now['east-a'].allocated).toBe('5500');

    const then = flatten(
      t.ok(await t.http().get(`/cycles/c2025/target-tree?asOf=${firstBatch}`).set(t.headers.hr), 'as of').body
        .targets,
    );
    // Then only ann's January (300) and bob's (400) were filed: 700 in all, none in the West.
    expect([then.company.actual, then.east.actual, then.ann.actual, then.west.actual]).toEqual([
      '700',
      '700',
      '300',
      '0',
    ]);
    const before = await t
      .http()
      .get('/cycles/c2025/target-tree?asOf=2020-01-01T00:00:00.000Z')
      .set(t.headers.hr);
    expect(before.status).toBe(404);
  });
});
