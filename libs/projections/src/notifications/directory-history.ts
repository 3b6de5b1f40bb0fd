import {
  AGGREGATES,
  evolveDirectory,
  initialDirectoryState,
  type Directory,
  type DirectoryEvent,
} from '@verity/domain';
import { comparePositions, streamName, type EventStore, type RecordedEvent } from '@verity/event-store';

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Each tenant's directory as it stood at a position of the global log: only the directory events
 * committed before it are folded (a later, back-dated change does not rewrite who was told).
 * Consumers ask in increasing positions, so the fold is carried forward, not redone.
 */
export class DirectoryHistory {
  private readonly folds = new Map<
    string,
    { state: Directory; revision: bigint | null; position: string; unfolded: RecordedEvent[] }
  >();

  constructor(private readonly store: EventStore) {}

  /**
   * Reads the tenant's directory events not read yet, once per batch: a consumer at position P sees
   * every event committed before P, so `asOf` up to the batch's last position needs no other read.
   */
  async load(tenantId: string): Promise<void> {
    const fold = this.folds.get(tenantId) ?? {
      state: initialDirectoryState(),
      revision: null,
      position: '0',
      unfolded: [],
    };
    const last = fold.unfolded.length
      ? fold.unfolded[fold.unfolded.length - 1].streamRevision
      : fold.revision;
    try {
      fold.unfolded.push(
        ...(await this.store.readStream(streamName(AGGREGATES.directory, tenantId, tenantId), {
          fromRevision: last === null ? 0n : last + 1n,
          tenantId,
        })),
      );
    } catch (error) {
      if (codeOf(error) !== 'stream-not-found') throw error;
    }
    this.folds.set(tenantId, fold);
  }

  /** The directory folded up to `position` (after `load`); asking for an earlier position refolds. */
  async asOf(tenantId: string, position: string): Promise<Directory> {
    let fold = this.folds.get(tenantId);
    if (!fold || comparePositions(fold.position, position) > 0) {
      this.folds.delete(tenantId);
      await this.load(tenantId);
      fold = this.folds.get(tenantId)!;
    }
    while (fold.unfolded.length && comparePositions(fold.unfolded[0].position, position) <= 0) {
      const event = fold.unfolded.shift()!;
      fold.state = evolveDirectory(fold.state, { type: event.type, data: event.data } as DirectoryEvent);
      fold.revision = event.streamRevision;
    }
    fold.position = position;
    return fold.state;
  }

  /**
   * The directory just before the directory event at `position` and just after it (after `load`):
   * what that one change made different. Positions are whole numbers (see `comparePositions`).
   */
  async around(tenantId: string, position: string): Promise<{ before: Directory; after: Directory }> {
    const before = await this.asOf(tenantId, (BigInt(position) - 1n).toString());
    return { before, after: await this.asOf(tenantId, position) };
  }

  /** The employee's e-mail address and name as recorded now (personal data: read at send time only). */
  async contactOf(tenantId: string, employeeId: string): Promise<{ name: string; email: string } | null> {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamName(AGGREGATES.directory, tenantId, tenantId), {
        tenantId,
      });
    } catch (error) {
      if (codeOf(error) === 'stream-not-found') return null;
      throw error;
    }
    for (let i = events.length - 1; i >= 0; i--) {
      const data = events[i].data as { employeeId?: string; pii?: { name?: string; email?: string } };
      if (events[i].type === 'EmployeeHired' && data.employeeId === employeeId)
        return data.pii?.email && data.pii.name ? { name: data.pii.name, email: data.pii.email } : null;
    }
    return null;
  }
}
