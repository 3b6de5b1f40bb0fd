import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { Pool } from 'pg';
import { PG_POOL } from '@verity/platform';
import { verifyConsistency, verifyInclusion } from '@verity/projections/audit/testing/rfc9162-verifier';
import { asText, jsonLines, testApiOfThisFile } from '../../testing/api-test-kit';
import { signWholeLog } from '../../testing/sign-checkpoint';
import { setUpTenant, type TenantFixture } from '../../testing/tenant-fixture';
import {
  BundleEventLine,
  BundleHeaderLine,
  ChainReportResponse,
  CheckpointsResponse,
  ConsistencyProofResponse,
  InclusionProofResponse,
  PublicKeysResponse,
  SignedCheckpointResponse,
} from './audit.response';

/**
 * Signed checkpoints, inclusion and consistency proofs, each checked here by code of the test's own
 * (RFC 9162's verification algorithms, Node's Ed25519), never by the product's.
 */
describe('audit proofs', () => {
  const api = testApiOfThisFile();
  let pool: Pool;

  beforeAll(() => {
    pool = api.app.get(PG_POOL);
  });

  const sign = async (t: TenantFixture) =>
    t.ok(await t.http().post('/audit/checkpoints').set(t.headers.hr).send({}), 'sign').body;
  const get = async (t: TenantFixture, path: string) =>
    t.ok(await t.http().get(path).set(t.headers.auditor), path).body;

  /** The leaf of one stored row, as docs/audit-proofs.md defines it. */
  const leafOfRow = (row: {
    event_id: string;
    hash: string;
    recorded_at: Date;
    stream_id: string;
    rev: string;
  }) =>
    createHash('sha256')
      .update(Buffer.from([0]))
      .update(
        canonicalize({
          eventId: row.event_id,
          hash: row.hash,
          recordedAt: row.recorded_at.toISOString(),
          streamId: row.stream_id,
          streamRevision: row.rev,
        }),
      )
      .digest();

  const checkSignature = (
    tenantId: string,
    checkpoint: Record<string, unknown>,
    keys: { keyId: string; publicKey: string }[],
  ) => {
    const key = keys.find((candidate) => candidate.keyId === checkpoint.keyId)!;
    const spki = Buffer.concat([
      Buffer.from('302a300506032b6570032100', 'hex'),
      Buffer.from(key.publicKey, 'base64'),
    ]);
    const message = canonicalize({
      kind: 'verity-audit-checkpoint/1',
      tenantId,
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash,
      signedAt: checkpoint.signedAt,
      keyId: checkpoint.keyId,
    });
    return verify(
      null,
      Buffer.from(message),
      createPublicKey({ key: spki, format: 'der', type: 'spki' }),
      Buffer.from(checkpoint.signature as string, 'base64'),
    );
  };

  it('signs checkpoints, proves an event is in the tree and that the log only grew', async () => {
    const t = await setUpTenant(api.app, api.config, 'proofs-a');
    const id = await t.appraisalOf('e-ann');
    const first = await signWholeLog(pool, t);
    expect(first.signed).toBe(true);
    const again = await sign(t);
    expect(again.signed).toBe(false); // nothing but the checkpoint since
    // Each answer below is parsed strictly against its OpenAPI description.
    const described = (
      schema: { safeParse(value: unknown): { error?: { issues: unknown } } },
      body: unknown,
    ) => expect(schema.safeParse(body).error?.issues).toBeUndefined();
    described(SignedCheckpointResponse, first);
    described(SignedCheckpointResponse, again);
    expect((await t.http().post('/audit/checkpoints').set(t.headers.auditor).send({})).status).toBe(403);

    const listed = await get(t, '/audit/checkpoints');
    described(CheckpointsResponse, listed);
    described(PublicKeysResponse, await get(t, '/audit/public-keys'));
    expect(listed.items.at(-1)).toEqual(first.checkpoint);
    for (const item of listed.items) expect(checkSignature('proofs-a', item, listed.publicKeys)).toBe(true);
    expect(checkSignature('proofs-b', first.checkpoint, listed.publicKeys)).toBe(false);
    expect((await get(t, '/audit/public-keys')).keys).toEqual(listed.publicKeys);

    const { rows } = await pool.query(
      `SELECT event_id::text, metadata->>'hash' AS hash, recorded_at, stream_id, stream_revision::text AS rev
         FROM events WHERE tenant_id = $1 ORDER BY transaction_id, global_position`,
      ['proofs-a'],
    );
    const opened = rows.findIndex((row) => row.stream_id === `appraisal-proofs-a.${id}`);
    const proof = await get(t, `/audit/events/${rows[opened].event_id}/proof`);
    expect(proof).toMatchObject({ leafIndex: opened, treeSize: first.checkpoint.treeSize });
    described(InclusionProofResponse, proof);
    const leaf = leafOfRow(rows[opened]);
    const path = (proof.auditPath as string[]).map((hash) => Buffer.from(hash, 'hex'));
    const root = Buffer.from(first.checkpoint.rootHash, 'hex');
    expect(verifyInclusion(opened, first.checkpoint.treeSize, leaf, path, root)).toBe(true);
    expect(verifyInclusion(opened, first.checkpoint.treeSize, leafOfRow(rows[opened + 1]), path, root)).toBe(
      false,
    );

    t.ok(await t.http().post(`/appraisals/${id}/submit-plan`).set(t.headers.ann).send({}), 'submit');
    const second = (await signWholeLog(pool, t)).checkpoint;
    expect(second.treeSize).toBeGreaterThan(first.checkpoint.treeSize);
    const consistency = await get(
      t,
      `/audit/consistency?from=${first.checkpoint.treeSize}&to=${second.treeSize}`,
    );
    described(ConsistencyProofResponse, consistency);
    const proofHashes = (consistency.proof as string[]).map((hash) => Buffer.from(hash, 'hex'));
    const secondRoot = Buffer.from(second.rootHash, 'hex');
    expect(verifyConsistency(first.checkpoint.treeSize, second.treeSize, root, secondRoot, proofHashes)).toBe(
      true,
    );
    expect(
      verifyConsistency(first.checkpoint.treeSize, second.treeSize, secondRoot, secondRoot, proofHashes),
    ).toBe(false);

    // The bundle: a header line, then every event of the log, each line as OpenAPI describes it.
    const bundle = await t.http().get('/audit/bundle').set(t.headers.auditor).buffer(true).parse(asText);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(bundle.headers['content-disposition']).toBe('attachment; filename="audit-bundle.jsonl"');
    const [header, ...events] = jsonLines(bundle.body);
    described(BundleHeaderLine, header);
    expect(events.length).toBeGreaterThanOrEqual(second.treeSize);
    for (const event of events) described(BundleEventLine, event);

    // Bad input and other tenants: 400 naming the field, 404 for an event not in the caller's log.
    const bad = await t.http().get('/audit/events/not-a-uuid/proof').set(t.headers.auditor);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('eventId');
    const other = await setUpTenant(api.app, api.config, 'proofs-b');
    const foreign = await other
      .http()
      .get(`/audit/events/${rows[opened].event_id}/proof`)
      .set(other.headers.auditor);
    expect(foreign.status).toBe(404);
    expect((await t.http().get('/audit/consistency?from=5&to=2').set(t.headers.auditor)).status).toBe(400);
  });

  it('finds a whole stream deleted with its head, and a truncated log, by the signed checkpoint', async () => {
    const t = await setUpTenant(api.app, api.config, 'proofs-vanish');
    const id = await t.appraisalOf('e-ann');
    await signWholeLog(pool, t);
    const signed = await get(t, '/audit/verify');
    expect(signed).toMatchObject({ ok: true, checkpointsChecked: 1 });
    // With a checkpoint and with a checkpoint break, the answer is what OpenAPI describes.
    expect(ChainReportResponse.safeParse(signed).error?.issues).toBeUndefined();
    const stream = `appraisal-proofs-vanish.${id}`;
    await pool.query('DELETE FROM events WHERE stream_id = $1', [stream]);
    await pool.query('DELETE FROM streams WHERE stream_id = $1', [stream]);
    const report = await get(t, '/audit/verify');
    expect(ChainReportResponse.safeParse(report).error?.issues).toBeUndefined();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({
      problem: expect.stringMatching(/^checkpoint-(mismatch|truncated)$/),
    });
    expect(report.firstBreak.streamId).toBe('audit-proofs-vanish.checkpoints');
  });
});
