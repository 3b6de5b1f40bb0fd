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
import type { Relation, Viewer } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import type { Principal } from '../auth/principal';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { isStreamNotFound } from '../event-store/stream-loader';

/** The principal as the visibility rules see them, in `relation` to the subject. */
export function asViewer(principal: Principal, relation: Relation): Viewer {
  return { role: principal.role, userId: principal.subject, scopes: principal.scopes, relation };
}

interface CachedDirectory {
  state: Directory;
  revision: bigint | null;
  /** Each employee's name, from the `pii` of their hiring; gone once their data is erased. */
  names: ReadonlyMap<string, string>;
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

  /** The principal as the visibility rules see them: role, user, scopes and relation to the subject. */
  async viewerOf(principal: Principal, subjectEmployeeId: string | null, now: string): Promise<Viewer> {
    return asViewer(principal, await this.relationOf(principal, subjectEmployeeId, now));
  }

  /** The actor's relation to an org unit's appraisal (head of the unit, of its parent, above). */
  async relationToUnit(principal: Principal, orgUnitId: string, now: string): Promise<Relation> {
    if (!principal.employeeId) return 'none';
    return relationToUnit(await this.directory(principal.tenantId), principal.employeeId, orgUnitId, now);
  }

  /** The tenant's directory, folded up to the newest event. */
  async directory(tenantId: string): Promise<Directory> {
    return (await this.caughtUp(tenantId)).state;
  }

  /**
   * Employees' names (personal data): only for read routes, which pass each through the domain's
   * `seesName` before answering.
   */
  async names(tenantId: string): Promise<ReadonlyMap<string, string>> {
    return (await this.caughtUp(tenantId)).names;
  }

  private async caughtUp(tenantId: string): Promise<CachedDirectory> {
    const cached = this.directories.get(tenantId) ?? {
      state: initialDirectoryState(),
      revision: null,
      names: new Map<string, string>(),
    };
    let events;
    try {
      events = await this.store.readStream(streamName(AGGREGATES.directory, tenantId, tenantId), {
        fromRevision: cached.revision === null ? 0n : cached.revision + 1n,
        tenantId,
      });
    } catch (error) {
      if (isStreamNotFound(error)) return cached;
      throw error;
    }
    if (events.length === 0) return cached;
    const state = fold(directoryDecider, events, cached.state);
    const names = new Map(cached.names);
    for (const event of events) {
      const data = event.data as { employeeId?: string; pii?: { name?: unknown } };
      if (event.type === 'EmployeeHired' && data.employeeId && typeof data.pii?.name === 'string')
        names.set(data.employeeId, data.pii.name);
      if (event.type === 'SubjectDataErased' && data.employeeId) names.delete(data.employeeId);
    }
    const caught = { state, revision: events[events.length - 1].streamRevision, names };
    this.directories.set(tenantId, caught);
    return caught;
  }
}
