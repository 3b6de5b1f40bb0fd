import { Inject, Injectable } from '@nestjs/common';
import {
  AGGREGATES,
  initialDirectoryState,
  relationOf,
  relationToUnit,
  type Directory,
  directoryDecider,
  fold,
} from '@verity/domain';
import type { Relation } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import type { Principal } from '../auth/principal';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { isStreamNotFound } from './command-executor';

interface CachedDirectory {
  state: Directory;
  revision: bigint | null;
}

/**
 * The actor's relation to an appraisee (self / manager / skip-level / peer / none), from the
 * tenant's directory as of `now`; the domain's `requireRelation` decides what it permits. The
 * folded directory is kept per tenant and caught up from its last revision on each use, so a
 * large directory is not re-read for every command.
 */
@Injectable()
export class OrgRelations {
  private readonly directories = new Map<string, CachedDirectory>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async relationOf(principal: Principal, subjectEmployeeId: string | null, now: string): Promise<Relation> {
    if (!principal.employeeId || !subjectEmployeeId) return 'none';
    if (principal.employeeId === subjectEmployeeId) return 'self';
    return relationOf(await this.directory(principal.tenantId), principal.employeeId, subjectEmployeeId, now);
  }

  /** The actor's relation to an org unit's appraisal (head of the unit, of its parent, above). */
  async relationToUnit(principal: Principal, orgUnitId: string, now: string): Promise<Relation> {
    if (!principal.employeeId) return 'none';
    return relationToUnit(await this.directory(principal.tenantId), principal.employeeId, orgUnitId, now);
  }

  /** The tenant's directory, folded up to the newest event. */
  async directory(tenantId: string): Promise<Directory> {
    const cached = this.directories.get(tenantId) ?? { state: initialDirectoryState(), revision: null };
    let events;
    try {
      events = await this.store.readStream(streamName(AGGREGATES.directory, tenantId, tenantId), {
        fromRevision: cached.revision === null ? 0n : cached.revision + 1n,
        tenantId,
      });
    } catch (error) {
      if (isStreamNotFound(error)) return cached.state;
      throw error;
    }
    if (events.length === 0) return cached.state;
    const state = fold(directoryDecider, events, cached.state);
    this.directories.set(tenantId, { state, revision: events[events.length - 1].streamRevision });
    return state;
  }
}
