import { annsPlan, tenantOnTestApi, type TenantFixture } from '../testing/tenant-fixture';
import { AppraisalEventsResponse, AppraisalHistoryResponse } from './read-appraisal/appraisal-trail.response';
import { workedActuals, workedAttachments } from '@verity/domain/testing/appraisal-scenario';
import { AppraisalStateResponse } from './read-appraisal/appraisal.response';
import { appraisalRoutes } from './appraisal.routes';
import { commandAnswerOf } from '../commands/command-answer.response';

/** Every appraisal command over HTTP, as the people of the fixture would send them. */
describe('appraisal lifecycle over HTTP', () => {
  let ann: string;

  const t = tenantOnTestApi('life');

  beforeAll(async () => {
    ann = await t.appraisalOf('e-ann');
  });

  const post = async (who: keyof TenantFixture['headers'], command: string, body: object = {}, id = ann) => {
    const response = await t.http().post(`/appraisals/${id}/${command}`).set(t.headers[who]).send(body);
    // Every applied command answers as the OpenAPI document describes that command's answer.
    const route = appraisalRoutes.find((r) => r.path === `:appraisalId/${command}`)!;
    if (response.status < 300)
      expect(commandAnswerOf(route.command).safeParse(response.body).error?.issues).toBeUndefined();
    return response;
  };
  const state = async (id = ann) => (await t.http().get(`/appraisals/${id}`).set(t.headers.hr)).body.state;
  const newEvents = (response: { body: { events: { type: string }[] } }) =>
    response.body.events.map((event) => event.type);
  const expectOk = (response: { status: number; body: unknown }, status = 200) => {
    if (response.status !== status)
      throw new Error(`expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  };

  it('plan: submit, return, resubmit; only the own manager approves; ETag is the stream revision', async () => {
    const submitted = await post('ann', 'submit-plan', annsPlan);
    expectOk(submitted);
    expect(newEvents(submitted)).toEqual(['PlanSubmitted', 'StepCompleted', 'StepOpened']);
    expect(submitted.headers.etag).toBe(`"${submitted.body.revision}"`);

    expectOk(
      await post('mgr', 'return-plan', { annotations: [{ path: 'targets[0].target', text: 'Aim higher' }] }),
    );
    expectOk(await post('ann', 'submit-plan', {}));

    const stranger = await post('zed', 'approve-plan');
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('relation-not-allowed');
    expect((await post('ann', 'approve-plan')).status).toBe(403);

    const approved = await post('mgr', 'approve-plan');
    expectOk(approved);
    expect(newEvents(approved).slice(0, 2)).toEqual(['PlanApproved', 'StepCompleted']);
    const again = await post('mgr', 'approve-plan');
    expect(again.status).toBe(422);
  });

  it('plan changes: requested, rejected, requested again, approved by the skip-level manager', async () => {
    const change = {
      targets: [{ indicatorId: 'sales_volume', threshold: 700, target: 900, stretch: 1100 }],
      reason: 'Distributor closed',
    };
    expectOk(await post('ann', 'request-plan-change', change));
    const first = (await state()).plan.pendingChange.changeId;
    expectOk(await post('mgr', 'reject-plan-change', { changeId: first, reason: 'Targets stay' }));
    expectOk(await post('ann', 'request-plan-change', change));
    const second = (await state()).plan.pendingChange.changeId;
    expectOk(await post('boss', 'approve-plan-change', { changeId: second }));
  });

  it('period review: filed, returned, refiled, assessed, scored (veto breached), improvements filed and verified, veto waived', async () => {
    expectOk(
      await post('ann', 'file-period-review', {
        periodId: '2025-01',
        actuals: workedActuals,
        attachments: workedAttachments,
        gapReasons: 'Slow uptake',
      }),
    );
    expectOk(
      await post('mgr', 'return-period-review', {
        periodId: '2025-01',
        annotations: [{ text: 'Attach ERP export' }],
      }),
    );
    expectOk(
      await post('ann', 'file-period-review', {
        periodId: '2025-01',
        actuals: workedActuals,
        attachments: workedAttachments,
      }),
    );
    expectOk(await post('mgr', 'assess-period-review', { periodId: '2025-01', corrections: [] }));
    const scored = await post('mgr', 'score-period', { periodId: '2025-01' });
    expectOk(scored);
    expect(newEvents(scored)).toEqual(
      expect.arrayContaining(['PeriodScored', 'VetoBreached', 'ImprovementRequired']),
    );

    const improvements = Object.keys((await state()).improvements);
    expect(improvements.length).toBeGreaterThan(0);
    // The answer names the improvement action it required: the id the appraisee files it under.
    expect(scored.body.events.filter((e: { type: string }) => e.type === 'ImprovementRequired')).toEqual(
      improvements.map((improvementId) => ({
        eventId: expect.any(String),
        type: 'ImprovementRequired',
        improvementId,
      })),
    );
    expectOk(
      await post('ann', 'file-improvement', {
        improvementId: improvements[0],
        action: 'Weekly pipeline review',
      }),
    );
    expectOk(
      await post('mgr', 'verify-improvement', {
        improvementId: improvements[0],
        effective: true,
        goodPractice: true,
      }),
    );
    expectOk(
      await post('hr', 'waive-veto', {
        periodId: '2025-01',
        indicatorId: 'product_mix',
        reason: 'Supply shortage',
      }),
    );
    expect(
      (await post('mgr', 'waive-veto', { periodId: '2025-01', indicatorId: 'product_mix', reason: 'x' }))
        .status,
    ).toBe(403);
  });

  it('red lines: filed, contested, withdrawn; another filed and upheld', async () => {
    const filed = await post('hr', 'file-red-line-breach', {
      redLineId: 'customer_harm',
      description: 'Late delivery harmed a key customer',
    });
    expectOk(filed);
    const breaches = () => state().then((s) => Object.keys(s.redLines));
    const [first] = await breaches();
    // The answer names the breach it created: the id to contest, uphold or withdraw it.
    expect(filed.body.events).toEqual([
      { eventId: expect.any(String), type: 'RedLineBreached', breachId: first },
    ]);
    expectOk(await post('ann', 'contest-red-line', { breachId: first, reason: 'The delay was the carrier' }));
    expectOk(await post('hr', 'withdraw-red-line', { breachId: first, reason: 'Carrier at fault' }));
    expectOk(
      await post('hr', 'file-red-line-breach', { redLineId: 'safety', description: 'Unreported incident' }),
    );
    const second = (await breaches()).find((id) => id !== first)!;
    expectOk(await post('hr', 'uphold-red-line', { breachId: second }));
  });

  it('annual: self-assessment, ratings, score, calibration, finalization, appeal and its resolution (closes)', async () => {
    expectOk(await post('ann', 'submit-self-assessment', { rating: 90 }));
    expectOk(await post('mgr', 'submit-rating', { group: 'manager', rating: 80 }));
    expect((await post('zed', 'submit-rating', { group: 'peer', rating: 10 })).status).toBe(403);
    expectOk(await post('bob', 'submit-rating', { group: 'peer', rating: 70 }));
    expectOk(await post('cai', 'submit-rating', { group: 'peer', rating: 90 }));
    const incomplete = await post('hr', 'score-appraisal');
    expect(incomplete.status).toBe(422);
    expect(incomplete.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(incomplete.body).toMatchObject({
      code: 'year-incomplete',
      path: 'periods',
      rule: 'every-period-scored-or-waived',
      periodIds: expect.arrayContaining(['2025-02', '2025-12']),
    });
    await t.waiveUnscored(ann);
    const scored = await post('hr', 'score-appraisal');
    expectOk(scored);
    expect(newEvents(scored)).toContain('AppraisalScored');
    expectOk(await post('hr', 'calibrate-appraisal', { grade: 'C', reason: 'Forced distribution of sales' }));
    expectOk(await post('hr', 'finalize-appraisal'));
    expectOk(await post('ann', 'file-appeal', { reason: 'Peers did not see Q4' }));
    expectOk(await post('hr', 'resolve-appeal', { outcome: 'rejected', reason: 'Evidence reviewed' }));
    expect((await state()).status).toBe('closed');
  });

  it('acknowledgement closes a finalized appraisal without an appeal', async () => {
    const cai = await t.appraisalOf('e-cai');
    const actuals = ['sales_volume', 'receivables', 'inventory', 'product_mix'].map((indicatorId) => ({
      indicatorId,
      actual:
        indicatorId === 'receivables'
          ? '2.0'
          : indicatorId === 'inventory'
            ? 500
            : indicatorId === 'product_mix'
              ? 400
              : 1000,
    }));
    for (const [who, command, body] of [
      ['cai', 'submit-plan', {}],
      ['mgr', 'approve-plan', {}],
      [
        'cai',
        'file-period-review',
        { periodId: '2025-01', actuals, attachments: [{ indicatorId: 'product_mix', ref: 'doc-1' }] },
      ],
      ['mgr', 'assess-period-review', { periodId: '2025-01' }],
      ['mgr', 'score-period', { periodId: '2025-01' }],
      ['cai', 'submit-self-assessment', { rating: 80 }],
      ['mgr', 'submit-rating', { group: 'manager', rating: 85 }],
      ['ann', 'submit-rating', { group: 'peer', rating: 75 }],
      ['bob', 'submit-rating', { group: 'peer', rating: 80 }],
      ['hr', 'score-appraisal', {}],
      ['hr', 'finalize-appraisal', {}],
      ['cai', 'acknowledge-appraisal', { comment: 'Agreed' }],
    ] as const) {
      if (command === 'score-appraisal') await t.waiveUnscored(cai);
      expectOk(await post(who, command, body, cai));
    }
    expect((await state(cai)).status).toBe('closed');
  });

  it('annotations by the manager; migration of another appraisal to a newer workflow version', async () => {
    expectOk(
      await post('mgr', 'annotations', {
        on: { periodId: '2025-01' },
        text: 'Discussed in the monthly meeting',
      }),
    );
    expect((await post('zed', 'annotations', { text: 'not my report' })).status).toBe(403);

    const bob = await t.appraisalOf('e-bob');
    const current = await t.http().get('/workflows/sales-4232/versions/1').set(t.headers.owner);
    const definition = { ...current.body.definition, name: 'Sales department manager, 4232 model (rev. 2)' };
    expectOk(
      await t
        .http()
        .post('/workflows/sales-4232/versions')
        .set(t.headers.owner)
        .send({ definition, expectedVersion: 1 }),
    );
    expectOk(await post('hr', 'migrate-workflow-version', { toVersion: 2, reason: 'Renamed' }, bob));
    expect((await state(bob)).workflowVersion).toBe(2);
  });

  it('reads: state as of an earlier revision, history, events (personal data redacted for the process owner)', async () => {
    const early = await t.http().get(`/appraisals/${ann}?asOfRevision=1`).set(t.headers.hr);
    expect(early.status).toBe(200);
    expect(early.body.state.plan.status).toBe('draft');
    const history = await t.http().get(`/appraisals/${ann}/history`).set(t.headers.auditor);
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ revision: '0', type: 'AppraisalOpened' });
    const events = await t.http().get(`/appraisals/${ann}/events?limit=500`).set(t.headers.owner);
    expect(events.status).toBe(200);
    const submitted = events.body.items.find((event: { type: string }) => event.type === 'PlanSubmitted');
    expect(submitted.data.pii).toBe('redacted');
    // Both answers are the ones the OpenAPI document describes (the web client's types come from it).
    expect(AppraisalHistoryResponse.safeParse(history.body).error?.issues).toBeUndefined();
    expect(AppraisalEventsResponse.safeParse(events.body).error?.issues).toBeUndefined();
    const closed = await t.http().get(`/appraisals/${ann}`).set(t.headers.hr);
    for (const state of [early.body, closed.body])
      expect(AppraisalStateResponse.safeParse(state).error?.issues).toBeUndefined();
    const asHr = await t.http().get(`/appraisals/${ann}/events?limit=500`).set(t.headers.hr);
    expect(
      asHr.body.items.find((event: { type: string }) => event.type === 'PlanSubmitted').data.pii,
    ).toBeDefined();
    expect((await t.http().get(`/appraisals/${ann}`).set(t.headers.zed)).status).toBe(404);
    expect((await t.http().get(`/appraisals/${ann}`).set(t.headers.ann)).status).toBe(200);
  });
});
