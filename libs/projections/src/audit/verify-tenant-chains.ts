import { START, eventHash, type EventStore } from '@verity/event-store';
import { ChainVerifier, type ChainReport, type StreamHead } from './verify-chains';

const PAGE = 1000;

/**
 * Verifies every hash chain of one tenant, reading its events from the store in log order, page
 * by page. With `readHeads` (the store's own record of each stream's last event), a stream whose
 * last events are gone is named too; heads are read after the log, and a stream found longer
 * than what the log showed (events committed meanwhile) is read on by stream before comparing.
 */
export async function verifyTenantChains(
  store: EventStore,
  tenantId: string,
  readHeads?: () => Promise<ReadonlyMap<string, StreamHead>>,
): Promise<ChainReport> {
  const verifier = new ChainVerifier(eventHash, tenantId);
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
  for (let after = START; ;) {
    const { events, next } = await store.readAll({ after, maxCount: PAGE, tenantId });
    if (events.length === 0) break;
    for (const event of events) if (!verifier.add(event)) return stop();
    after = next;
  }
  if (!readHeads) return verifier.report();
  const heads = await readHeads();
  for (const [streamId, head] of heads) {
    const last = verifier.lastRevisionOf(streamId);
    if (last !== undefined && last >= head.revision) continue;
    const newer = await store
      .readStream(streamId, { fromRevision: last === undefined ? 0n : last + 1n })
      .catch(() => []);
    for (const event of newer) {
      if (event.streamRevision > head.revision) break;
      if (!verifier.add(event)) return stop();
    }
  }
  verifier.checkHeads(heads);
  return verifier.report();
}
