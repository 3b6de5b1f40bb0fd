import type { Pool } from 'pg';
import { PG_POOL } from '@verity/platform';
import { testApiOfThisFile } from '../../testing/api-test-kit';
import { waitUntilReadable } from '../../testing/sign-checkpoint';
import { setUpTenant, type TenantFixture } from '../../testing/tenant-fixture';
import { ChainReportResponse } from './audit.response';

/** GET /audit/verify against tampering done directly in SQL, as an insider with database access would. */
describe('GET /audit/verify', () => {
  const api = testApiOfThisFile();
  let pool: Pool;

  beforeAll(() => {
    pool = api.app.get(PG_POOL);
  });

  /** A tenant of its own per case, with an appraisal through plan approval. */
  async function tenantWithHistory(name: string): Promise<{ t: TenantFixture; stream: string }> {
    const t = await setUpTenant(api.app, api.config, name);
    const id = await t.appraisalOf('e-ann');
    await t.send('ann', id, 'submit-plan');
    await t.send('mgr', id, 'approve-plan');
    // Verification reads the global log, which hands out a commit once older transactions end.
    await waitUntilReadable(pool, name);
    return { t, stream: `appraisal-${name}.${id}` };
  }
  /** Every report, broken or not, is what the OpenAPI document (and the web app's types) says it is. */
  const verify = async (t: TenantFixture) => {
    const { body } = await t.http().get('/audit/verify').set(t.headers.auditor);
    expect(ChainReportResponse.safeParse(body).error?.issues).toBeUndefined();
    return body;
  };
  const eventAt = async (stream: string, revision: number) =>
    (
      await pool.query('SELECT event_id::text FROM events WHERE stream_id = $1 AND stream_revision = $2', [
        stream,
        revision,
      ])
    ).rows[0].event_id as string;

  it('passes an untouched log and returns the head hash; only auditors and HR may ask', async () => {
    const { t, stream } = await tenantWithHistory('vfy-ok');
    const report = await verify(t);
    expect(report).toMatchObject({ ok: true, firstBreak: null, legacyEvents: 0 });
    expect(report.eventsChecked).toBeGreaterThan(8);
    const newest = await pool.query(
      'SELECT metadata->>$2 AS hash FROM events WHERE tenant_id = $1 ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
      ['vfy-ok', 'hash'],
    );
    expect(report.headHash).toBe(newest.rows[0].hash);
    expect(stream).toContain('vfy-ok');
    expect((await t.http().get('/audit/verify').set(t.headers.mgr)).status).toBe(403);
    expect((await t.http().get('/audit/verify').set(t.headers.ann)).status).toBe(403);
  });

  // One event's row changed in place: the chain breaks at that event.
  it.each([
    [
      'a changed payload',
      'vfy-payload',
      2,
      `UPDATE events SET data = jsonb_set(data, '{at}', '"2020-01-01T00:00:00.000Z"') WHERE event_id = $1`,
    ],
    [
      'a back-dated event: the hash covers the recorded time',
      'vfy-backdate',
      1,
      `UPDATE events SET recorded_at = recorded_at - interval '30 days' WHERE event_id = $1`,
    ],
  ])('names %s', async (_what, tenant, revision, change) => {
    const { t, stream } = await tenantWithHistory(tenant);
    const victim = await eventAt(stream, revision);
    await pool.query(change, [victim]);
    expect((await verify(t)).firstBreak).toEqual({
      streamId: stream,
      eventId: victim,
      revision: String(revision),
      problem: 'tampered',
    });
  });

  it('names a deleted event in the middle and a deleted last event', async () => {
    const { t, stream } = await tenantWithHistory('vfy-delete');
    const last = await pool.query(
      'SELECT max(stream_revision)::int AS last FROM events WHERE stream_id = $1',
      [stream],
    );
    await pool.query('DELETE FROM events WHERE stream_id = $1 AND stream_revision = $2', [
      stream,
      last.rows[0].last,
    ]);
    expect((await verify(t)).firstBreak).toMatchObject({
      streamId: stream,
      revision: String(last.rows[0].last),
      problem: 'missing',
    });
    await pool.query('DELETE FROM events WHERE stream_id = $1 AND stream_revision = 1', [stream]);
    expect((await verify(t)).firstBreak).toMatchObject({
      streamId: stream,
      revision: '1',
      problem: 'missing',
    });
  });

  it('names events put in another order', async () => {
    const { t, stream } = await tenantWithHistory('vfy-order');
    // Swap the log positions of revisions 1 and 2.
    await pool.query(
      `WITH pair AS (SELECT stream_revision, transaction_id, global_position FROM events WHERE stream_id = $1 AND stream_revision IN (1, 2))
       UPDATE events e SET transaction_id = other.transaction_id, global_position = other.global_position
         FROM pair other WHERE e.stream_id = $1 AND e.stream_revision IN (1, 2) AND other.stream_revision = 3 - e.stream_revision`,
      [stream],
    );
    expect((await verify(t)).firstBreak).toEqual({
      streamId: stream,
      eventId: await eventAt(stream, 1),
      revision: '1',
      problem: 'reordered',
    });
  });

  it("checks the caller's tenant only: another tenant's tampering does not show", async () => {
    const { t } = await tenantWithHistory('vfy-clean');
    const { stream } = await tenantWithHistory('vfy-dirty');
    await pool.query(`UPDATE events SET data = '{}' WHERE stream_id = $1 AND stream_revision = 0`, [stream]);
    expect(await verify(t)).toMatchObject({ ok: true });
  });
});
