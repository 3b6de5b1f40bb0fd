import type { Pool } from 'pg';
import { PostgresEventStore } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import { inboxProjection } from '@verity/projections';
import { ConsumerPump } from '@verity/integrations/testing/consumer-pump';
import { commandAnswerOf } from '../commands/command-answer.response';
import { tenantOnTestApi, type TenantFixture } from '../testing/tenant-fixture';
import { NominationCandidatesResponse } from './nomination-candidates/nomination-candidates.response';

/**
 * 360 nominations over HTTP: Mgr leads sales and Boss has one other report (Zed), so Mgr's peer
 * group (two responses needed) can only be filled by nominated raters from elsewhere.
 */
describe('nominating 360 raters', () => {
  const t = tenantOnTestApi('nominations');

  it('the appraisee proposes, the manager approves, HR assigns; nominees rate, others may not', async () => {
    const id = await t.appraisalOf('e-mgr');
    const post = (who: keyof TenantFixture['headers'], command: string, body: object) =>
      t.http().post(`/appraisals/${id}/${command}`).set(t.headers[who]).send(body);
    t.ok(await post('mgr', 'submit-plan', {}), 'submit-plan');
    t.ok(await post('boss', 'approve-plan', {}), 'approve-plan');

    const proposed = await post('mgr', 'nominate-rater', { group: 'peer', employeeId: 'e-ann' });
    t.ok(proposed, 'nominate e-ann');
    expect(commandAnswerOf('NominateRater').safeParse(proposed.body).error?.issues).toBeUndefined();
    const nominationId = proposed.body.events[0].nominationId;
    expect(proposed.body.events).toEqual([
      { eventId: expect.any(String), type: 'RaterNominated', nominationId: expect.any(String) },
      { eventId: expect.any(String), type: 'StepOpened' },
    ]);
    // Ann is no peer of her own manager: until the nomination is approved she may not rate him.
    expect((await post('ann', 'submit-rating', { group: 'peer', rating: 80 })).status).toBe(403);
    // The proposal waits in Boss's inbox (the read model, pumped as the worker would) until he decides.
    const pool = t.app.get<Pool>(PG_POOL);
    const pump = new ConsumerPump(pool, new PostgresEventStore(pool), inboxProjection);
    const inbox = async (who: keyof TenantFixture['headers']) => {
      await pump.drain();
      return (await t.http().get('/inbox').set(t.headers[who]).expect(200)).body.items
        .filter((item: { appraisalId: string }) => item.appraisalId === id)
        .map((item: { stepKey: string }) => item.stepKey);
    };
    expect(await inbox('boss')).toContain(`nomination-approval.${nominationId}`);
    t.ok(await post('boss', 'approve-nomination', { nominationId }), 'approve-nomination');
    expect(await inbox('boss')).not.toContain(`nomination-approval.${nominationId}`);
    const assigned = await post('hr', 'nominate-rater', { group: 'peer', employeeId: 'e-bob' });
    t.ok(assigned, 'HR assigns e-bob');

    // Both nominees find the rating in their inbox; Cai, neither nominated nor Mgr's peer, does not;
    // Zed, his peer in the directory, does.
    expect(await inbox('ann')).toEqual(['peer-rating']);
    expect(await inbox('bob')).toEqual(['peer-rating']);
    expect(await inbox('zed')).toEqual(['peer-rating']);
    expect(await inbox('cai')).toEqual([]);

    t.ok(await post('ann', 'submit-rating', { group: 'peer', rating: 80 }), 'ann rates');
    t.ok(await post('bob', 'submit-rating', { group: 'peer', rating: 90 }), 'bob rates');
    const stranger = await post('cai', 'submit-rating', { group: 'peer', rating: 10 });
    expect(stranger.status).toBe(403);
    expect(stranger.body).toMatchObject({ code: 'relation-not-allowed' });

    const self = await post('mgr', 'nominate-rater', { group: 'peer', employeeId: 'e-mgr' });
    expect(self.status).toBe(400);
    expect(self.body).toMatchObject({
      code: 'invalid-nomination',
      errors: [expect.objectContaining({ path: 'employeeId', rule: 'not-the-appraisee' })],
    });
    const twice = await post('mgr', 'nominate-rater', { group: 'peer', employeeId: 'e-bob' });
    expect(twice.status).toBe(409);
  });

  it('offers the appraisee their department colleagues by name to pick from; ids only to the process owner', async () => {
    const id = await t.appraisalOf('e-mgr');
    const read = async (who: keyof TenantFixture['headers']) =>
      t.http().get(`/appraisals/${id}/nomination-candidates`).set(t.headers[who]);
    // Mgr leads sales under hq: everyone in hq but himself and his manager Boss (who rates as manager).
    const own = await read('mgr');
    expect(own.status).toBe(200);
    expect(NominationCandidatesResponse.parse(own.body).items).toEqual([
      { employeeId: 'e-ann', name: 'Ann' },
      { employeeId: 'e-bob', name: 'Bob' },
      { employeeId: 'e-cai', name: 'Cai' },
      { employeeId: 'e-zed', name: 'Zed' },
    ]);
    // His manager and HR, who decide and assign, read the same names.
    expect((await read('boss')).body.items).toEqual(own.body.items);
    expect((await read('hr')).body.items).toEqual(own.body.items);
    // The process owner reads the appraisal without names; a colleague outside his line not at all.
    const owner = await read('owner');
    expect(NominationCandidatesResponse.parse(owner.body).items.map((item) => item.name)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect((await read('ann')).status).toBe(404);
  });

  it('pages the candidates by employee id: `limit`, then `after` the page’s `next`; a bad page is a 400 naming the field', async () => {
    const id = await t.appraisalOf('e-mgr');
    const page = async (query: string) =>
      t.http().get(`/appraisals/${id}/nomination-candidates?${query}`).set(t.headers.mgr);
    const first = NominationCandidatesResponse.parse((await page('limit=3')).body);
    expect(first.items.map((item) => item.employeeId)).toEqual(['e-ann', 'e-bob', 'e-cai']);
    expect(first.next).toBe('e-cai');
    const last = NominationCandidatesResponse.parse((await page(`limit=3&after=${first.next}`)).body);
    expect(last).toMatchObject({ items: [{ employeeId: 'e-zed', name: 'Zed' }], next: null });
    expect(NominationCandidatesResponse.parse((await page('')).body).next).toBeNull();
    for (const [query, path] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['after=', 'after'],
    ]) {
      const refused = await page(query);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toContainEqual(expect.objectContaining({ path }));
    }
    expect((await t.http().get('/appraisals/nope/nomination-candidates').set(t.headers.hr)).status).toBe(404);
  });
});
