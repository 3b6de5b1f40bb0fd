import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import { eventHash, type RecordedEvent } from '@verity/event-store';
import { PG_POOL } from '@verity/platform';
import { asText, testApiOfThisFile } from '../../testing/api-test-kit';
import { signWholeLog } from '../../testing/sign-checkpoint';
import { setUpTenant, type TenantFixture } from '../../testing/tenant-fixture';

const VERIFIER = path.resolve(__dirname, '../../../../../tools/audit-verifier/bin/verity-audit-verify.js');
const run = promisify(execFile);

/**
 * Nine ways an insider with write access to the database (but not the signing key) could rewrite
 * the trail. For each, GET /audit/verify and the standalone verifier (tools/audit-verifier, run on
 * the exported bundle with the public key the auditor took before) must both name the first break.
 */
describe('tampering, seen by /audit/verify and by the offline verifier', () => {
  const api = testApiOfThisFile();
  let pool: Pool;
  const dir = mkdtempSync(path.join(tmpdir(), 'verity-bundle-'));

  beforeAll(() => {
    pool = api.app.get(PG_POOL);
  });

  interface Case {
    t: TenantFixture;
    stream: string;
    checkpoints: string;
    publicKey: string;
    row: (revision: number) => Promise<{ event_id: string; hash: string }>;
  }

  /** A tenant of its own: an appraisal through plan approval, then a signed checkpoint. */
  async function signedHistory(name: string): Promise<Case> {
    const t = await setUpTenant(api.app, api.config, name);
    const id = await t.appraisalOf('e-ann');
    await t.send('ann', id, 'submit-plan');
    await t.send('mgr', id, 'approve-plan');
    await signWholeLog(pool, t);
    const keys = t.ok(await t.http().get('/audit/public-keys').set(t.headers.auditor), 'keys').body.keys;
    const stream = `appraisal-${name}.${id}`;
    const row = async (revision: number) =>
      (
        await pool.query(
          `SELECT event_id::text, metadata->>'hash' AS hash FROM events WHERE stream_id = $1 AND stream_revision = $2`,
          [stream, revision],
        )
      ).rows[0];
    expect((await t.http().get('/audit/verify').set(t.headers.auditor)).body).toMatchObject({ ok: true });
    return { t, stream, checkpoints: `audit-${name}.checkpoints`, publicKey: keys[0].publicKey, row };
  }

  async function bothReports(c: Case) {
    const server = (await c.t.http().get('/audit/verify').set(c.t.headers.auditor)).body;
    const bundle = await c.t.http().get('/audit/bundle').set(c.t.headers.auditor).buffer(true).parse(asText);
    expect(bundle.status).toBe(200);
    const file = path.join(dir, `${c.t.tenant}.jsonl`);
    writeFileSync(file, bundle.body as string);
    const offline = await run('node', [VERIFIER, file, '--public-key', c.publicKey]).then(
      ({ stdout }) => ({ code: 0, report: JSON.parse(stdout) }),
      (error: { code: number; stdout: string }) => ({ code: error.code, report: JSON.parse(error.stdout) }),
    );
    return { server, offline };
  }

  async function expectBoth(c: Case, expected: Record<string, unknown>) {
    const { server, offline } = await bothReports(c);
    expect(server.ok).toBe(false);
    expect(server.firstBreak).toMatchObject(expected);
    expect(offline.code).toBe(1);
    expect(offline.report.firstBreak).toMatchObject(expected);
  }

  it('an untouched log verifies, on the server and offline', async () => {
    const c = await signedHistory('tamper-none');
    const { server, offline } = await bothReports(c);
    expect(server).toMatchObject({ ok: true, checkpointsChecked: 1 });
    expect(offline.code).toBe(0);
    expect(offline.report).toMatchObject({
      ok: true,
      checkpointsChecked: 1,
      eventsChecked: server.eventsChecked,
      keys: 'pinned by the auditor',
    });
  });

  // One event's row changed in place: the chain breaks at that event.
  it.each([
    [
      '1. a changed payload',
      'tamper-payload',
      2,
      `UPDATE events SET data = jsonb_set(data, '{at}', '"2020-01-01T00:00:00.000Z"') WHERE event_id = $1`,
    ],
    [
      '2. a changed actor',
      'tamper-actor',
      2,
      `UPDATE events SET metadata = jsonb_set(metadata, '{actor,id}', '"mallory"') WHERE event_id = $1`,
    ],
    ['3. a changed type', 'tamper-type', 2, `UPDATE events SET type = 'PlanApproved' WHERE event_id = $1`],
    [
      '4. a changed recorded time',
      'tamper-time',
      1,
      `UPDATE events SET recorded_at = recorded_at - interval '7 days' WHERE event_id = $1`,
    ],
  ])('%s', async (_title, tenant, revision, change) => {
    const c = await signedHistory(tenant);
    const victim = await c.row(revision);
    await pool.query(change, [victim.event_id]);
    await expectBoth(c, {
      streamId: c.stream,
      eventId: victim.event_id,
      revision: String(revision),
      problem: 'tampered',
    });
  });

  it('5. events put in another order', async () => {
    const c = await signedHistory('tamper-order');
    const moved = await c.row(1);
    await pool.query(
      `WITH pair AS (SELECT stream_revision, transaction_id, global_position FROM events WHERE stream_id = $1 AND stream_revision IN (1, 2))
       UPDATE events e SET transaction_id = other.transaction_id, global_position = other.global_position
         FROM pair other WHERE e.stream_id = $1 AND e.stream_revision IN (1, 2) AND other.stream_revision = 3 - e.stream_revision`,
      [c.stream],
    );
    await expectBoth(c, { streamId: c.stream, eventId: moved.event_id, revision: '1', problem: 'reordered' });
  });

  it('6. one event deleted', async () => {
    const c = await signedHistory('tamper-delete');
    const found = await c.row(2);
    await pool.query('DELETE FROM events WHERE stream_id = $1 AND stream_revision = 1', [c.stream]);
    await expectBoth(c, { streamId: c.stream, eventId: found.event_id, revision: '1', problem: 'missing' });
  });

  it("7. the tail deleted, with the stream's head rewound to match", async () => {
    const c = await signedHistory('tamper-tail');
    const { rows } = await pool.query(
      'SELECT max(stream_revision)::int AS last FROM events WHERE stream_id = $1',
      [c.stream],
    );
    const last = rows[0].last as number;
    const before = await c.row(last - 1);
    await pool.query('DELETE FROM events WHERE stream_id = $1 AND stream_revision = $2', [c.stream, last]);
    await pool.query('UPDATE streams SET revision = $2, last_hash = $3 WHERE stream_id = $1', [
      c.stream,
      last - 1,
      before.hash,
    ]);
    await expectBoth(c, { streamId: c.checkpoints, problem: 'checkpoint-mismatch' });
  });

  it('8. a whole stream deleted with its head', async () => {
    const c = await signedHistory('tamper-stream');
    await pool.query('DELETE FROM events WHERE stream_id = $1', [c.stream]);
    await pool.query('DELETE FROM streams WHERE stream_id = $1', [c.stream]);
    await expectBoth(c, { streamId: c.checkpoints, problem: 'checkpoint-truncated' });
  });

  it('9. a payload changed and every hash after it recomputed, without the signing key', async () => {
    const c = await signedHistory('tamper-rehash');
    const { rows } = await pool.query(
      `SELECT event_id::text, type, data, metadata, stream_revision::text AS revision, recorded_at
         FROM events WHERE stream_id = $1 ORDER BY stream_revision`,
      [c.stream],
    );
    let previous: string | null = null;
    for (const row of rows) {
      const event: RecordedEvent = {
        eventId: row.event_id,
        type: row.type,
        data: row.revision === '2' ? { ...row.data, at: '2020-01-01T00:00:00.000Z' } : row.data,
        metadata: { ...row.metadata, previousHash: previous },
        streamId: c.stream,
        streamRevision: BigInt(row.revision),
        position: '0',
        recordedAt: row.recorded_at,
      };
      event.metadata.hash = eventHash(event);
      previous = event.metadata.hash;
      await pool.query('UPDATE events SET data = $2, metadata = $3 WHERE event_id = $1', [
        row.event_id,
        event.data,
        event.metadata,
      ]);
    }
    await pool.query('UPDATE streams SET last_hash = $2 WHERE stream_id = $1', [c.stream, previous]);
    await expectBoth(c, { streamId: c.checkpoints, problem: 'checkpoint-mismatch' });
  });

  it('and a checkpoint rewritten to match, its chain rehashed, fails its signature', async () => {
    const c = await signedHistory('tamper-forge');
    const { rows } = await pool.query(
      `SELECT event_id::text, type, data, metadata, stream_revision::text AS revision, recorded_at
         FROM events WHERE stream_id = $1 ORDER BY stream_revision DESC LIMIT 1`,
      [c.checkpoints],
    );
    const row = rows[0];
    const event: RecordedEvent = {
      eventId: row.event_id,
      type: row.type,
      data: { ...row.data, rootHash: 'f'.repeat(64) },
      metadata: row.metadata,
      streamId: c.checkpoints,
      streamRevision: BigInt(row.revision),
      position: '0',
      recordedAt: row.recorded_at,
    };
    event.metadata.hash = eventHash(event);
    await pool.query('UPDATE events SET data = $2, metadata = $3 WHERE event_id = $1', [
      row.event_id,
      event.data,
      event.metadata,
    ]);
    await pool.query('UPDATE streams SET last_hash = $2 WHERE stream_id = $1', [
      c.checkpoints,
      event.metadata.hash,
    ]);
    await expectBoth(c, { streamId: c.checkpoints, eventId: row.event_id, problem: 'checkpoint-signature' });
  });
});
