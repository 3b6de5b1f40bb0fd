import { eventHash, type EventStore } from '@verity/event-store';
import type { CheckpointSigner } from './checkpoint-signer';
import { checkpointStream, readCheckpoints, tenantLog, type Checkpoint } from './checkpoints';
import { MerkleAccumulator, leafHash } from './merkle';
import { ChainVerifier, type ChainReport, type StreamHead } from './verify-chains';

export interface TenantReport extends ChainReport {
  /** The checkpoints whose signature and tree were checked, and the newest of them. */
  checkpointsChecked: number;
  latestCheckpoint: Checkpoint | null;
}

/**
 * Verifies every hash chain of one tenant, reading its events from the store in log order, page
 * by page. With `readHeads` (the store's own record of each stream's last event), a stream whose
 * last events are gone is named too; heads are read after the log, and a stream found longer
 * than what the log showed (events committed meanwhile) is read on by stream before comparing.
 *
 * With `signer`, the tenant's signed checkpoints are checked too (docs/adr/0075): each signature,
 * and the Merkle root over the first `treeSize` events against the one signed. This is what finds
 * a whole stream deleted with its head, a truncated log and hashes recomputed without the key.
 */
export async function verifyTenantChains(
  store: EventStore,
  tenantId: string,
  readHeads?: () => Promise<ReadonlyMap<string, StreamHead>>,
  signer?: CheckpointSigner,
): Promise<TenantReport> {
  const verifier = new ChainVerifier(eventHash, tenantId);
  // Read before the log: every checkpoint then covers events the log read below will show.
  const checkpoints = signer ? await readCheckpoints(store, tenantId) : [];
  const badSignature = new Map<string, Checkpoint>();
  const trusted: Checkpoint[] = [];
  for (const checkpoint of checkpoints) {
    const { eventId: _id, revision: _revision, algorithm: _algorithm, signature, ...body } = checkpoint;
    if (signer?.verify({ tenantId, ...body }, signature)) trusted.push(checkpoint);
    else badSignature.set(checkpoint.eventId, checkpoint);
  }
  trusted.sort((a, b) => a.treeSize - b.treeSize);
  const stream = checkpointStream(tenantId);
  const checkpointBreak = (
    checkpoint: Checkpoint,
    problem: 'checkpoint-mismatch' | 'checkpoint-truncated' | 'checkpoint-signature',
  ) =>
    verifier.breakAt({
      streamId: stream,
      eventId: checkpoint.eventId,
      revision: checkpoint.revision,
      problem,
      treeSize: checkpoint.treeSize,
      matchedUpTo,
    });
  const tree = new MerkleAccumulator();
  let matchedUpTo = 0;
  let nextCheckpoint = 0;
  const result = async (): Promise<TenantReport> => ({
    ...(await stop()),
    checkpointsChecked: nextCheckpoint,
    latestCheckpoint: nextCheckpoint > 0 ? trusted[nextCheckpoint - 1] : null,
  });
  const stop = async (): Promise<ChainReport> => {
    const gap = verifier.break;
    if (gap?.problem === 'missing') {
      // Deleted, or moved elsewhere in the log? The stream itself still has it if it was moved.
      const [moved] = await store
        .readStream(gap.streamId, { fromRevision: BigInt(gap.revision), maxCount: 1 })
        .catch(() => []);
      if (moved && moved.streamRevision === BigInt(gap.revision)) verifier.foundElsewhere(moved.eventId);
    }
    return verifier.report();
  };
  for await (const event of tenantLog(store, tenantId)) {
    if (!verifier.add(event)) return result();
    const unsigned = badSignature.get(event.eventId);
    if (unsigned) {
      checkpointBreak(unsigned, 'checkpoint-signature');
      return result();
    }
    tree.add(leafHash(event));
    for (
      ;
      nextCheckpoint < trusted.length && trusted[nextCheckpoint].treeSize === tree.size;
      nextCheckpoint += 1
    ) {
      if (tree.root().toString('hex') !== trusted[nextCheckpoint].rootHash) {
        checkpointBreak(trusted[nextCheckpoint], 'checkpoint-mismatch');
        return result();
      }
      matchedUpTo = tree.size;
    }
  }
  if (nextCheckpoint < trusted.length) {
    checkpointBreak(trusted[nextCheckpoint], 'checkpoint-truncated');
    return result();
  }
  if (!readHeads) return result();
  const heads = await readHeads();
  for (const [streamId, head] of heads) {
    const last = verifier.lastRevisionOf(streamId);
    if (last !== undefined && last >= head.revision) continue;
    const newer = await store
      .readStream(streamId, { fromRevision: last === undefined ? 0n : last + 1n })
      .catch(() => []);
    for (const event of newer) {
      if (event.streamRevision > head.revision) break;
      if (!verifier.add(event)) return result();
    }
  }
  verifier.checkHeads(heads);
  return result();
}
