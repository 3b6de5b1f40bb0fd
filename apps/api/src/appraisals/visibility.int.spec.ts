import { AppraisalStateResponse } from './read-appraisal/appraisal.response';
import { tenantOnTestApi, type TenantFixture } from '../testing/tenant-fixture';

type Who = keyof TenantFixture['headers'];

/**
 * The visibility rule (ADR 0112) over every read route of one appraisal, for each person around it:
 * who reads it at all, whose words reach whom, and that an anonymous peer rating never reaches the
 * appraisee or the manager chain by rater or by single rating.
 */
describe('visibility of an appraisal: the route sweep', () => {
  let ann: string;

  const routes = () => [
    `/appraisals/${ann}`,
    `/appraisals/${ann}?asOfRevision=40`,
    `/appraisals/${ann}/history`,
    `/appraisals/${ann}/events?limit=500`,
    `/scores/appraisals/${ann}`,
    `/scores/appraisals/${ann}/as-of`,
  ];
  const get = (who: Who, path: string) => t.http().get(path).set(t.headers[who]);
  const post = async (who: Who, command: string, body: object = {}) =>
    t.ok(await t.http().post(`/appraisals/${ann}/${command}`).set(t.headers[who]).send(body), command);

  const t = tenantOnTestApi('visibility');

  beforeAll(async () => {
    ann = await t.appraisalOf('e-ann');
    await post('ann', 'submit-plan', {});
    await post('mgr', 'return-plan', {
      annotations: [{ path: 'targets[0].target', text: 'MGR-WORDS aim higher' }],
    });
    await post('ann', 'submit-plan', {});
    await post('mgr', 'approve-plan');
    await post('boss', 'annotations', { text: 'BOSS-WORDS keep it up' });
    await post('ann', 'submit-self-assessment', { rating: 90, comment: 'ANN-WORDS my year' });
    await post('mgr', 'submit-rating', { group: 'manager', rating: 80, comment: 'MGR-RATING-WORDS' });
    // The sales workflow's peer group is anonymous, with a minimum of two responses.
    await post('bob', 'submit-rating', { group: 'peer', rating: 61.5, comment: 'BOB-WORDS' });
  });

  it('opens the appraisal to the appraisee, the manager chain and the audit roles; others read it as absent', async () => {
    const expected: Record<Who, number[]> = {
      ann: [200, 200, 200, 200, 200, 200],
      mgr: [200, 200, 200, 200, 200, 200],
      boss: [200, 200, 200, 200, 200, 200],
      hr: [200, 200, 200, 200, 200, 200],
      owner: [200, 200, 200, 200, 200, 200],
      auditor: [200, 200, 200, 200, 200, 200],
      admin: [200, 200, 200, 200, 200, 200],
      bob: [404, 404, 404, 404, 404, 404],
      cai: [404, 404, 404, 404, 404, 404],
      zed: [404, 404, 404, 404, 404, 404],
    };
    for (const [who, statuses] of Object.entries(expected) as [Who, number[]][]) {
      const got = [];
      for (const path of routes()) got.push((await get(who, path)).status);
      expect({ who, got }).toEqual({ who, got: statuses });
    }
  });

  it('shows people their own words and the words addressed to them; the process owner and auditor see none', async () => {
    const words = ['MGR-WORDS', 'BOSS-WORDS', 'ANN-WORDS', 'MGR-RATING-WORDS'];
    const seen = async (who: Who) => {
      const body = JSON.stringify((await get(who, `/appraisals/${ann}/events?limit=500`).expect(200)).body);
      return words.filter((word) => body.includes(word));
    };
    for (const who of ['ann', 'mgr', 'boss', 'hr', 'admin'] as const)
      expect({ who, seen: await seen(who) }).toEqual({ who, seen: words });
    for (const who of ['owner', 'auditor'] as const)
      expect({ who, seen: await seen(who) }).toEqual({ who, seen: [] });
  });

  it('anonymity sweep: no peer rater id and no single peer rating reaches the appraisee or the manager chain', async () => {
    const leaks = ['e-bob', 'BOB-WORDS', '61.5'];
    for (const who of ['ann', 'mgr', 'boss', 'owner'] as const)
      for (const path of routes()) {
        const response = await get(who, path);
        const body = JSON.stringify(response.body);
        expect({ who, path, leaked: leaks.filter((leak) => body.includes(leak)) }).toEqual({
          who,
          path,
          leaked: [],
        });
      }
    // Below the group's minimum the appraisee sees how many answered, not what they said.
    const asAnn = (await get('ann', `/appraisals/${ann}`).expect(200)).body;
    // The folded line is one the OpenAPI document describes (the web client's types come from it).
    expect(AppraisalStateResponse.safeParse(asAnn).error?.issues).toBeUndefined();
    const peers = asAnn.state.ratings.find((rating: { group: string }) => rating.group === 'peer');
    expect(peers).toEqual({ group: 'peer', anonymous: true, responses: 1, minResponses: 2, average: null });
    // HR and the auditor keep the trail: who rated, and what.
    for (const who of ['hr', 'auditor'] as const) {
      const body = JSON.stringify((await get(who, `/appraisals/${ann}/events?limit=500`).expect(200)).body);
      expect(body).toContain('e-bob');
    }
  });

  it('once the minimum is met the group shows its average, still without raters', async () => {
    await post('cai', 'submit-rating', { group: 'peer', rating: 78.5, comment: 'CAI-WORDS' });
    const state = (await get('mgr', `/appraisals/${ann}`).expect(200)).body.state;
    expect(state.ratings.find((rating: { group: string }) => rating.group === 'peer')).toEqual({
      group: 'peer',
      anonymous: true,
      responses: 2,
      minResponses: 2,
      average: '70.00',
    });
    for (const who of ['ann', 'mgr', 'boss'] as const)
      for (const path of routes()) {
        const body = JSON.stringify((await get(who, path)).body);
        expect({
          who,
          path,
          leaked: ['e-bob', 'e-cai', '61.5', '78.5', 'CAI-WORDS'].filter((l) => body.includes(l)),
        }).toEqual({
          who,
          path,
          leaked: [],
        });
      }
  });
});
