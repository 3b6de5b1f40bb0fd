import { AGGREGATES } from '@verity/domain';
import { salesWithTwoLineRubric as workflow } from '@verity/domain/testing/behaviour-workflow';
import { streamName, type EventStore } from '@verity/event-store';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { rubricRatings } from '../testing/rubric-ratings';
import { tenantOnTestApi, type TenantFixture } from '../testing/tenant-fixture';
import { DailyPlansResponse } from './read-daily-plans/daily-plans.response';

const TENANT = 'daily-a';

/**
 * Ann's Tuesday 4 February 2025 (ISO week 2025-W06) over HTTP (ADR 0154): planned against her week's
 * plan, summarized, annotated and scored by her manager; bad input refused naming the field and rule.
 */
describe('daily plans over HTTP (submit, summary, annotations, score)', () => {
  const t = tenantOnTestApi(TENANT, { workflow });
  let store: EventStore;

  beforeAll(async () => {
    store = t.app.get(EVENT_STORE);
    await t.postOk(
      'ann',
      '/weekly-plans/e-ann.2025-W06/submit',
      {
        employeeId: 'e-ann',
        cycleId: 'c2025',
        week: '2025-W06',
        items: [{ itemId: 'visit', kind: 'action', text: 'Visit the two largest distributors' }],
      },
      'the week',
    );
  });

  /** A refusal as the client reads it: status, code, and the field and rule named. */
  const refusal = (response: {
    status: number;
    body: { code: string; errors?: { path: string; rule: string }[] };
  }) => [
    response.status,
    response.body.code,
    response.body.errors?.[0]?.path,
    response.body.errors?.[0]?.rule,
  ];
  const post = (who: keyof TenantFixture['headers'], planId: string, action: string, body: object) =>
    t.http().post(`/daily-plans/${planId}/${action}`).set(t.headers[who]).send(body);
  const day = (date: string, extra: object = {}) => ({
    employeeId: 'e-ann',
    cycleId: 'c2025',
    date,
    items: [
      { itemId: 'calls', kind: 'number', text: 'Call ten customers', planned: 10 },
      { itemId: 'visit-sh', kind: 'action', text: 'Visit the Shanghai distributor', weekItemId: 'visit' },
    ],
    ...extra,
  });

  it('a day is planned, summarized, annotated and scored on the rubric, in a stream of its own', async () => {
    const submitted = t.ok(await post('ann', 'e-ann.2025-02-04', 'submit', day('2025-02-04')), 'submit');
    expect(submitted.status).toBe(201);
    expect(submitted.body.streamId).toBe(streamName(AGGREGATES.dailyPlan, TENANT, 'e-ann.2025-02-04'));
    t.ok(
      await post('ann', 'e-ann.2025-02-04', 'summary', {
        results: [
          { itemId: 'calls', actual: 8 },
          { itemId: 'visit-sh', done: true },
        ],
        summary: 'Two calls moved to Wednesday',
      }),
      'summary',
    );
    t.ok(
      await post('mgr', 'e-ann.2025-02-04', 'annotations', { itemId: 'calls', text: 'Key accounts first' }),
      'note',
    );
    const scored = t.ok(await post('mgr', 'e-ann.2025-02-04', 'score', rubricRatings(70, 90)), 'score');
    expect(scored.body.events.map((event: { type: string }) => event.type)).toEqual(['DayScored']);

    const events = await store.readStream(submitted.body.streamId);
    expect(events.map((event) => event.type)).toEqual([
      'DailyPlanSubmitted',
      'DaySummarized',
      'DailyPlanAnnotated',
      'DayScored',
    ]);
    expect(events[0].data).toMatchObject({
      week: '2025-W06',
      month: '2025-02',
      items: [{ itemId: 'calls', planned: '10', weekItemId: null }, { weekItemId: 'visit' }],
      pii: { items: [{ itemId: 'calls', text: 'Call ten customers' }, { itemId: 'visit-sh' }] },
    });
    expect(events[3].data).toMatchObject({ score: '82.00', by: 'e-mgr' });
  });

  it("GET /daily-plans reads the week's days: the words for the person's line, the figures for an auditor", async () => {
    const read = (who: keyof TenantFixture['headers'], query: string) =>
      t.http().get(`/daily-plans?${query}`).set(t.headers[who]);
    const byManager = t.ok(await read('mgr', 'employeeId=e-ann&week=2025-W06'), 'GET days').body;
    // Each day, items included, is what OpenAPI describes.
    expect(DailyPlansResponse.safeParse(byManager).error?.issues).toBeUndefined();
    expect(byManager.days.map((day: { date: string }) => day.date)).toEqual([
      '2025-02-03',
      '2025-02-04',
      '2025-02-05',
      '2025-02-06',
      '2025-02-07',
      '2025-02-08',
      '2025-02-09',
    ]);
    expect(byManager.days[0]).toMatchObject({ status: 'not-planned', items: [] });
    expect(byManager.days[1]).toMatchObject({
      planId: 'e-ann.2025-02-04',
      status: 'scored',
      score: '82.00',
      summary: 'Two calls moved to Wednesday',
      items: [
        {
          itemId: 'calls',
          text: 'Call ten customers',
          actual: '8',
          annotations: [{ text: 'Key accounts first', by: 'e-mgr' }],
        },
        { itemId: 'visit-sh', weekItemId: 'visit', done: true },
      ],
    });
    const byAuditor = t.ok(await read('auditor', 'employeeId=e-ann&week=2025-W06'), 'GET days').body;
    expect(DailyPlansResponse.safeParse(byAuditor).error?.issues).toBeUndefined();
    expect(byAuditor.days[1]).toMatchObject({
      score: '82.00',
      summary: null,
      items: [{ itemId: 'calls', text: null, annotations: [{ text: null }] }, { text: null }],
    });
    expect((await read('bob', 'employeeId=e-ann&week=2025-W06')).status).toBe(404);
    const badWeek = await read('hr', 'employeeId=e-ann&week=2025-W60');
    expect([badWeek.status, badWeek.body.errors[0].path]).toEqual([400, 'week']);
  });

  it.each([
    ['a plan id that is not of its date', 'e-ann.2025-02-05', day('2025-02-06'), 'plan-id', 'planId'],
    [
      'an item of an item its week does not have',
      'e-ann.2025-02-05',
      day('2025-02-05', { items: [{ itemId: 'x', kind: 'action', text: 'x', weekItemId: 'lunch' }] }),
      'week-item-not-found',
      'items.0.weekItemId',
    ],
    [
      'an item of a week not planned',
      'e-ann.2025-02-11',
      day('2025-02-11', { items: [{ itemId: 'x', kind: 'action', text: 'x', weekItemId: 'visit' }] }),
      'week-not-planned',
      'items.0.weekItemId',
    ],
  ])('refuses %s, naming the field and rule', async (_what, planId, body, code, path) => {
    expect(refusal(await post('ann', planId, 'submit', body))).toEqual([400, code, path, code]);
  });

  it('refuses bad input naming the field, others’ days, and strangers', async () => {
    const bad = await post('ann', 'e-ann.2025-02-05', 'submit', day('2025-02-31'));
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((error: { path: string }) => error.path)).toContain('date');
    const notMine = await post('bob', 'e-ann.2025-02-05', 'submit', day('2025-02-05'));
    expect([notMine.status, notMine.body.code]).toEqual([400, 'own-plan-only']);
    const peerNote = await post('zed', 'e-ann.2025-02-04', 'annotations', { text: 'Not my team' });
    expect([peerNote.status, peerNote.body.code]).toEqual([403, 'relation-not-allowed']);
    const missing = await post('mgr', 'e-ann.2025-02-07', 'summary', { results: [], summary: 'x' });
    expect(missing.status).toBe(404);
  });
});
