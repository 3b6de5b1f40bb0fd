/**
 * `npm run bench:audit-verifier [events]`: builds an audit bundle of 1,000,000 events (default)
 * as the server would export it (hash version 2, a signed checkpoint every 100,000 events), then
 * times the standalone verifier (tools/audit-verifier) checking it, as an auditor would run it.
 * The target (issue "Provable audit"): under 30 s on this machine.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalize } from 'json-canonicalize';
import { contentHash, linkHash, type RecordedEvent } from '../../libs/event-store/src';
import { CheckpointSigner, MerkleAccumulator, leafHash } from '../../libs/projections/src';

const total = Number(process.argv[2] ?? 1_000_000);
const STREAMS = 10_000;
const CHECKPOINT_EVERY = 100_000;
const tenantId = 'bench-audit';
const root = path.resolve(__dirname, '../..');

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'verity-audit-bench-'));
  const file = path.join(dir, 'bundle.jsonl');
  const out = createWriteStream(file);
  const write = (line: string) =>
    out.write(`${line}\n`) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
  const signer = new CheckpointSigner(randomBytes(32).toString('base64'));
  await write(
    canonicalize({
      format: 'verity-audit-bundle/1',
      tenantId,
      exportedAt: new Date().toISOString(),
      publicKeys: signer.publicKeys(),
    }),
  );
  const heads = new Map<string, { revision: bigint; hash: string }>();
  const tree = new MerkleAccumulator();
  const began = Date.now();
  const start = Date.UTC(2026, 0, 1);
  const append = async (streamId: string, type: string, data: unknown, at: Date) => {
    const head = heads.get(streamId);
    const event: RecordedEvent = {
      eventId: randomUUID(),
      type,
      data,
      metadata: {
        tenantId,
        actor: { id: `e-${tree.size % 500}`, role: 'manager' },
        correlationId: randomUUID(),
        causationId: null,
        schemaVersion: 1,
      },
      streamId,
      streamRevision: head ? head.revision + 1n : 0n,
      position: '0',
      recordedAt: at,
    };
    const hash = linkHash(head?.hash ?? null, event.streamRevision, contentHash(event), at);
    event.metadata = { ...event.metadata, previousHash: head?.hash ?? null, hash, hashVersion: 2 };
    heads.set(streamId, { revision: event.streamRevision, hash });
    tree.add(leafHash(event));
    await write(
      canonicalize({
        streamId,
        streamRevision: event.streamRevision.toString(),
        eventId: event.eventId,
        type,
        data,
        metadata: event.metadata,
        recordedAt: at.toISOString(),
      }),
    );
  };
  for (let n = 0; tree.size < total; n += 1) {
    const at = new Date(start + n * 1000);
    await append(
      `appraisal-${tenantId}.${n % STREAMS}`,
      'PeriodReviewFiled',
      {
        appraisalId: String(n % STREAMS),
        periodId: '2026-07',
        actuals: { sales_volume: '950', receivables: '2.2', inventory: '450', product_mix: '330' },
        pii: { comment: 'Quarter closed above plan; two key accounts renewed.' },
        at: at.toISOString(),
      },
      at,
    );
    if (tree.size % CHECKPOINT_EVERY === 0 && tree.size < total) {
      const body = {
        tenantId,
        treeSize: tree.size,
        rootHash: tree.root().toString('hex'),
        signedAt: at.toISOString(),
      };
      const { keyId, signature } = signer.sign(body);
      const { tenantId: _tenant, ...fields } = body;
      await append(
        `audit-${tenantId}.checkpoints`,
        'AuditCheckpointSigned',
        { ...fields, algorithm: 'Ed25519', keyId, signature },
        at,
      );
    }
  }
  await new Promise<void>((resolve) => out.end(resolve));
  const built = (Date.now() - began) / 1000;
  const megabytes = statSync(file).size / 1e6;
  console.log(
    `bundle: ${tree.size.toLocaleString('en')} events, ${megabytes.toFixed(0)} MB, built in ${built.toFixed(1)} s`,
  );

  const verifyBegan = Date.now();
  const run = spawnSync(
    'node',
    [
      path.join(root, 'tools/audit-verifier/bin/verity-audit-verify.js'),
      file,
      '--public-key',
      signer.publicKeys()[0].publicKey,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const seconds = (Date.now() - verifyBegan) / 1000;
  const report = JSON.parse(run.stdout);
  console.log(
    `offline verify: ${report.eventsChecked.toLocaleString('en')} events, ${report.checkpointsChecked} checkpoints, ok=${report.ok}, ` +
      `${seconds.toFixed(1)} s (${Math.round(report.eventsChecked / seconds).toLocaleString('en')} events/s; target < 30 s)`,
  );
  // KEEP_BUNDLE=1 leaves the bundle for timing the verifier alone (`time node … bundle.jsonl`).
  if (process.env.KEEP_BUNDLE)
    console.log(`bundle kept: ${file} (public key ${signer.publicKeys()[0].publicKey})`);
  else rmSync(dir, { recursive: true, force: true });
  if (!report.ok || run.status !== 0) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
