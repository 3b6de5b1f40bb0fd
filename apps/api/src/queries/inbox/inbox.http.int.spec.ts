import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import { inboxProjection } from '@verity/projections';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { bearer, tokenFor } from '../../testing/api-test-kit';
import { tenantOnTestApi, setUpTenant, type TenantFixture } from '../../testing/tenant-fixture';
import { InboxResponse, SlaResponse } from './inbox.response';

/** The inbox over HTTP, from the read model fed by the real store (the worker's job, pumped here). */
describe('GET /inbox and /inbox/sla', () => {
  let pool: Pool;
  let other: TenantFixture;
  let ann: string;

  const t = tenantOnTestApi('inbox-q');

  beforeAll(async () => {
    pool = t.app.get<Pool>(PG_POOL);
    other = await setUpTenant(t.app, t.config, 'inbox-q-other');
    ann = await t.appraisalOf('e-ann');
    await t.appraisalOf('e-bob');
    await other.appraisalOf('e-ann');
    const post = (who: keyof TenantFixture['headers'], command: string) =>
      t.http().post(`/appraisals/${ann}/${command}`).set(t.headers[who]).send({});
    t.ok(await post('ann', 'submit-plan'), 'submit-plan');
    t.ok(await post('mgr', 'approve-plan'), 'approve-plan');
    await t.importDirectory(
      [
        {
          command: 'AssignProcessOwner',
          employeeId: 'e-boss',
          process: 'sales-4232',
          orgUnitId: 'sales',
          effectiveFrom: '2025-01-01',
        },
      ],
      'AssignProcessOwner',
    );
    await new ConsumerPump(pool, new PostgresEventStore(pool), inboxProjection).drain();
  });

  const get = (who: keyof TenantFixture['headers'], path: string, fixture: TenantFixture = t) =>
    fixture.http().get(path).set(fixture.headers[who]);
  /** Whose appraisal it is, by first name (the cycle opened one for each of sales: mgr, ann, bob, cai). */
  const whose = (appraisalId: string) =>
    (t.cycle.opened.appraisals as { appraisalId: string; subject: { employeeId: string } }[])
      .find((entry) => entry.appraisalId === appraisalId)!
      .subject.employeeId.slice(2);
  const steps = async (who: keyof TenantFixture['headers']) =>
    (await get(who, '/inbox').expect(200)).body.items.map(
      (i: { appraisalId: string; stepKey: string }) => `${whose(i.appraisalId)}:${i.stepKey}`,
    );

  it("puts each step in its person's inbox: the appraisee's own, the manager's, nobody else's", async () => {
    const annSteps = await steps('ann');
    expect(annSteps).toContain('ann:period-review.2025-02');
    expect(annSteps.every((s: string) => s.startsWith('ann:'))).toBe(true);
    expect(await steps('bob')).toContain('bob:plan');
    const mgr = await steps('mgr');
    expect(mgr).toContain('ann:manager-rating');
    // Beside her own appraisal's steps, only a manager's steps in her reports' appraisals.
    expect(
      mgr
        .filter((s: string) => !s.startsWith('mgr:'))
        .every((s: string) => /:(manager-rating|plan-approval|period-assessment)/.test(s)),
    ).toBe(true);
    expect(mgr).toContain('mgr:plan');
    // Bob and Cai are Ann's peers (same manager): her peer rating is theirs to give.
    expect(await steps('cai')).toContain('ann:peer-rating');
    expect(await steps('zed')).toEqual([]);
    // The 2025 cycle's steps are all past due by now.
    const first = (await get('ann', '/inbox').expect(200)).body.items[0];
    expect(first).toMatchObject({ overdue: true, reason: 'assignee', escalationLevel: 0 });
    expect(Object.keys(first)).toEqual([
      'appraisalId',
      'stepKey',
      'occurrence',
      'kind',
      'instance',
      'cycleId',
      'subjectEmployeeId',
      'orgUnitId',
      'actor',
      'openedAt',
      'dueAt',
      'overdue',
      'escalationLevel',
      'escalatedTo',
      'deadlineMissed',
      'reminders',
      'reason',
    ]);
    // The answer is the one the OpenAPI document describes (the web client's types come from it).
    const answer = (await get('ann', '/inbox').expect(200)).body;
    expect(InboxResponse.safeParse(answer).error?.issues).toBeUndefined();
    await get('ann', '/inbox?limit=0').expect(400);
    expect(
      (await get('ann', '/inbox', other).expect(200)).body.items.every(
        (i: { appraisalId: string }) => i.appraisalId !== ann,
      ),
    ).toBe(true);
  });

  it('reports SLA compliance and activity per unit, person and process owner, to HR and process owners', async () => {
    const byUnit = (await get('hr', '/inbox/sla').expect(200)).body.items;
    expect(byUnit.find((r: { kind: string }) => r.kind === 'plan')).toMatchObject({
      group: 'sales',
      // The plan steps of the four appraisals of sales; Ann's is done.
      opened: 4,
      completed: 1,
    });
    expect(Object.keys(byUnit[0])).toEqual([
      'group',
      'kind',
      'opened',
      'completed',
      'onTime',
      'late',
      'open',
      'overdue',
      'deadlinesMissed',
      'escalated',
      'reminders',
      'compliance',
    ]);
    const byPerson = (await get('hr', '/inbox/sla?groupBy=person').expect(200)).body.items;
    expect(byPerson.map((r: { group: string; kind: string }) => `${r.group}:${r.kind}`).sort()).toEqual([
      'e-ann:plan',
      'e-mgr:plan-approval',
    ]);
    const owner = bearer(
      await tokenFor(t.config, { role: 'process-owner', tenant: t.tenant, employeeId: 'e-boss' }),
    );
    const ownerAnswer = (await t.http().get('/inbox/sla?groupBy=process-owner').set(owner).expect(200)).body;
    expect(SlaResponse.safeParse(ownerAnswer).error?.issues).toBeUndefined();
    const byOwner = ownerAnswer.items;
    expect(new Set(byOwner.map((r: { group: string }) => r.group))).toEqual(new Set(['e-boss']));
    expect(byOwner.map((r: { kind: string }) => r.kind)).toEqual(byUnit.map((r: { kind: string }) => r.kind));
    await get('hr', '/inbox/sla?groupBy=nope').expect(400);
    await get('ann', '/inbox/sla').expect(403);
    await get('mgr', '/inbox/sla').expect(403);
    const elsewhere = (await get('hr', '/inbox/sla', other).expect(200)).body.items;
    expect(elsewhere.find((r: { kind: string }) => r.kind === 'plan')).toMatchObject({
      opened: 4,
      completed: 0,
    });
  });
});
