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
  private readonly folds = new Map<string, { state: Directory; revision: bigint | null; position: string }>();

  constructor(private readonly store: EventStore) {}

  async asOf(tenantId: string, position: string): Promise<Directory> {
    let fold = this.folds.get(tenantId);
    if (!fold || comparePositions(fold.position, position) > 0)
      fold = { state: initialDirectoryState(), revision: null, position: '0' };
    let newer: RecordedEvent[];
    try {
      newer = await this.store.readStream(streamName(AGGREGATES.directory, tenantId, tenantId), {
        fromRevision: fold.revision === null ? 0n : fold.revision + 1n,
      });
    } catch (error) {
      if (codeOf(error) !== 'stream-not-found') throw error;
      newer = [];
    }
    let { state, revision } = fold;
    for (const event of newer) {
      if (comparePositions(event.position, position) > 0) break;
      state = evolveDirectory(state, { type: event.type, data: event.data } as DirectoryEvent);
      revision = event.streamRevision;
    }
    this.folds.set(tenantId, { state, revision, position });
    return state;
  }

  /** The employee's e-mail address and name as recorded now (personal data: read at send time only). */
  async contactOf(tenantId: string, employeeId: string): Promise<{ name: string; email: string } | null> {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamName(AGGREGATES.directory, tenantId, tenantId));
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
