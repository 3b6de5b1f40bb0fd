import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import { inboxProjection } from '@verity/projections';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { tenantOnTestApi, type TenantFixture } from '../testing/tenant-fixture';

/**
 * An org unit's appraisal: Mgr heads sales (his manager, Boss, works in HQ), Boss heads HQ, sales's
 * parent. Mgr acts for sales; Boss assesses it; nobody else does either.
 */
describe("an org unit's appraisal", () => {
  const t = tenantOnTestApi('org-unit-appraisals');

  it("is planned by the unit's head and approved by the parent unit's head", async () => {
    // The unit's appraisal follows the cycle's dates and periods, like its people's.
    const employees = (
      await t
        .http()
        .get(`/appraisals/${await t.appraisalOf('e-ann')}`)
        .set(t.headers.hr)
    ).body.state;
    const id = 'a-2025-sales';
    await t.postOk(
      'hr',
      '/appraisals',
      {
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
      },
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

    // The unit's steps reach its heads' inboxes: Mgr's the unit's own, Boss's the assessor's; the
    // read model is pumped as the worker would. Ann and Zed head nothing: none of them.
    const pool = t.app.get<Pool>(PG_POOL);
    await new ConsumerPump(pool, new PostgresEventStore(pool), inboxProjection).drain();
    const inbox = async (who: keyof TenantFixture['headers']) =>
      (await t.http().get('/inbox').set(t.headers[who]).expect(200)).body.items.filter(
        (item: { appraisalId: string }) => item.appraisalId === id,
      ) as { stepKey: string; actor: string }[];
    const mine = await inbox('mgr');
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((item) => item.actor))).toEqual(new Set(['self']));
    expect(mine.map((item) => item.stepKey)).toContain('self-assessment');
    const boss = await inbox('boss');
    expect(boss.map((item) => item.stepKey)).toContain('manager-rating');
    expect(new Set(boss.map((item) => item.actor))).toEqual(new Set(['manager']));
    expect(await inbox('ann')).toEqual([]);
    expect(await inbox('zed')).toEqual([]);
  });
});
